"""Anniversaries of establishing events (proclamation, MoU or agreement, elevation, restoration).

An anniversary keeps the precision of its source date: a day-precise MoU of 2010-11-25 has its 15th
anniversary on 2025-11-25; an elevation known only as "2010" has its 15th "in 2025" (``on: "2025"``).
A day-precise 29 February falls on 28 February in a common year. Retracted events give none;
corrected dates move them; partnerships terminated now are left out unless asked for.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from amity.events.dates import PartialDate
from amity.events.vocab import ESTABLISHING_TYPES
from amity.projections.anniversaryview import NETWORK_TYPES

if TYPE_CHECKING:  # the event models: reading anniversaries from the view never imports them (nor pydantic)
    from amity.events.partnership import Fact, PartnershipFact

MILESTONES = (1, 5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 100)


def parse_milestones(text: str | None) -> tuple[int, ...]:
    from amity.ledger.errors import BadInput

    if not text:
        return MILESTONES
    try:
        values = tuple(sorted({int(x) for x in text.split(",") if x.strip()}))
    except ValueError:
        raise BadInput(f"--milestones {text!r}: use whole numbers of years, e.g. 5,10,25") from None
    if not values or values[0] < 1:
        raise BadInput(f"--milestones {text!r}: use whole numbers of years from 1, e.g. 5,10,25")
    return values


def establishing(records: Sequence[Fact]) -> list[dict[str, Any]]:
    """The establishing events of one partnership, as corrected, with whether the tie is terminated now."""
    from amity.ledger import amendments, lifecycle
    from amity.projections.disputes import open_targets

    facts, disputed = amendments.effective(records), open_targets(records)
    return [{**e, "disputed": e["event_id"] in disputed} for e in establishing_of(facts, lifecycle.standing_of(facts).status == "terminated")]


def establishing_of(facts: Sequence[tuple[int, PartnershipFact]], terminated: bool) -> list[dict[str, Any]]:
    """``establishing`` of facts already amended, given whether the tie is terminated now."""
    return [
        {"event_id": str(f.id), "type": f.type, "date": str(f.date), "year": f.date.year, "cities": list(f.cities),
         "terminated": terminated, "source": source_of(f)}
        for _, f in facts if f.type in ESTABLISHING_TYPES
    ]


def source_of(fact: Fact) -> dict[str, Any]:
    """A fact's source as a JSON-ready dict (a replayed fact may carry it as stored, already a dict)."""
    source = fact.source
    return source if isinstance(source, dict) else source.model_dump(mode="json", exclude_none=True)


class Window:
    """The anniversaries that fall in [start, end] (inclusive) at the given milestones, event date by event date.

    An anniversary lies within its year, so only the milestones that land in the window's years are tried; each
    event date is worked out once (a ledger holds far fewer distinct dates than events)."""

    def __init__(self, milestones: Sequence[int], start: date, end: date) -> None:
        self.start, self.end, self.wanted = start, end, frozenset(milestones)
        self.years = range(start.year, end.year + 1)
        self._seen: dict[str, list[tuple[int, PartialDate]]] = {}

    def of(self, text: str) -> list[tuple[int, PartialDate]]:
        """(years, the anniversary) of an event dated ``text``, in the window."""
        found = self._seen.get(text)
        if found is None:
            d = PartialDate.parse(text)
            found = self._seen[text] = [(m, on) for m in sorted(y - d.year for y in self.years if y - d.year in self.wanted)
                                        for on in (d.add_years(m),) if on.earliest() <= self.end and on.latest() >= self.start]
        return found

    def months(self) -> list[str] | None:
        """The months (``MM``) the window touches, or None when it touches all twelve: what a view may pre-filter by."""
        if (self.end - self.start).days >= 366:
            return None
        out, day = set(), self.start.replace(day=1)
        while day <= self.end:
            out.add(f"{day.month:02d}")
            day = (day + timedelta(days=32)).replace(day=1)
        return sorted(out) if len(out) < 12 else None

    def bounds(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """(month, day) of the window's first and last days when it touches fewer than twelve months (else None): a
        day-precise event dated in the first month before that day, or in the last after it, has no anniversary in it
        (a 29 February falls on the 28th in a common year: a last day of 28 February keeps the 29th)."""
        if self.months() is None:
            return None
        last = (self.end.month, 29 if (self.end.month, self.end.day) == (2, 28) else self.end.day)
        return (self.start.month, self.start.day), last


def rows_for(events: Iterable[dict[str, Any]], milestones: Sequence[int], start: date, end: date, window: Window | None = None) -> list[dict[str, Any]]:
    """Anniversary rows whose period overlaps [start, end] (inclusive); ``window``: that window's, already asked."""
    window = window or Window(milestones, start, end)
    out, made = [], {}  # (sort key, row)
    for e in events:
        found = made.get(e["date"])
        if found is None:  # each event date's anniversaries worked out once, with their sort keys
            found = made[e["date"]] = [(m, str(on), on.precision, on.sort_key()) for m, on in window.of(e["date"])]
        for m, on, precision, key in found:
            row = {
                "cities": e["cities"], "years": m, "on": on, "precision": precision,
                "partial": precision != "day", "event": e["type"], "event_date": e["date"],
                "event_id": e["event_id"], "source": e["source"], "suspended": bool(e.get("suspended")),
                "disputed": bool(e.get("disputed")),
            }
            out.append((key, row))
    out.sort(key=lambda kr: (kr[0], kr[1]["cities"], kr[1]["years"]))
    return [row for _, row in out]


def mark(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Anniversary rows of networks marked as such: ``network`` and ``member`` (None for a founding), and
    ``cities`` the member alone (or nothing); the view stores them as (network, member or "")."""
    for r in rows:
        if r["event"] in NETWORK_TYPES:
            network, member = r["cities"]
            r.update(network=network, member=member or None, cities=[member] if member else [])
    return rows


def year_window(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def day_window(start: date, days: int) -> tuple[date, date]:
    return start, start + timedelta(days=max(days, 1) - 1)


def candidate_years(start: date, end: date, milestones: Sequence[int]) -> list[int]:
    """Event years that can have an anniversary in [start, end]."""
    return sorted({y - m for m in milestones for y in range(start.year, end.year + 1)})
