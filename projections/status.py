"""Partnership status: the row ``amity status`` prints, computed from a partnership's facts.

``status_row`` is the pure rule: fold the facts (as corrected, retractions dropped) whose earliest
possible day is on or before the query day D, in valid-time order. A fact whose period straddles D
(earliest ≤ D < latest, e.g. "2010" for 2010-06-01) counts as a possibility and marks the row
``uncertain``. ``dormant``: no event for N years before D, for any status but ``terminated``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Sequence

from amity.events.dates import add_years
from amity.events.partnership import Fact, PartnershipFact
from amity.ledger import amendments, lifecycle

DORMANT_YEARS = 5


def visible_on(facts: Sequence[tuple[int, PartnershipFact]], day: date) -> list[tuple[int, PartnershipFact]]:
    return [(p, f) for p, f in facts if f.date.earliest() <= day]


def status_row(records: Sequence[Fact], *, on: date, dormant_years: int = DORMANT_YEARS) -> dict[str, Any] | None:
    """The status row of one partnership on day ``on``, or None if nothing is on file by then."""
    facts = visible_on(amendments.effective(records), on)
    if not facts:
        return None
    s = lifecycle.standing_of(facts)
    cities = facts[0][1].cities
    return {
        "cities": list(cities),
        "status": s.status,
        "tier": s.tier,
        "since": str(s.since) if s.since else None,
        "established": str(s.established) if s.established else None,
        "implied_agreement": s.implied_agreement,
        "last_activity": str(s.last_activity) if s.last_activity else None,
        "dormant": is_dormant(s, on, dormant_years),
        "uncertain": any(f.date.latest() > on for _, f in facts),
        "events": s.events,
    }


def is_dormant(s: lifecycle.Standing, on: date, years: int) -> bool:
    if s.status == "terminated" or s.last_activity_day is None:
        return False
    return add_years(s.last_activity_day, years) < on


def matches(row: dict[str, Any], place: str | None, country: str | None, status: str | None, tier: str | None) -> bool:
    if place and place not in row["cities"]:
        return False
    if country and not any(c.endswith(f", {country.upper()}") for c in row["cities"]):
        return False
    if status and row["status"] != status:
        return False
    if tier and row["tier"] != tier:
        return False
    return True
