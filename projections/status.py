"""Partnership status: the row ``amity status`` prints, computed from a partnership's facts.

``status_row`` is the pure rule: fold the facts (as corrected, retractions dropped) whose earliest
possible day is on or before the query day D, in valid-time order. A fact whose period straddles D
(earliest ≤ D < latest, e.g. "2010" for 2010-06-01) counts as a possibility and marks the row
``uncertain``. ``dormant``: no event for N years before D, for any status but ``terminated``.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import TYPE_CHECKING, Any, Sequence

from amity.events.dates import add_years

if TYPE_CHECKING:  # the rules fold facts; a status read of the views (``row_on``) imports neither them nor the models
    from amity.events.partnership import Fact, PartnershipFact

DORMANT_YEARS = 5


def open_targets(records: Sequence[Fact]) -> dict[str, date]:
    from amity.projections.disputes import open_targets as found

    return found(records)


def status_row(records: Sequence[Fact], *, on: date, dormant_years: int = DORMANT_YEARS) -> dict[str, Any] | None:
    """The status row of one partnership on day ``on``, or None if nothing is on file by then.

    The row of the interval (``intervals``) that holds ``on``: the same step function the view stores; ``disputed``
    when a fact it folds by then is under an open dispute (projections/disputes.py).
    """
    items = intervals(records)
    i = bisect_right(items, on, key=_valid_from) - 1
    if i < 0:
        return None
    return row_on(items[i], on, dormant_years) | {"disputed": any(day <= on for day in open_targets(records).values())}


def _valid_from(interval: dict[str, Any]) -> date:
    return interval["valid_from"]


def intervals(records: Sequence[Fact]) -> list[dict[str, Any]]:
    """The partnership's status as a step function of the query day: rows valid on [valid_from, valid_to).

    The facts visible on day D are a prefix of the valid-time order (it sorts by earliest day first),
    so the standing only changes at an earliest day; ``uncertain`` also changes at a latest day.
    ``valid_to`` is None for the last interval. ``dormant`` is left to the query (it depends on D).
    """
    from amity.ledger import amendments

    return intervals_of(amendments.effective(records))


def intervals_of(effective: Sequence[tuple[int, PartnershipFact]]) -> list[dict[str, Any]]:
    """``intervals`` of facts already amended (corrections applied, retractions dropped)."""
    from amity.ledger import lifecycle

    facts = lifecycle.in_valid_time(effective)
    if not facts:
        return []
    cuts = sorted({f.date.earliest() for _, f in facts} | {f.date.latest() for _, f in facts})
    out: list[dict[str, Any]] = []
    s, i, last = lifecycle.Standing(), 0, len(cuts) - 1
    latest_seen = facts[0][1].date.latest()  # the latest day of the facts folded so far: uncertain while it is ahead
    cities = list(facts[0][1].cities)
    for n, day in enumerate(cuts):
        if i == len(facts) and out and latest_seen <= day and not out[-1]["uncertain"]:
            break  # nothing changes from here on: the last interval stays open
        while i < len(facts) and facts[i][1].date.earliest() <= day:
            fact = facts[i][1]
            s = lifecycle.evolve(s, fact)
            latest_seen = max(latest_seen, fact.date.latest())
            i += 1
        out.append({
            "valid_from": day, "valid_to": cuts[n + 1] if n < last else None, "cities": cities,
            "status": s.status, "tier": s.tier, "since": s.since and s.since._text, "established": s.established and s.established._text,
            "implied_agreement": s.implied_agreement, "last_activity": s.last_activity and s.last_activity._text,
            "last_activity_day": s.last_activity_day, "events": s.events, "uncertain": latest_seen > day,
        })
    out[-1]["valid_to"] = None
    return out


def row_on(interval: dict[str, Any], on: date, dormant_years: int = DORMANT_YEARS) -> dict[str, Any]:
    """The public status row of an interval on day ``on``."""
    last = interval["last_activity_day"]
    return {
        "cities": list(interval["cities"]), "status": interval["status"], "tier": interval["tier"],
        "since": interval["since"], "established": interval["established"],
        "implied_agreement": bool(interval["implied_agreement"]), "last_activity": interval["last_activity"],
        "dormant": dormant(interval["status"], asleep(last, on, dormant_years)), "uncertain": bool(interval["uncertain"]),
        "events": interval["events"],
    }


def asleep(last_activity: date | None, on: date, dormant_years: int = DORMANT_YEARS) -> bool:
    """No event for ``dormant_years`` before ``on``, the last one on ``last_activity`` (its latest possible day)."""
    return last_activity is not None and add_years(last_activity, dormant_years) < on


def dormant(status: str, is_asleep: bool) -> bool:
    """A row is dormant when its partnership is ``asleep``, whatever its status but terminated."""
    return is_asleep and status != "terminated"
