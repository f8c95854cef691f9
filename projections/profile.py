"""A place's profile (`amity city PLACE`): its partnerships, its networks, its coming anniversaries.

The profile is a document of named sections, each computed by one function of a ``Context`` (the reader,
the place, the day asked about and what the ledger knew when). ``SECTIONS`` lists them in order: a new kind
of fact adds its section by appending ``(name, function)`` (official counts, open disputes …), and the
document, its JSON and its rendering grow with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable

from amity.projections import anniversaries as ann


@dataclass
class Context:
    """What every section is computed from."""

    reader: Any  # projections.reader.Reader
    place: Any  # the place (ledger.placeindex.Place)
    spellings: list[str]  # every canonical string stored events carry for it
    as_of: date
    as_known_at: datetime | None
    days: int  # the window of coming anniversaries

    def networks(self) -> Any:
        from amity.projections.networkreader import NetworkReader

        return NetworkReader(self.reader)


def partnerships(ctx: Context) -> list[dict[str, Any]]:
    """Its partnerships on the day: each row of `status`, with the partner named."""
    rows = ctx.reader.status(place=ctx.place.id, as_of=ctx.as_of, as_known_at=ctx.as_known_at)
    for r in rows:
        others = [c for c, pid in zip(r["cities"], r["place_ids"]) if pid != ctx.place.id]
        r["partner"] = others[0] if others else r["cities"][0]
    return sorted(rows, key=lambda r: (r["status"] != "active", r["partner"]))


def networks(ctx: Context) -> list[dict[str, Any]]:
    """Its networks on the day, with its roles and since when (or "listed by")."""
    return ctx.networks().memberships(ctx.spellings, ctx.as_of, ctx.as_known_at)


def anniversaries(ctx: Context) -> list[dict[str, Any]]:
    """Its anniversaries (partnerships and networks) in the ``days`` from the day asked about."""
    start, end = ctx.as_of, ctx.as_of + timedelta(days=max(ctx.days, 1) - 1)
    if ctx.as_known_at:
        rows = _known_anniversaries(ctx, start, end)
    else:
        rows = ctx.reader.anniversaries(start, end, ann.MILESTONES, networks=True, places=ctx.spellings)
    mine = set(ctx.spellings)
    return [r for r in rows if mine & set(r["cities"])]


def _known_anniversaries(ctx: Context, start: date, end: date) -> list[dict[str, Any]]:
    """Anniversaries by what was recorded at ``as_known_at``: the place's streams replayed as known then."""
    from amity.projections.networks import anniversary_events
    from amity.projections.timing import known_at

    ledger, events = ctx.reader.ledger, []
    rows = ctx.reader.status(place=ctx.place.id, as_of=ctx.as_of, as_known_at=ctx.as_known_at)
    for _, records in ledger.decoded([ledger.pair(*row["place_ids"])[0] for row in rows]):  # one read for all of them
        events += ann.establishing(known_at(records, ctx.as_known_at))
    net = ctx.networks()
    from amity.projections import networkview

    streams = networkview.streams_of_members(net.view, ctx.spellings)
    for facts in net.facts(streams, ctx.as_known_at).values():
        events += anniversary_events(facts)
    return ann.mark(ann.rows_for([e for e in events if not e["terminated"]], ann.MILESTONES, start, end))


def counts(ctx: Context) -> list[dict[str, Any]]:
    """The official counts of the place dated by the day asked about, each against the ledger as of its own date (`amity check`)."""
    from amity.projections.counts import check_rows

    return [r for r in check_rows(ctx.reader, ctx.as_known_at, place=ctx.place.id) if r["date"] <= ctx.as_of.isoformat()]


def disputes(ctx: Context) -> list[dict[str, Any]]:
    """The open disputes about facts of its partnerships dated by the day asked about (like ``counts``), as known at ``as_known_at``."""
    from amity.projections.disputes import all_disputes

    mine, day = set(ctx.spellings), ctx.as_of.isoformat()
    return [r for r in all_disputes(ctx.reader.ledger, ctx.as_known_at)
            if r["status"] == "open" and mine & set(r["cities"]) and r["date"] <= day]


SECTIONS: list[tuple[str, Callable[[Context], Any]]] = [
    ("partnerships", partnerships),
    ("networks", networks),
    ("anniversaries", anniversaries),
    ("counts", counts),
    ("disputes", disputes),
]


def profile(reader: Any, place: str, as_of: date, as_known_at: datetime | None = None, days: int = 365) -> dict[str, Any]:
    """The profile document of ``place``: its identity, then every section of ``SECTIONS`` in order."""
    gaz = reader.prefer_ledger()
    found = gaz.resolve(place)
    ctx = Context(reader, found, gaz.spellings(found), as_of, as_known_at, days)
    from amity.events.fact import format_instant

    doc: dict[str, Any] = {"place": found.label, "place_id": found.id, "kind": found.kind, "as_of": as_of.isoformat(),
                           "as_known_at": format_instant(as_known_at) if as_known_at else None}
    for name, section in SECTIONS:
        doc[name] = section(ctx)
    return doc
