"""The networks' view tables, beside the partnerships' (same tracking position, same transactions).

``amity_networks`` holds one row per network: its name, short name, every name it was registered under, and
its facts as amended, in valid-time order (``projections.networks.view_rows``), so a question about a network
on any day is a fold of one row. ``amity_network_members`` says which networks a place or party appears in
(a city's profile), and ``amity_network_member_facts`` holds, per network, the facts about each member and (under
the member "") the network's own, each with its place in the network's row: a place's memberships are folded from
its own few facts, not from every fact of its networks. ``amity_network_days`` holds `amity networks`' row of each
network with its member count as steps of the day (``projections.networkdays``), so listing every network is a
bisection per network, not a fold. Anniversary rows of networks go to ``amity_anniversary_events`` (``anniversaryview``). SQL is
written once with ``?`` placeholders; the view's ``_sql`` adapts it to its store.
"""

from __future__ import annotations

from typing import Any, Sequence

from amity.projections.viewrows import replace_rows

TABLES = [
    "CREATE TABLE IF NOT EXISTS amity_networks ("
    "stream TEXT PRIMARY KEY, name TEXT NOT NULL, short TEXT, names BLOB NOT NULL, facts BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS amity_network_members ("
    "member TEXT NOT NULL, stream TEXT NOT NULL, PRIMARY KEY (member, stream))",
    "CREATE INDEX IF NOT EXISTS amity_network_members_stream ON amity_network_members (stream)",
    "CREATE TABLE IF NOT EXISTS amity_network_member_facts ("
    "member TEXT NOT NULL, stream TEXT NOT NULL, facts BLOB NOT NULL, PRIMARY KEY (member, stream))",
    "CREATE INDEX IF NOT EXISTS amity_network_member_facts_stream ON amity_network_member_facts (stream)",
    "CREATE TABLE IF NOT EXISTS amity_network_days (stream TEXT PRIMARY KEY, summary TEXT NOT NULL)",
]
NAMES = ("amity_networks", "amity_network_members", "amity_network_member_facts", "amity_network_days")
DIGEST_QUERIES = ("SELECT stream, name, short, names, facts FROM amity_networks ORDER BY stream",
                  "SELECT member, stream FROM amity_network_members ORDER BY member, stream",
                  "SELECT member, stream, facts FROM amity_network_member_facts ORDER BY stream, member",  # a network's rows together
                  "SELECT stream, summary FROM amity_network_days ORDER BY stream")


def replace_rows_in(view: Any, c: Any, streams: Sequence[str], networks: Sequence[tuple], members: Sequence[tuple], fresh: bool,
                    days: Sequence[tuple] = ()) -> None:
    """Replace the network rows of the given streams (in the caller's transaction); ``members``: (member, stream,
    facts) rows (``projections.networks.view_rows``), the network's own under the member ""; ``days``: each
    network's `amity networks` row by day (``projections.networkdays``)."""
    replace_rows(c, view._sql, streams, fresh, NAMES, [
        ("INSERT INTO amity_networks (stream, name, short, names, facts) VALUES (?, ?, ?, ?, ?)", networks),
        ("INSERT INTO amity_network_members (member, stream) VALUES (?, ?)", [(m, s) for m, s, _ in members if m]),
        ("INSERT INTO amity_network_member_facts (member, stream, facts) VALUES (?, ?, ?)", members),
        ("INSERT INTO amity_network_days (stream, summary) VALUES (?, ?)", days)])


def reset_in(view: Any, c: Any) -> None:
    for table in NAMES:
        c.execute(view._sql(f"DELETE FROM {table}"))


DAMAGED = ("the network views hold a row that does not decode (edited behind Amity's back): `amity verify` "
           "reports it, `amity rebuild` recomputes the views from the events")


def decoded(blob: Any, decode: Any = None) -> Any:
    """A view row's JSON (``decode``d further if given), or one clear error if the row was forged or damaged."""
    import orjson

    from amity.ledger.errors import IntegrityError

    try:
        value = orjson.loads(blob if isinstance(blob, str) else bytes(blob))
        return value if decode is None else decode(value)
    except (orjson.JSONDecodeError, TypeError, ValueError, KeyError, AttributeError):
        raise IntegrityError(DAMAGED) from None


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ValueError("not a list of names")
    return value


def directory_rows(view: Any) -> list[dict[str, Any]]:
    """(stream, name, short, names) of every network: what a name resolves against on the read side."""
    with view.datastore.transaction(commit=False) as c:
        c.execute(view._sql("SELECT stream, name, short, names FROM amity_networks ORDER BY name"))
        return [{"stream": r["stream"], "name": r["name"], "short": r["short"], "names": decoded(r["names"], _texts)} for r in c.fetchall()]


def facts_rows(view: Any, streams: Sequence[str] | None = None) -> list[tuple[str, bytes]]:
    """(stream, facts blob) of the given networks, or of all."""
    sql, params = "SELECT stream, facts FROM amity_networks", list(streams or ())
    if streams is not None:
        if not streams:
            return []
        sql += f" WHERE stream IN ({','.join('?' * len(params))})"
    with view.datastore.transaction(commit=False) as c:
        c.execute(view._sql(sql + " ORDER BY stream"), params)
        return [(r["stream"], bytes(r["facts"])) for r in c.fetchall()]


def day_rows(view: Any) -> list[str]:
    """Every network's ``amity_network_days`` summary, as JSON (``networkdays.summary_on`` reads one, decoded)."""
    with view.datastore.transaction(commit=False) as c:
        c.execute(view._sql("SELECT summary FROM amity_network_days ORDER BY stream"))
        return [r["summary"] for r in c.fetchall()]


def member_facts(view: Any, members: Sequence[str]) -> dict[str, list[list[Any]]]:
    """Stream → the facts ([position, wire], in the order of the network's row) of each network in which any of the
    given (canonical) places or parties appear: the network's own facts and those about these members."""
    if not members:
        return {}
    marks = ",".join("?" * len(members))
    sql = (f"SELECT stream, facts FROM amity_network_member_facts WHERE member IN ({marks}) OR (member = '' AND stream IN "
           f"(SELECT stream FROM amity_network_member_facts WHERE member IN ({marks}))) ORDER BY stream")
    with view.datastore.transaction(commit=False) as c:
        c.execute(view._sql(sql), [*members, *members])
        rows = c.fetchall()
    found: dict[str, list[list[Any]]] = {}
    for r in rows:
        found.setdefault(r["stream"], []).extend(decoded(r["facts"], _items))
    return {stream: [item[1:] for item in sorted(items, key=_place)] for stream, items in found.items()}


def _items(value: Any) -> list[list[Any]]:
    if not isinstance(value, list) or not all(isinstance(x, list) and len(x) == 3 and isinstance(x[0], int) for x in value):
        raise ValueError("not a list of facts")
    return value


def _place(item: list[Any]) -> int:
    return item[0]


def streams_of_members(view: Any, members: Sequence[str]) -> list[str]:
    """The networks in which any of the given (canonical) places or parties appear."""
    if not members:
        return []
    with view.datastore.transaction(commit=False) as c:
        c.execute(view._sql(f"SELECT DISTINCT stream FROM amity_network_members WHERE member IN ({','.join('?' * len(members))})"), list(members))
        return sorted(r["stream"] for r in c.fetchall())
