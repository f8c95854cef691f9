"""Materialised views, kept with the event-sourcing library's tracking recorders.

``PartnershipView`` is a tracking recorder (the library's ``SQLiteTrackingRecorder`` or
``PostgresTrackingRecorder``) that also holds ``amity_intervals``: each partnership's status as
valid-time intervals, so "all partnerships as of D" is one indexed query, not a replay, and
``amity_establishing`` for anniversaries. The tracking position is written in the same transaction as
the view rows. The import updates the views in its own write transaction when they were current;
otherwise ``catch_up`` recomputes every partnership touched since the tracking position, once each,
from its whole stream: an incremental update equals a full rebuild by construction, and after a
crash the next call starts again from the last committed position.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from datetime import date
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

import orjson
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder

from amity.events.dates import PartialDate
from amity.events.wire import dumps
from amity.ledger import amendments
from amity.ledger.stores import as_dict
from amity.projections.anniversaries import establishing_of
from amity.projections.status import intervals_of

FLUSH_STREAMS = 2000
VIEW_NAME = "Amity/views-2"  # the tracking name: a new view layout starts from position 0 and fills itself
STEP_FIELDS = ("valid_from", "status", "tier", "since", "established", "implied_agreement", "last_activity", "events", "uncertain")


# One row per partnership: its status as a step function of the query day (``steps``: a JSON array
# of [valid_from, status, tier, since, established, implied_agreement, last_activity, events,
# uncertain], each valid until the next one's valid_from). A million events make ~26,000 rows, not a
# million: the view is written fast, and "every partnership as of D" is one scan and a bisection each.
VIEW_TABLES = [
    "DROP TABLE IF EXISTS amity_intervals",  # the layout before timelines (derived data: rebuilt below)
    "CREATE TABLE IF NOT EXISTS amity_timelines ("
    "stream TEXT PRIMARY KEY, city_a TEXT NOT NULL, city_b TEXT NOT NULL, steps BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS amity_timelines_a ON amity_timelines (city_a)",
    "CREATE INDEX IF NOT EXISTS amity_timelines_b ON amity_timelines (city_b)",
    "CREATE TABLE IF NOT EXISTS amity_establishing ("
    "stream TEXT NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL, date TEXT NOT NULL, year INTEGER NOT NULL, "
    "city_a TEXT NOT NULL, city_b TEXT NOT NULL, terminated INTEGER NOT NULL, source BLOB NOT NULL, "
    "PRIMARY KEY (stream, event_id))",
    "CREATE INDEX IF NOT EXISTS amity_establishing_year ON amity_establishing (year)",
]


class PartnershipView:
    """Status intervals and establishing events per partnership, beside the library's tracking table.

    Store-agnostic: SQL is written once with ``?`` placeholders; each store's subclass adapts it.
    """

    datastore: Any
    tracking_table: str = "tracking"

    def _sql(self, text: str) -> str:
        return text

    def replace_rows_in(self, c: Any, streams: Sequence[str], timelines: Sequence[tuple], founding: Sequence[tuple], *, fresh: bool = False) -> None:
        """Replace the rows of the given partnerships (in the caller's transaction); ``fresh``: the tables were emptied."""
        for i in range(0, 0 if fresh else len(streams), 500):
            part = list(streams[i : i + 500])
            marks = ",".join("?" * len(part))
            c.execute(self._sql(f"DELETE FROM amity_timelines WHERE stream IN ({marks})"), part)
            c.execute(self._sql(f"DELETE FROM amity_establishing WHERE stream IN ({marks})"), part)
        if timelines:
            c.executemany(self._sql("INSERT INTO amity_timelines (stream, city_a, city_b, steps) VALUES (?, ?, ?, ?)"), timelines)
        if founding:
            c.executemany(self._sql("INSERT INTO amity_establishing VALUES (?,?,?,?,?,?,?,?,?)"), founding)

    def reset_in(self, c: Any, application_name: str) -> None:
        """Forget every view row and the tracking position (for `amity rebuild`), in the caller's transaction."""
        c.execute(self._sql("DELETE FROM amity_timelines"))
        c.execute(self._sql("DELETE FROM amity_establishing"))
        c.execute(self._sql(f"DELETE FROM {self.tracking_table} WHERE application_name = ?"), (application_name,))

    def position_in(self, c: Any, application_name: str) -> int:
        c.execute(self._sql(f"SELECT MAX(notification_id) AS n FROM {self.tracking_table} WHERE application_name = ?"), (application_name,))
        row = c.fetchone()
        return (row["n"] if row else None) or 0

    def lock_views(self, c: Any) -> None:
        """Serialise view writers (SQLite's write lock already does)."""

    def view_transaction(self) -> Any:
        raise NotImplementedError

    def top_in(self, c: Any, recorder: Any) -> int:
        raise NotImplementedError

    def on(self, day: date, cities: Sequence[str] = ()) -> list[dict[str, Any]]:
        """The step valid on ``day`` of each partnership (optionally only those of the given canonical places)."""
        sql, params = "SELECT city_a, city_b, steps FROM amity_timelines", list(cities) * 2
        if cities:
            marks = ",".join("?" * len(cities))
            sql += f" WHERE city_a IN ({marks}) UNION ALL SELECT city_a, city_b, steps FROM amity_timelines WHERE city_b IN ({marks}) AND city_a NOT IN ({marks})"
            params += list(cities)
        key, out = day.isoformat(), []
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(sql), params)
            rows = c.fetchall()
        for r in rows:
            steps = orjson.loads(bytes(r["steps"]))
            i = bisect_right(steps, key, key=_valid_from) - 1
            if i >= 0:
                step = dict(zip(STEP_FIELDS, steps[i]))
                step["cities"] = [r["city_a"], r["city_b"]]
                step["last_activity_day"] = PartialDate.parse(step["last_activity"]).latest() if step["last_activity"] else None
                out.append(step)
        return sorted(out, key=_cities)

    def establishing_in(self, years: Sequence[int], include_terminated: bool) -> list[dict[str, Any]]:
        """Establishing events of the given years."""
        if not years:
            return []
        sql = f"SELECT * FROM amity_establishing WHERE year IN ({','.join('?' * len(years))})"
        if not include_terminated:
            sql += " AND terminated = 0"
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(sql), list(years))
            return [{"event_id": r["event_id"], "type": r["type"], "date": r["date"], "cities": [r["city_a"], r["city_b"]],
                     "terminated": bool(r["terminated"]), "source": orjson.loads(bytes(r["source"]))} for r in c.fetchall()]

    def all_rows(self) -> list[tuple]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql("SELECT stream, city_a, city_b, steps FROM amity_timelines ORDER BY stream"))
            rows = [(r["stream"], r["city_a"], r["city_b"], bytes(r["steps"])) for r in c.fetchall()]
            c.execute(self._sql("SELECT * FROM amity_establishing ORDER BY stream, event_id"))
            return rows + [tuple(bytes(v) if isinstance(v, memoryview) else v for v in as_dict(r).values()) for r in c.fetchall()]


class SQLitePartnershipView(PartnershipView, SQLiteTrackingRecorder):
    """The view in a SQLite file."""

    def view_transaction(self) -> Any:
        """The write lock from the start, so the position read is the one moved."""
        from amity.ledger.stores import sqlite_write_transaction

        return sqlite_write_transaction(self.datastore)

    def top_in(self, c: Any, recorder: Any) -> int:
        c.execute(f"SELECT MAX(rowid) FROM {recorder.events_table_name}")
        return c.fetchone()[0] or 0

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + VIEW_TABLES


class PostgresPartnershipView(PartnershipView, PostgresTrackingRecorder):
    """The view in a PostgreSQL schema."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, tracking_table_name="amity_views_tracking", **kwargs)
        schema = self.datastore.schema
        self.tracking_table = f'"{schema}"."amity_views_tracking"'
        from psycopg.sql import SQL

        self.sql_create_statements += [SQL(self._sql(t.replace("BLOB", "BYTEA"))) for t in VIEW_TABLES]  # type: ignore[arg-type]

    @contextmanager
    def view_transaction(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=True) as c:
            self.lock_views(c)
            yield c

    def lock_views(self, c: Any) -> None:
        c.execute("SELECT pg_advisory_xact_lock(hashtext('amity-views:' || %s))", (self.datastore.schema,))

    def top_in(self, c: Any, recorder: Any) -> int:
        c.execute(recorder.max_notification_id_statement)
        row = c.fetchone()
        return (row["max"] if row else None) or 0

    def _sql(self, text: str) -> str:
        schema = self.datastore.schema
        for table in ("amity_timelines", "amity_intervals", "amity_establishing"):
            text = text.replace(f"ON {table} ", f'ON "{schema}".{table} ').replace(f"FROM {table}", f'FROM "{schema}".{table}')
            text = text.replace(f"INTO {table}", f'INTO "{schema}".{table}').replace(f"EXISTS {table} (", f'EXISTS "{schema}".{table} (')
            text = text.replace(f"DROP TABLE IF EXISTS {table}", f'DROP TABLE IF EXISTS "{schema}".{table}')
        return text.replace("?", "%s")


def open_view(datastore: Any) -> PartnershipView:
    """The view class for the ledger's store, tables created."""
    from eventsourcing.sqlite import SQLiteDatastore

    if isinstance(datastore, SQLiteDatastore):
        try:
            view: PartnershipView = SQLitePartnershipView(datastore)
            view.create_table()  # type: ignore[attr-defined]
        except IntegrityError:  # another process created the tables at the same moment: they exist now
            view = SQLitePartnershipView(datastore)
            view.create_table()  # type: ignore[attr-defined]
        return view
    from amity.ledger.pgstore import datastore_lock

    view = PostgresPartnershipView(datastore)
    with datastore_lock(datastore):
        view.create_table()  # type: ignore[attr-defined]
    return view


def timeline_row(stream: str, items: Sequence[dict[str, Any]]) -> tuple:
    """The ``amity_timelines`` row of one partnership's intervals (``status.intervals_of``)."""
    steps = [[it["valid_from"].isoformat(), it["status"], it["tier"], it["since"], it["established"], int(it["implied_agreement"]),
              it["last_activity"], it["events"], int(it["uncertain"])] for it in items]
    return (stream, items[0]["cities"][0], items[0]["cities"][1], orjson.dumps(steps))


def _valid_from(step: list[Any]) -> str:
    return step[0]


def _cities(row: dict[str, Any]) -> list[str]:
    return row["cities"]


class ViewUpdate:
    """Recomputes whole partnerships into the view, inside a transaction someone else opened.

    Used by ``catch_up`` (its own transaction) and by the import (the import's write transaction, so
    the views are current the moment the events are: one reading of each touched stream serves both
    the rule check and the views). Rows are written ``FLUSH_STREAMS`` partnerships at a time; the
    tracking position moves once, at ``finish``, in the same transaction.
    """

    def __init__(self, view: PartnershipView, application_name: str, *, fresh: bool = False) -> None:
        self.view, self.application_name, self.fresh = view, application_name, fresh
        self.streams: list[str] = []
        self.timelines: list[tuple] = []
        self.founding: list[tuple] = []

    def begin(self, w: Any) -> bool:
        """Whether this writer's transaction may update the views: they were current when it began."""
        self.view.lock_views(w.c)
        return self.view.position_in(w.c, self.application_name) == w.start_top

    def add(self, w: Any, stream: str, effective: Sequence[tuple[int, Any]]) -> None:
        self.take(w.c, stream, *rows_of(stream, effective))

    def take(self, c: Any, stream: str, timeline: tuple | None, founding: list[tuple]) -> None:
        self.streams.append(stream)
        if timeline is not None:
            self.timelines.append(timeline)
        self.founding += founding
        if len(self.streams) >= FLUSH_STREAMS:
            self.flush(c)

    def flush(self, c: Any) -> None:
        self.view.replace_rows_in(c, self.streams, self.timelines, self.founding, fresh=self.fresh)
        self.streams, self.timelines, self.founding = [], [], []

    def finish(self, w: Any) -> None:
        self.flush(w.c)
        if w.top > w.start_top:
            self.view._insert_tracking(w.c, Tracking(self.application_name, w.top))  # type: ignore[attr-defined]


def rows_of(stream: str, effective: Sequence[tuple[int, Any]]) -> tuple[tuple | None, list[tuple]]:
    """The view rows of one partnership: its timeline (None if it has no facts) and its establishing events."""
    items = intervals_of(effective)  # its last interval holds every fact: the standing now
    terminated = bool(items) and items[-1]["status"] == "terminated"
    founding = [(stream, e["event_id"], e["type"], e["date"], e["year"], *e["cities"], int(e["terminated"]), dumps(e["source"]))
                for e in establishing_of(effective, terminated)]
    return (timeline_row(stream, items) if items else None), founding


def _project_part(path: str, table: str, lo: str, hi: str, skip: str, conn: Any) -> None:
    """A rebuild worker (a process of its own): the view rows of the streams with ids in [lo, hi), sent in batches."""
    import sqlite3

    from amity.ledger.bulk import bulk_collection
    from amity.ledger.mapping import trusted_fact
    from amity.ledger.stores import StreamReader

    try:
        with bulk_collection():
            db = sqlite3.connect(path, timeout=30, uri=path.startswith("file:"))
            db.row_factory = sqlite3.Row
            c = db.execute(f"SELECT originator_id AS stream, topic, state FROM {table} WHERE originator_id >= ? AND originator_id < ? "
                           "ORDER BY originator_id, originator_version", (lo, hi))
            batch: list[tuple] = []
            for stream, items in StreamReader._grouped(c):
                if stream != skip:
                    batch.append((stream, *rows_of(stream, amendments.effective([trusted_fact(t, s) for t, s in items])), len(items)))
                if len(batch) >= 500:
                    conn.send(batch)
                    batch = []
            conn.send(batch)
            conn.send(None)
    except BaseException as exc:  # noqa: BLE001 - reported by the parent as one line
        from amity.ledger.errors import describe

        conn.send(("error", describe(exc)))


PARALLEL_MIN_EVENTS = 50_000  # below this, starting worker processes costs more than it saves
PARTS = (("0", "8"), ("8", "g"))  # stream ids are 32 lowercase hex digits: two halves


def _rebuild_in_parallel(ledger: Any, update: ViewUpdate, c: Any, progress: Callable[[int, int], None] | None, total: int, skip: str) -> None:
    """A full rebuild of a SQLite ledger by two worker processes (one per core); this process writes the rows."""
    import multiprocessing as mp
    from multiprocessing.connection import wait

    from amity.ledger.errors import StoreError

    ctx = mp.get_context("spawn")  # a fresh interpreter: never a copy of this one's open SQLite connections
    pipes, procs, done = [], [], 0
    for lo, hi in PARTS:
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_project_part, args=(ledger.url.path, ledger.recorder.events_table_name, lo, hi, skip, send), daemon=True)
        proc.start()
        send.close()
        pipes.append(receive)
        procs.append(proc)
    try:
        while pipes:
            for r in wait(pipes):
                try:
                    msg = r.recv()
                except EOFError:
                    raise StoreError("a rebuild worker stopped without finishing; run `amity rebuild` again") from None
                if msg is None:
                    pipes.remove(r)
                elif isinstance(msg, tuple):
                    raise StoreError(f"rebuild worker: {msg[1]}")
                else:
                    for stream, timeline, founding, n in msg:
                        update.take(c, stream, timeline, founding)
                        done += n
                    if progress:
                        progress(done, total)
    finally:
        for proc in procs:
            proc.join(5)
            if proc.is_alive():
                proc.kill()


def catch_up(ledger: Any, view: PartnershipView, progress: Callable[[int, int], None] | None = None, *, reset: bool = False) -> int:
    """Bring the view up to the ledger's last event in one transaction; returns the events covered.

    Every partnership with events after the tracking position is recomputed once, from its whole
    stream (decoded without re-validation): so an incremental update equals a full rebuild by
    construction, and a backlog of a million events costs one pass, not one per page. A crash rolls
    the transaction back; the next call starts again from the position on file.
    """
    from amity.ledger.bulk import bulk_collection
    from amity.ledger.mapping import trusted_fact
    from amity.ledger.partnership import REGISTRY_ID
    from amity.ledger.stores import StreamReader

    with bulk_collection(), view.view_transaction() as c:
        if reset:
            view.reset_in(c, VIEW_NAME)
        last = view.position_in(c, VIEW_NAME)
        top = view.top_in(c, ledger.recorder)
        if last >= top:
            return 0
        reader = StreamReader(ledger.recorder, c)
        registry = REGISTRY_ID.hex
        update = ViewUpdate(view, VIEW_NAME, fresh=last == 0 and reset)
        if last == 0 and isinstance(view, SQLitePartnershipView) and top >= PARALLEL_MIN_EVENTS and (os.cpu_count() or 1) > 1:
            _rebuild_in_parallel(ledger, update, c, progress, top, registry)
            update.flush(c)
            view._insert_tracking(c, Tracking(VIEW_NAME, top))  # type: ignore[attr-defined]
            return top
        if last == 0:  # everything: one ordered scan of every stream
            counts, total, wanted = None, top, None
        else:
            counts = reader.touched_since(last, top)
            counts.pop(registry, None)
            total, wanted = sum(counts.values()), list(counts)
        done = 0
        for stream, items in reader.streams(wanted):
            if stream == registry:
                continue
            update.add(reader, stream, amendments.effective([trusted_fact(topic, state) for topic, state in items]))
            done += counts[stream] if counts is not None else len(items)
            if progress:
                progress(done, total)
        update.flush(c)
        view._insert_tracking(c, Tracking(VIEW_NAME, top))  # type: ignore[attr-defined]
        return top - last
