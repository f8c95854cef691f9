"""Materialised views, kept with the event-sourcing library's tracking recorders.

``PartnershipView`` is a tracking recorder (the library's ``SQLiteTrackingRecorder`` or
``PostgresTrackingRecorder``, in ``pgviews``) that also holds ``amity_timelines``, each partnership's status as a step
function of the query day in one row, so "all partnerships as of D" is a scan and a bisection per
partnership, not a replay; and ``amity_anniversary_events`` (``anniversaryview``) for anniversaries. The tracking position is
written in the same transaction as the view rows. ``projections.catchup`` keeps them current.
"""

from __future__ import annotations

from hashlib import sha256
from operator import itemgetter
from datetime import date
from typing import Any, Sequence

import orjson
from eventsourcing.persistence import IntegrityError
from eventsourcing.sqlite import SQLiteTrackingRecorder

from amity.ledger.records import retry_while_locked
from amity.projections import anniversaryview, networkview
from amity.projections.timeline import STEP_FIELDS, step_on, timeline_row  # noqa: F401 - timeline_row: catchup takes it from here
from amity.projections.viewrows import replace_rows

VIEW_NAME = "Amity/views-6"  # the tracking name: a new view layout starts from position 0 and fills itself


# One row per partnership: its status as a step function of the query day (``steps``: a JSON array
# of [valid_from, status, tier, since, established, implied_agreement, last_activity, events,
# uncertain, disputed], each valid until the next one's valid_from; ``last_step`` the last of them, valid from
# ``last_from`` on, so "today" reads a small row: views-5). A million events make ~26,000 rows, not a
# million: the view is written fast, and "every partnership as of D" is one scan and a bisection each.
VIEW_TABLES = [
    "DROP TABLE IF EXISTS amity_intervals",  # the layout before timelines (derived data: rebuilt below)
    "CREATE TABLE IF NOT EXISTS amity_timelines (stream TEXT PRIMARY KEY, city_a TEXT NOT NULL, city_b TEXT NOT NULL, "
    "last_from TEXT, last_step BLOB, steps BLOB NOT NULL)",  # the small columns first: SQLite reads them without the steps
    "CREATE INDEX IF NOT EXISTS amity_timelines_a ON amity_timelines (city_a)",
    "CREATE INDEX IF NOT EXISTS amity_timelines_b ON amity_timelines (city_b)",
    *anniversaryview.TABLES,
    *networkview.TABLES,
]
TABLE_NAMES = ("amity_timelines", anniversaryview.NAME, *networkview.NAMES)  # every view table: one missing, and the views refill


class PartnershipView:
    """Status intervals and establishing events per partnership, beside the library's tracking table.

    Store-agnostic: SQL is written once with ``?`` placeholders; each store's subclass adapts it.
    """

    datastore: Any
    tracking_table: str = "tracking"

    def _sql(self, text: str) -> str:
        return text

    def replace_rows_in(self, c: Any, streams: Sequence[str], timelines: Sequence[tuple], founding: Sequence[tuple], *, fresh: bool = False,
                        networks: Sequence[tuple] = (), members: Sequence[tuple] = (), days: Sequence[tuple] = ()) -> None:
        """Replace the rows of the given partnerships (in the caller's transaction); ``fresh``: the tables were emptied."""
        replace_rows(c, self._sql, streams, fresh, ("amity_timelines", anniversaryview.NAME), [
            ("INSERT INTO amity_timelines (stream, city_a, city_b, last_from, last_step, steps) VALUES (?, ?, ?, ?, ?, ?)", timelines),
            (anniversaryview.INSERT, founding)])
        networkview.replace_rows_in(self, c, streams, networks, members, fresh, days)

    def reset_in(self, c: Any, application_name: str) -> None:
        """Forget every view row and the tracking position (for `amity rebuild`), in the caller's transaction."""
        c.execute(self._sql("DELETE FROM amity_timelines"))
        c.execute(self._sql(f"DELETE FROM {anniversaryview.NAME}"))
        networkview.reset_in(self, c)
        c.execute(self._sql(f"DELETE FROM {self.tracking_table} WHERE application_name = ?"), (application_name,))

    def position_in(self, c: Any, application_name: str) -> int:
        c.execute(self._sql(f"SELECT MAX(notification_id) AS n FROM {self.tracking_table} WHERE application_name = ?"), (application_name,))
        row = c.fetchone()
        return (row["n"] if row else None) or 0

    def is_current(self, ledger: Any) -> bool:
        """Whether the views cover exactly the committed events (read from a snapshot, without the write lock).

        Views that claim more than the ledger holds were tampered with: not current, so they are recomputed."""
        with ledger.records() as records:
            return self.position_in(records.cursor, VIEW_NAME) == records.top

    def lock_views(self, c: Any) -> None:
        """Serialise view writers (SQLite's write lock already does)."""

    def track_in(self, c: Any, application_name: str, position: int) -> None:
        """Move the tracking position, in the caller's transaction (with the rows it covers)."""
        c.execute(self.insert_tracking_statement, {"application_name": application_name, "notification_id": position})  # type: ignore[attr-defined]
        if self.datastore.single_row_tracking and c.fetchone() is None:  # the library's one row per name: it only moves forward
            from amity.ledger.errors import StoreError

            raise StoreError(f"the views' tracking position could not move to {position}; run `amity rebuild`")

    def steps_on(self, day: date, cities: Sequence[str] = ()) -> list[tuple[str, str, list[Any]]]:
        """(city_a, city_b, the step valid on ``day``) of each partnership that has one (optionally only those of the
        given canonical places), sorted by (city_a, city_b)."""
        key = day.isoformat()
        columns = "SELECT city_a, city_b, last_from, last_step, CASE WHEN last_from > ? THEN steps END AS steps FROM amity_timelines"
        sql, params = columns, [key]
        if cities:
            marks = ",".join("?" * len(cities))
            sql += f" WHERE city_a IN ({marks}) UNION ALL {columns} WHERE city_b IN ({marks}) AND city_a NOT IN ({marks})"
            params = [key, *cities, key, *cities, *cities]
        out = []
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(sql), params)
            rows = c.fetchall()
        for r in rows:  # SQLite's rows and PostgreSQL's dict rows are read by name
            a, b = r["city_a"], r["city_b"]
            try:
                found = step_on(r["last_from"], r["last_step"], r["steps"], key)
            except (ValueError, TypeError, IndexError):
                from amity.ledger.errors import StoreError

                raise StoreError(f"the view row of {a} – {b} is damaged: `amity rebuild` recomputes the views") from None
            if found is not None:
                out.append((a, b, found))
        out.sort(key=itemgetter(0, 1))
        return out

    def cities_on_file(self) -> list[str]:
        """Every place name the partnerships on file are stored under."""
        sql = "SELECT city_a AS city FROM amity_timelines UNION SELECT city_b AS city FROM amity_timelines"
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(sql))
            return [r["city"] for r in c.fetchall()]

    def statuses_on(self, streams: Sequence[str], day: date) -> dict[str, str]:
        """The status on ``day`` of each given partnership (by stream id)."""
        out: dict[str, str] = {}
        key, wanted = day.isoformat(), sorted(set(streams))
        with self.datastore.transaction(commit=False) as c:
            for i in range(0, len(wanted), 500):
                part = wanted[i : i + 500]
                c.execute(self._sql(f"SELECT stream, last_from, last_step, CASE WHEN last_from > ? THEN steps END AS steps FROM amity_timelines "
                                    f"WHERE stream IN ({','.join('?' * len(part))})"), [key, *part])
                for r in c.fetchall():
                    step = step_on(r["last_from"], r["last_step"], r["steps"], key)
                    if step is not None:
                        out[r["stream"]] = step[1]
        return out

    def row_digests(self, c: Any) -> tuple[int, str, int, str]:
        """(rows, sha256) of the timelines and of the establishing rows, in key order, read in ``c``'s transaction a page at a time."""
        out: list[Any] = []
        for sql in ("SELECT stream, city_a, city_b, last_from, last_step, steps FROM amity_timelines ORDER BY stream",
                    anniversaryview.DIGEST_QUERY, *networkview.DIGEST_QUERIES):
            digest, n = sha256(), 0
            c.execute(self._sql(sql))
            while page := c.fetchmany(2000):
                for r in page:
                    digest.update(row_bytes(tuple(as_dict(r).values())))
                n += len(page)
            out += [n, digest.hexdigest()]
        return tuple(out)  # type: ignore[return-value]

    def all_rows(self) -> list[tuple]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql("SELECT stream, city_a, city_b, last_from, last_step, steps FROM amity_timelines ORDER BY stream"))
            rows = [(r["stream"], r["city_a"], r["city_b"], r["last_from"], bytes(r["last_step"]), bytes(r["steps"])) for r in c.fetchall()]
            for sql in (anniversaryview.DIGEST_QUERY, *networkview.DIGEST_QUERIES):
                c.execute(self._sql(sql))
                rows += [tuple(bytes(v) if isinstance(v, memoryview) else v for v in as_dict(r).values()) for r in c.fetchall()]
            return rows


class SQLitePartnershipView(PartnershipView, SQLiteTrackingRecorder):
    """The view in a SQLite file."""

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + VIEW_TABLES


VIEW_MODULES = {"sqlite": "amity.projections.views", "postgresql": "amity.projections.pgviews"}  # each store's views (README, "Inside")


def open_view(ledger: Any, *, create: bool = False) -> PartnershipView:
    """The views of the ledger's store, opened by the views module of its kind (psycopg only for PostgreSQL)."""
    from importlib import import_module

    return import_module(VIEW_MODULES[ledger.url.kind]).open_store_view(ledger.recorder.datastore, create=create)


def open_store_view(datastore: Any, *, create: bool = False) -> PartnershipView:
    """SQLite's views: their tables created when missing (and then filled from the first event)."""
    def make() -> PartnershipView:
        view = SQLitePartnershipView(datastore)
        with datastore.transaction(commit=False) as c:
            c.execute(f"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ({','.join('?' * len(TABLE_NAMES))})", TABLE_NAMES)
            complete = c.fetchone()[0] == len(TABLE_NAMES)
            c.execute("SELECT COUNT(*) FROM pragma_table_info('amity_timelines') WHERE name = 'last_step'")
            old = complete and c.fetchone()[0] == 0  # views-4's timelines, without the last step: made again, then filled
        if complete and not old:
            return view
        if old:
            with datastore.transaction(commit=True) as c:
                c.execute("DROP TABLE IF EXISTS amity_timelines")
        try:
            view.create_table()
        except IntegrityError:  # another process created the tables at the same moment: they exist now
            view.create_table()
        with datastore.transaction(commit=True) as c:  # a view table was missing: what the tracking row says is not in it
            c.execute(f"DELETE FROM {view.tracking_table} WHERE application_name = ?", (VIEW_NAME,))
        return view

    return retry_while_locked(make)


def as_dict(row: Any) -> dict[str, Any]:
    return {k: row[k] for k in row.keys()}


def row_bytes(row: tuple) -> bytes:
    """One view row as bytes to hash (binary values as hex): the same for a row computed and a row read back."""
    return orjson.dumps([bytes(v).hex() if isinstance(v, bytes | memoryview) else v for v in row]) + b"\n"
