"""The anniversaries' view table, beside the partnerships' timelines (same tracking position, same transactions).

``amity_anniversary_events`` holds every event an anniversary is celebrated of: a partnership's establishing
events (``projections/anniversaries.py``) and a network's founding and joinings (``projections/networks.py``).
A row is stored under its year and month (0: only the year is known), so the candidates of a window of days lie
together and are read in a few ranges, not looked up one by one; indexed by stream (a partnership's rows are
replaced together) and by place (a city's profile). It carries what a reader would otherwise replay: ``disputed``,
the event is under an open dispute (the rule: ``projections/disputes.py`` ``open_targets``), and ``standing``, its
partnership's status by every fact on file, which holds from ``standing_from`` on (None for a network's rows).
SQL is written once with ``?`` placeholders; the view's ``_sql`` adapts it to its store.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import orjson

NAME = "amity_anniversary_events"
TABLES = [
    "DROP TABLE IF EXISTS amity_establishing",  # the layout before views-5 (derived data: the new table fills itself)
    "CREATE TABLE IF NOT EXISTS amity_anniversary_events ("
    "stream TEXT NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL, date TEXT NOT NULL, year INTEGER NOT NULL, month INTEGER NOT NULL, "
    "day INTEGER NOT NULL, city_a TEXT NOT NULL, city_b TEXT NOT NULL, terminated INTEGER NOT NULL, disputed INTEGER NOT NULL, standing TEXT, "
    "standing_from TEXT, source BLOB NOT NULL, PRIMARY KEY (year, month, day, stream, event_id)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS amity_anniversary_events_stream ON amity_anniversary_events (stream)",
    "CREATE INDEX IF NOT EXISTS amity_anniversary_events_a ON amity_anniversary_events (city_a)",
    "CREATE INDEX IF NOT EXISTS amity_anniversary_events_b ON amity_anniversary_events (city_b)",
]
COLUMNS = ("stream", "event_id", "type", "date", "year", "month", "day", "city_a", "city_b", "terminated", "disputed", "standing", "standing_from",
           "source")
INSERT = f"INSERT INTO amity_anniversary_events VALUES ({','.join('?' * len(COLUMNS))})"
DIGEST_QUERY = "SELECT * FROM amity_anniversary_events ORDER BY stream, event_id"
NETWORK_TYPES = ("NetworkRegistered", "MembershipJoined")  # a network's founding; a joining with its date
NO_STANDING = (None, None)  # a network's rows


def month_and_day(date: str) -> tuple[int, int]:
    """The month and day of a partial date's text (``YYYY-MM-DD``), each 0 when not known."""
    return (int(date[5:7]) if len(date) > 4 else 0), (int(date[8:10]) if len(date) > 7 else 0)


def row(stream: str, event_id: str, type_: str, date: str, year: int, cities: Sequence[str], terminated: bool, disputed: bool,
        standing: tuple[str | None, str | None], source: bytes) -> tuple:
    """One row of the table, its columns in order (``standing``: (status, valid from), or (None, None))."""
    return (stream, event_id, type_, date, year, *month_and_day(date), *cities, int(terminated), int(disputed), *standing, source)


def events_in(view: Any, years: Sequence[int], include_terminated: bool, networks: bool = True,
              keep: Callable[[str], bool] | None = None, months: Sequence[str] | None = None,
              cities: Sequence[str] | None = None, bounds: tuple[tuple[int, int], tuple[int, int]] | None = None) -> list[dict[str, Any]]:
    """The events of the given years (``networks``: with networks' foundings and joinings); ``months``: only those
    known to the year or dated in one of these months (``MM``), and with ``bounds`` ((month, day) of a window's first
    and last days: ``anniversaries.Window.bounds``) not dated before the first day in its month or after the last; ``keep``: only those whose date it keeps (their
    sources are decoded only then, each distinct source once); ``cities``: only those that name one of these
    canonical strings. Each with its stream, ``disputed`` and its partnership's ``standing`` and ``standing_from``."""
    if not years or (cities is not None and not cities):
        return []
    sql = ("SELECT stream, event_id, type, date, city_a, city_b, terminated, disputed, standing, standing_from, source "
           f"FROM amity_anniversary_events WHERE year IN ({','.join('?' * len(years))})")
    params: list[Any] = [*years]
    if months:
        sql += f" AND month IN (0,{','.join('?' * len(months))})"
        params += [int(m) for m in months]
        if bounds:
            (m1, d1), (m2, d2) = bounds
            sql += (" AND (day = 0 OR day BETWEEN ? AND ?)" if m1 == m2 else
                    " AND (day = 0 OR month NOT IN (?, ?) OR (month = ? AND day >= ?) OR (month = ? AND day <= ?))")
            params += [d1, d2] if m1 == m2 else [m1, m2, m1, d1, m2, d2]
    if cities:
        marks = ",".join("?" * len(cities))
        sql += f" AND (city_a IN ({marks}) OR city_b IN ({marks}))"
        params += [*cities, *cities]
    if not include_terminated:
        sql += " AND terminated = 0"
    if not networks:
        sql += f" AND type NOT IN {NETWORK_TYPES!r}"
    with view.datastore.transaction(commit=False) as c:
        c.execute(view._sql(sql), params)
        rows = c.fetchall()
    sources: dict[bytes, Any] = {}
    out = []
    for r in rows:
        if keep is None or keep(r["date"]):
            blob = bytes(r["source"])
            source = sources.get(blob)
            if source is None:
                source = sources[blob] = orjson.loads(blob)
            out.append({"stream": r["stream"], "event_id": r["event_id"], "type": r["type"], "date": r["date"], "cities": [r["city_a"], r["city_b"]],
                        "terminated": bool(r["terminated"]), "source": source, "disputed": bool(r["disputed"]),
                        "standing": r["standing"], "standing_from": r["standing_from"]})
    return out
