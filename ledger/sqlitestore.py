"""The SQLite store: the library's SQLite recorder plus our index, and every line of SQLite's own SQL.

Amity writes through ``SQLiteWriter`` (one transaction, SQLite's write lock from its start, rows in with
``executemany``); reads of whole streams come back through ``writer.StreamReader``; a full rebuild of a
large file is read by worker processes, one per half of the stream ids (``streams_in_part``).
"""

from __future__ import annotations

import getpass
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Iterator, Sequence

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from eventsourcing.utils import get_topic

from amity.events.vocab import format_instant
from amity.ledger.stores import FactIndex, lock_timeout, when_unlocked
from amity.ledger.storeurl import StoreURL
from amity.ledger.writer import NewEvent, StreamReader, Writer, landed

WRITE_CACHE_KIB = 131072  # page cache of a writing connection: a million-event ledger's indexes stay in memory


def store_env(url: StoreURL) -> dict[str, str]:
    """The library's environment for a SQLite store."""
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": url.path,
        "SQLITE_LOCK_TIMEOUT": str(lock_timeout()),
        "APPLICATION_RECORDER_TOPIC": get_topic(AmitySQLiteRecorder),
    }


def open_store(ledger: Any, start: Any, mode: str) -> None:
    """Start the application ``ledger`` on its SQLite file (``start``), waiting out another process's lock."""
    when_unlocked(start)


class AmitySQLiteRecorder(FactIndex, SQLiteApplicationRecorder):
    """The library's SQLite recorder plus the ``amity_facts`` index, written in the same transaction."""

    notification_column = "rowid"

    def max_position_in(self, c: Any) -> int:
        """The last notification id (rowid), read in the caller's transaction."""
        c.execute(f"SELECT MAX(rowid) FROM {self.events_table_name}")
        return c.fetchone()[0] or 0

    def select_streams_sql(self, count: int | None) -> str:
        """(stream hex, topic, state) of some streams (``count`` placeholders) or all, in stream and version order."""
        where = f"WHERE originator_id IN ({','.join('?' * count)}) " if count is not None else ""
        return f"SELECT originator_id AS stream, topic, state FROM {self.events_table_name} {where}ORDER BY originator_id, originator_version"

    def _sql(self, text: str) -> str:
        return text.replace("events_table", self.events_table_name)

    def plain_rows(self, c: Any) -> None:
        c.row_factory = None

    def session(self, *, write: bool = False) -> Any:
        """A cursor in one transaction: ``write``, the write lock from its start; else a snapshot."""
        return sqlite_transaction(self.datastore, write=write)

    def parallel_parts(self) -> list[Any] | None:
        """The two halves of the stream ids (32 lowercase hex digits), each read by a worker of its own."""
        pool = self.datastore.pool
        if pool.is_sqlite_memory_mode:
            return None
        return [(pool.db_name, self.events_table_name, lo, hi) for lo, hi in (("0", "8"), ("8", "g"))]

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + [
            "CREATE TABLE IF NOT EXISTS amity_facts ("
            "position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, content_hash TEXT NOT NULL, "
            "stream TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL, "
            "recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL, stored_at TEXT NOT NULL, stored_by TEXT NOT NULL, "
            "seq INTEGER NOT NULL UNIQUE, hash TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS amity_facts_recorded_at ON amity_facts (recorded_at)",
            "CREATE INDEX IF NOT EXISTS amity_facts_disputes ON amity_facts (stream) WHERE type = 'ClaimDisputed'",  # #19: few rows
            "CREATE TABLE IF NOT EXISTS amity_moves (at TEXT NOT NULL, by TEXT NOT NULL, source TEXT NOT NULL, "
            "first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, digest TEXT NOT NULL)",
        ]

    def foreign_objects(self) -> list[str]:
        """Triggers and views in the file that Amity did not make (Amity makes none on SQLite)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY name")
            return [f"a {r['type']} {r['name']!r}" for r in c.fetchall()]

    def record_move(self, c: Any, source: str, first_seq: int, earlier: dict[str, Any] | None = None) -> None:
        """Note, in the writing transaction, that the chain up to its head came from another store (or, ``earlier``,
        a move the source had recorded, its digest taken from the chain itself)."""
        if earlier:
            c.execute("SELECT hash FROM amity_facts WHERE seq = ?", (earlier["last_seq"],))
            c.execute("INSERT INTO amity_moves VALUES (?, ?, ?, ?, ?, ?)", (earlier["at"], earlier["by"], earlier["source"],
                                                                        earlier["first_seq"], earlier["last_seq"], c.fetchone()[0]))
            return
        seq, digest = self.chain_head_in(c)
        c.execute("INSERT INTO amity_moves VALUES (?, ?, ?, ?, ?, ?)",
                  (format_instant(datetime.now(UTC)), getpass.getuser(), source, first_seq, seq, digest))


    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        raise NotImplementedError("Amity writes through Ledger.import_events (a Writer), never the library's save()")

    @contextmanager
    def writer(self, *, commit: bool = True) -> Iterator[Any]:
        """A write transaction holding SQLite's write lock from its start (a ``SQLiteWriter``). Its store time is the
        machine's clock, but never earlier than the chain head's: store times never run backwards along the chain
        (as PostgreSQL's append function keeps them), so a clock set back does not make a ledger that a restore of
        its own proof export would refuse as edited."""
        with sqlite_transaction(self.datastore, commit=commit) as c:
            c.execute("SELECT stored_at FROM amity_facts ORDER BY seq DESC LIMIT 1")
            head = c.fetchone()
            now = format_instant(datetime.now(UTC))
            yield SQLiteWriter(self, c, max(now, head[0]) if head else now, getpass.getuser())


def streams_in_part(part: tuple[str, str, str, str]) -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    """(stream, [(topic, state)]) of the streams with ids in [lo, hi) of a SQLite file, through a connection of its own."""
    import sqlite3

    path, table, lo, hi = part
    db = sqlite3.connect(path, timeout=30, uri=path.startswith("file:"))
    db.row_factory = sqlite3.Row
    c = db.execute(f"SELECT originator_id AS stream, topic, state FROM {table} WHERE originator_id >= ? AND originator_id < ? "
                   "ORDER BY originator_id, originator_version", (lo, hi))
    yield from StreamReader._grouped(c)


class SQLiteWriter(Writer):
    """Stream versions and states come from the events table's own key (the index has no stream key on SQLite)."""

    def versions(self, streams: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        table = self.recorder.events_table_name
        for i in range(0, len(streams), self.chunk):
            part = list(streams[i : i + self.chunk])
            self.c.execute(f"SELECT originator_id AS stream, MAX(originator_version) AS v FROM {table} "
                           f"WHERE originator_id IN ({','.join('?' * len(part))}) GROUP BY originator_id", part)
            found.update((row["stream"], row["v"]) for row in self.c.fetchall())
        return found

    def state_of(self, stream: str, version: int) -> tuple[str, bytes]:
        self.c.execute(f"SELECT topic, state FROM {self.recorder.events_table_name} WHERE originator_id = ? AND originator_version = ?", (stream, version))
        row = self.c.fetchone()
        return row["topic"], bytes(row["state"])

    def _insert_events(self, events: Sequence[NewEvent]) -> list[int]:
        # Notification ids are rowids; the write lock is held, so the next ones are ours to give.
        first = self.top + 1
        positions = list(range(first, first + len(events)))
        self.c.executemany(
            f"INSERT INTO {self.recorder.events_table_name} (rowid, originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?, ?)",
            [(p, e.stream, e.version, e.topic, e.state) for p, e in zip(positions, events)])
        landed(self.c, len(events))
        return positions


@contextmanager
def sqlite_transaction(datastore: Any, *, write: bool = True, commit: bool = True) -> Iterator[Any]:
    """A raw cursor in one transaction (readers open cursors of their own on its connection).

    ``write``: BEGIN IMMEDIATE, the write lock at once, so what is read is what is written on, and a
    large page cache; then COMMIT (if ``commit``) or ROLLBACK. Otherwise a snapshot, rolled back.
    """
    with datastore.get_connection(commit=write) as conn:
        raw = conn._sqlite_conn
        c = raw.cursor()
        if write:
            c.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
        c.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield c
        except BaseException:
            raw.rollback()
            raise
        raw.commit() if write and commit else raw.rollback()
