"""Materialised views kept with the event-sourcing library's projection machinery.

``PartnershipView`` is a tracking recorder (the library's ``SQLiteTrackingRecorder``) that also
holds ``amity_intervals``: each partnership's status as valid-time intervals, so "all partnerships
as of D" is one indexed query, not a replay. The tracking position is written in the same
transaction as the view rows. SQLite cannot push events to subscribers, so ``catch_up`` pulls
notifications from the tracking position in pages, many events per view transaction; after a crash
it resumes from the last committed position, and recomputing a partnership from its own stream
makes an incremental update equal a full rebuild by construction.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Iterable, Sequence

import orjson
from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.projection import Projection
from eventsourcing.sqlite import SQLiteTrackingRecorder

from amity.ledger import amendments
from amity.ledger.partnership import REGISTRY_ID
from amity.ledger.stores import as_dict
from amity.projections.anniversaries import establishing_of
from amity.projections.status import intervals_of

PAGE_SIZE = 5000
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

    def replace_streams(self, rows: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]], tracking: Tracking) -> None:
        """Replace the rows of the given partnerships and move the tracking position, atomically."""
        insert_interval = self._sql(f"INSERT INTO amity_intervals ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})")
        insert_founding = self._sql("INSERT INTO amity_establishing VALUES (?,?,?,?,?,?,?,?,?)")
        with self.datastore.transaction(commit=True) as c:
            for stream, (items, founding) in rows.items():
                c.execute(self._sql("DELETE FROM amity_intervals WHERE stream = ?"), (stream,))
                c.execute(self._sql("DELETE FROM amity_establishing WHERE stream = ?"), (stream,))
                if items:
                    c.executemany(insert_interval, [_row(stream, it) for it in items])
                if founding:
                    c.executemany(insert_founding, [
                        (stream, e["event_id"], e["type"], e["date"], e["year"], *e["cities"], int(e["terminated"]),
                         orjson.dumps(e["source"])) for e in founding])
            self._insert_tracking(c, tracking)  # type: ignore[attr-defined]

    def reset(self, application_name: str) -> None:
        """Forget every view row and the tracking position (for `amity rebuild`)."""
        with self.datastore.transaction(commit=True) as c:
            c.execute(self._sql("DELETE FROM amity_intervals"))
            c.execute(self._sql("DELETE FROM amity_establishing"))
            c.execute(self._sql(f"DELETE FROM {self.tracking_table} WHERE application_name = ?"), (application_name,))

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


class PartnershipProjection(Projection[PartnershipView]):
    """Keeps ``PartnershipView`` up to date from the ledger's notifications."""

    name = "partnerships"

    def __init__(self, view: PartnershipView, load_stream: Callable[[Any], list]) -> None:
        super().__init__(view)
        self.load_stream = load_stream

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """One event at a time (how a live runner calls it): recompute its partnership."""
        self.process_streams([domain_event.originator_id], tracking)

    def process_streams(self, stream_ids: Iterable[Any], tracking: Tracking) -> None:
        rows = {}
        for sid in set(stream_ids):
            if sid != REGISTRY_ID:
                facts = amendments.effective(self.load_stream(sid))
                items = intervals_of(facts)  # its last interval holds every fact: the standing now
                rows[sid.hex] = (items, establishing_of(facts, bool(items) and items[-1]["status"] == "terminated"))
        self.view.replace_streams(rows, tracking)


def catch_up(ledger: Any, view: PartnershipView, progress: Callable[[int, int], None] | None = None) -> int:
    """Pull every notification after the tracking position into the view, a page per transaction."""
    projection = PartnershipProjection(view, ledger.stream)
    last = view.max_tracking_id(ledger.name) or 0
    top = ledger.recorder.max_notification_id() or 0
    done = 0
    while last < top:
        page = ledger.recorder.select_notifications(last, PAGE_SIZE, stop=top, inclusive_of_start=False)
        if not page:
            break
        try:
            projection.process_streams([n.originator_id for n in page], Tracking(ledger.name, page[-1].id))
        except IntegrityError:  # another process projected this page first: its rows stand, ours rolled back
            last = view.max_tracking_id(ledger.name) or 0  # type: ignore[attr-defined]
            continue
        last, done = page[-1].id, done + len(page)
        if progress:
            progress(done, top)
    return done
