"""Baselines measured in the same run as Amity's figures.

(a) the storage's own limit: raw ``sqlite3`` ``executemany`` of the same serialised rows, one transaction,
    into a plain table; on PostgreSQL, ``COPY`` of the same rows into a plain table of a temporary schema
    (``raw_copy``, given the server's URL);
(b) the ``eventsourcing`` library's default path for the same events: one aggregate per partnership,
    one ``save`` per aggregate, its default JSON transcoder.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections import defaultdict
from typing import Any
from uuid import NAMESPACE_URL, uuid5

import orjson

from amity.ledger.sqlitestore import WRITE_CACHE_KIB


def remove_db(path: str) -> None:
    """Delete a SQLite file with its WAL companions."""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def raw_executemany(lines: list[dict[str, Any]]) -> float:
    """Events per second for (a): the rows are made before the clock starts."""
    path = tempfile.mktemp(suffix=".db", prefix="amity-baseline-a-")
    rows = [(uuid5(NAMESPACE_URL, str(i)).hex, i, line["type"], orjson.dumps(line)) for i, line in enumerate(lines)]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")  # the same page cache as Amity's writer
    conn.execute("CREATE TABLE events (originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))")
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    remove_db(path)
    return len(rows) / seconds


def raw_copy(lines: list[dict[str, Any]], url: str) -> float:
    """Events per second for (a) on PostgreSQL: ``COPY`` in one transaction (the rows made before the clock starts)."""
    import psycopg

    rows = [(uuid5(NAMESPACE_URL, str(i)).hex, i, line["type"], orjson.dumps(line)) for i, line in enumerate(lines)]
    schema = f"amity_baseline_{os.getpid()}"
    with psycopg.connect(url.split("?")[0], autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        try:
            conn.execute(f"CREATE TABLE {schema}.events (originator_id TEXT, originator_version INTEGER, topic TEXT, state BYTEA, "
                         "PRIMARY KEY (originator_id, originator_version))")
            started = time.perf_counter()
            with conn.transaction(), conn.cursor().copy(f"COPY {schema}.events FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            seconds = time.perf_counter() - started
        finally:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    return len(rows) / seconds


def library_default(lines: list[dict[str, Any]]) -> float:
    """Events per second for (b)."""
    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event

    class Pair(Aggregate):
        @event("Started")
        def __init__(self) -> None:
            self.n = 0

        @event("Recorded")
        def record(self, payload: dict) -> None:
            self.n += 1

    path = tempfile.mktemp(suffix=".db", prefix="amity-baseline-b-")
    app = Application(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path})
    streams: dict[str, list[dict]] = defaultdict(list)
    for line in lines:
        key = "|".join(sorted(line["cities"])) if "cities" in line else str(line.get("target"))
        streams[key].append(line)
    started = time.perf_counter()
    for items in streams.values():
        agg = Pair()
        for line in items:
            agg.record(line)
        app.save(agg)
    seconds = time.perf_counter() - started
    app.close()
    remove_db(path)
    return len(lines) / seconds


def main() -> None:
    """``baselines.py raw_executemany|library_default FILE`` or ``baselines.py raw_copy FILE URL``: print events per second."""
    import sys

    which, path = sys.argv[1], sys.argv[2]
    with open(path, "rb") as fh:
        lines = [orjson.loads(line) for line in fh if line.strip()]
    if which == "raw_copy":
        print(round(raw_copy(lines, sys.argv[3])))
    else:
        print(round({"raw_executemany": raw_executemany, "library_default": library_default}[which](lines)))


if __name__ == "__main__":
    main()
