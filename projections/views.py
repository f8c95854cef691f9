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

from datetime import date
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

import orjson
from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder

from amity.events.wire import dumps
from amity.ledger import amendments
from amity.ledger.stores import as_dict
from amity.projections.anniversaries import establishing_of
from amity.projections.status import intervals_of

FLUSH_STREAMS = 2000
COLUMNS = ("stream", "valid_from", "valid_to", "city_a", "city_b", "status", "tier", "since", "established",
           "implied_agreement", "last_activity", "last_activity_day", "events", "uncertain")


VIEW_TABLES = [
    "CREATE TABLE IF NOT EXISTS amity_intervals ("
    "stream TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT, city_a TEXT NOT NULL, city_b TEXT NOT NULL, "
    "status TEXT NOT NULL, tier TEXT, since TEXT, established TEXT, implied_agreement INTEGER NOT NULL, "
    "last_activity TEXT, last_activity_day TEXT, events INTEGER NOT NULL, uncertain INTEGER NOT NULL, "
    "PRIMARY KEY (stream, valid_from))",
    "CREATE INDEX IF NOT EXISTS amity_intervals_time ON amity_intervals (valid_from, valid_to)",
    "CREATE INDEX IF NOT EXISTS amity_intervals_a ON amity_intervals (city_a)",
    "CREATE INDEX IF NOT EXISTS amity_intervals_b ON amity_intervals (city_b)",
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

    def replace_streams_in(self, c: Any, rows: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]]) -> None:
        """Replace the rows of the given partnerships (in the caller's transaction)."""
        streams = list(rows)
        for i in range(0, len(streams), 500):
            part = streams[i : i + 500]
            marks = ",".join("?" * len(part))
            c.execute(self._sql(f"DELETE FROM amity_intervals WHERE stream IN ({marks})"), part)
            c.execute(self._sql(f"DELETE FROM amity_establishing WHERE stream IN ({marks})"), part)
        intervals = [_row(stream, it) for stream, (items, _) in rows.items() for it in items]
        founding = [(stream, e["event_id"], e["type"], e["date"], e["year"], *e["cities"], int(e["terminated"]), dumps(e["source"]))
                    for stream, (_, events) in rows.items() for e in events]
        if intervals:
            c.executemany(self._sql(f"INSERT INTO amity_intervals ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"), intervals)
        if founding:
            c.executemany(self._sql("INSERT INTO amity_establishing VALUES (?,?,?,?,?,?,?,?,?)"), founding)

    def reset_in(self, c: Any, application_name: str) -> None:
        """Forget every view row and the tracking position (for `amity rebuild`), in the caller's transaction."""
        c.execute(self._sql("DELETE FROM amity_intervals"))
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
        """Interval rows valid on ``day`` (optionally of partnerships of the given canonical places)."""
        sql = "SELECT * FROM amity_intervals WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"
        params: list[Any] = [day.isoformat(), day.isoformat()]
        if cities:
            marks = ",".join("?" * len(cities))
            sql += f" AND (city_a IN ({marks}) OR city_b IN ({marks}))"
            params += list(cities) * 2
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(sql + " ORDER BY city_a, city_b"), params)
            return [_interval(as_dict(r)) for r in c.fetchall()]

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
            c.execute(self._sql(f"SELECT {', '.join(COLUMNS)} FROM amity_intervals ORDER BY stream, valid_from"))
            rows = [tuple(as_dict(r).values()) for r in c.fetchall()]
            c.execute(self._sql("SELECT * FROM amity_establishing ORDER BY stream, event_id"))
            return rows + [tuple(bytes(v) if isinstance(v, memoryview) else v for v in as_dict(r).values()) for r in c.fetchall()]


class SQLitePartnershipView(PartnershipView, SQLiteTrackingRecorder):
    """The view in a SQLite file."""

    @contextmanager
    def view_transaction(self) -> Iterator[Any]:
        """BEGIN IMMEDIATE: the write lock from the start, so the position read is the one moved."""
        with self.datastore.get_connection(commit=True) as conn:
            raw = conn._sqlite_conn
            c = raw.cursor()
            c.execute("BEGIN IMMEDIATE")
            try:
                yield c
            except BaseException:
                raw.rollback()
                raise
            raw.commit()

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
        for table in ("amity_intervals", "amity_establishing"):
            text = text.replace(f"ON {table} ", f'ON "{schema}".{table} ').replace(f"FROM {table}", f'FROM "{schema}".{table}')
            text = text.replace(f"INTO {table}", f'INTO "{schema}".{table}').replace(f"EXISTS {table} (", f'EXISTS "{schema}".{table} (')
        return text.replace("?", "%s")


def open_view(datastore: Any) -> PartnershipView:
    """The view class for the ledger's store, tables created."""
    from eventsourcing.sqlite import SQLiteDatastore

    if isinstance(datastore, SQLiteDatastore):
        view: PartnershipView = SQLitePartnershipView(datastore)
        view.create_table()  # type: ignore[attr-defined]
        return view
    from amity.ledger.pgstore import datastore_lock

    view = PostgresPartnershipView(datastore)
    with datastore_lock(datastore):
        view.create_table()  # type: ignore[attr-defined]
    return view


def _row(stream: str, it: dict[str, Any]) -> tuple:
    return (stream, it["valid_from"].isoformat(), it["valid_to"].isoformat() if it["valid_to"] else None,
            it["cities"][0], it["cities"][1], it["status"], it["tier"], it["since"], it["established"],
            int(it["implied_agreement"]), it["last_activity"],
            it["last_activity_day"].isoformat() if it["last_activity_day"] else None, it["events"], int(it["uncertain"]))


def _interval(r: dict[str, Any]) -> dict[str, Any]:
    r["cities"] = [r.pop("city_a"), r.pop("city_b")]
    return r


class ViewUpdate:
    """Recomputes whole partnerships into the view, inside a transaction someone else opened.

    Used by ``catch_up`` (its own transaction) and by the import (the import's write transaction, so
    the views are current the moment the events are: one reading of each touched stream serves both
    the rule check and the views). Rows are written ``FLUSH_STREAMS`` partnerships at a time; the
    tracking position moves once, at ``finish``, in the same transaction.
    """

    def __init__(self, view: PartnershipView, application_name: str) -> None:
        self.view, self.application_name = view, application_name
        self.pending: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}

    def begin(self, w: Any) -> bool:
        """Whether this writer's transaction may update the views: they were current when it began."""
        self.view.lock_views(w.c)
        return self.view.position_in(w.c, self.application_name) == w.start_top

    def add(self, w: Any, stream: str, effective: Sequence[tuple[int, Any]]) -> None:
        items = intervals_of(effective)  # its last interval holds every fact: the standing now
        self.pending[stream] = (items, establishing_of(effective, bool(items) and items[-1]["status"] == "terminated"))
        if len(self.pending) >= FLUSH_STREAMS:
            self.flush(w.c)

    def flush(self, c: Any) -> None:
        self.view.replace_streams_in(c, self.pending)
        self.pending = {}

    def finish(self, w: Any) -> None:
        self.flush(w.c)
        if w.top > w.start_top:
            self.view._insert_tracking(w.c, Tracking(self.application_name, w.top))  # type: ignore[attr-defined]


def catch_up(ledger: Any, view: PartnershipView, progress: Callable[[int, int], None] | None = None, *, reset: bool = False) -> int:
    """Bring the view up to the ledger's last event in one transaction; returns the events covered.

    Every partnership with events after the tracking position is recomputed once, from its whole
    stream (decoded without re-validation): so an incremental update equals a full rebuild by
    construction, and a backlog of a million events costs one pass, not one per page. A crash rolls
    the transaction back; the next call starts again from the position on file.
    """
    from amity.ledger.mapping import trusted_fact
    from amity.ledger.partnership import REGISTRY_ID
    from amity.ledger.stores import StreamReader

    with view.view_transaction() as c:
        if reset:
            view.reset_in(c, ledger.name)
        last = view.position_in(c, ledger.name)
        top = view.top_in(c, ledger.recorder)
        if last >= top:
            return 0
        reader = StreamReader(ledger.recorder, c)
        counts = reader.touched_since(last, top)
        counts.pop(REGISTRY_ID.hex, None)
        update, done, total = ViewUpdate(view, ledger.name), 0, sum(counts.values())
        for stream, items in reader.streams(list(counts)):
            update.add(reader, stream, amendments.effective([trusted_fact(topic, state) for topic, state in items]))
            done += counts[stream]
            if progress:
                progress(done, total)
        update.flush(c)
        view._insert_tracking(c, Tracking(ledger.name, top))  # type: ignore[attr-defined]
        return top - last
