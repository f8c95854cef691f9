"""The partnership lifecycle: one pure fold over facts in valid-time order, and the rules it checks.

``none → proposed → approved → intent → active(tier) ⇄ suspended → terminated``

The write side calls ``check`` (the guards, one per row of the lifecycle table in the design notes)
before ``evolve``; the read side calls only ``evolve``, which is total and never raises, so replay
always works. ``replay`` sorts facts by (earliest day, lifecycle rank, latest day, record position).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Iterator, NamedTuple

from amity.events.dates import PartialDate, add_years
from amity.events.partnership import ACTIVITY_TYPES, PartnershipFact
from amity.ledger.errors import FutureDate, RuleViolation
from amity.ledger.fold import checked_fold

RESTORE_LULL_YEARS = 5
STATUS_ORDER = ("none", "proposed", "approved", "intent")
FORWARD = {"PartnershipProposed": "proposed", "ProposalApproved": "approved", "LetterOfIntentSigned": "intent"}
RANK = {
    "PartnershipProposed": 0, "ProposalApproved": 1, "LetterOfIntentSigned": 2, "MoUSigned": 3,
    "RelationshipElevated": 4, "RelationshipSuspended": 5, "RelationshipRestored": 6,
    "RelationshipTerminated": 7, "ForumScheduled": 8, "VisitStarted": 8, "CommemorationHeld": 9,
    "ForumHeld": 9, "ForumCancelled": 9, "VisitEnded": 10, "InvitationExtended": 8, "InvitationAnswered": 9,
}
_TIER_LEVEL = {"cooperation": 1, "friendship": 2, "sister": 3, "twin": 3}
NEEDS_AGREEMENT = frozenset({"RelationshipElevated", "RelationshipSuspended", "RelationshipRestored", "RelationshipTerminated"})
NOT_IN_FUTURE = frozenset(set(RANK) - ACTIVITY_TYPES)


def compare_tiers(a: str, b: str) -> int | None:
    """Sign of a − b; ``None`` when incomparable (business_partner vs cooperation)."""
    if a == b:
        return 0
    if "business_partner" in (a, b):
        other = b if a == "business_partner" else a
        if other == "cooperation":
            return None
        return -1 if a == "business_partner" else 1
    return (_TIER_LEVEL[a] > _TIER_LEVEL[b]) - (_TIER_LEVEL[a] < _TIER_LEVEL[b])


class Cause(NamedTuple):
    """A short reference to the fact that set part of the state, for messages."""

    type: str
    date: PartialDate
    id: Any  # the fact's id (a UUID), or None

    def __str__(self) -> str:
        short = f", id {str(self.id)[:8]}" if self.id else ""
        return f"{self.type} of {self.date}{short}"


def cause_of(fact: PartnershipFact) -> Cause:
    return Cause(fact.type, fact.date, fact.id)


class Standing(NamedTuple):
    """The state of one partnership after some facts, in valid-time order (a tuple: folds copy it cheaply)."""

    status: str = "none"
    tier: str | None = None
    since: PartialDate | None = None
    established: PartialDate | None = None
    implied_agreement: bool = False
    last_activity: PartialDate | None = None
    last_activity_day: date | None = None
    events: int = 0
    status_cause: Cause | None = None
    tier_cause: Cause | None = None
    activity_cause: Cause | None = None
    visits: tuple[tuple[str, str, date], ...] = ()  # (visit id, "start"/"end", day)
    forums: tuple[tuple[str, str, Cause], ...] = ()  # (forum id, what happened, cause)

    @property
    def has_agreement(self) -> bool:
        return self.status in ("active", "suspended", "terminated")


def replace(s: Standing, **changes: Any) -> Standing:
    return s._replace(**changes)


def sort_key(position: int, fact: PartnershipFact) -> tuple:
    return (fact.date.earliest(), RANK[fact.type], fact.date.latest(), position)


def in_valid_time(facts: Iterable[tuple[int, PartnershipFact]]) -> list[tuple[int, PartnershipFact]]:
    return sorted(facts, key=lambda pf: sort_key(*pf))


# ---- guards: one per row of the lifecycle table ---------------------------------------------

def check_not_in_future(fact: PartnershipFact, today: date) -> None:
    if fact.type in NOT_IN_FUTURE and fact.date.earliest() > today:
        raise FutureDate(f"{fact.type} is dated {fact.date}, after today ({today}); only forums and visits may be dated ahead")


def check_not_terminated(s: Standing, fact: PartnershipFact) -> None:
    if s.status == "terminated":
        raise RuleViolation(f"{fact.type} of {fact.date} follows the termination on file ({s.status_cause}); record the agreement that re-established the tie first, or correct the termination")


def check_tier_not_lowered(s: Standing, fact: PartnershipFact) -> None:
    tier = fact.tier  # type: ignore[attr-defined]
    if s.status in ("active", "suspended") and s.tier is not None and compare_tiers(tier, s.tier) == -1:
        raise RuleViolation(f"MoUSigned at tier {tier!r} on {fact.date} is below the current tier {s.tier!r} ({s.tier_cause}); use EventCorrected to fix the earlier fact")


def check_tier_rises(s: Standing, fact: PartnershipFact) -> None:
    to_tier, from_tier = fact.to_tier, fact.from_tier  # type: ignore[attr-defined]
    if s.tier is not None and from_tier is not None and compare_tiers(from_tier, s.tier) != 0:
        raise RuleViolation(f"RelationshipElevated of {fact.date} says from {from_tier!r}, but the tier on file is {s.tier!r} ({s.tier_cause})")
    if s.tier is not None and compare_tiers(to_tier, s.tier) != 1:
        raise RuleViolation(f"RelationshipElevated to {to_tier!r} on {fact.date} does not raise the tier (already {s.tier!r}, {s.tier_cause}); use EventCorrected to fix the earlier fact")
    if s.tier is None and from_tier is not None and compare_tiers(to_tier, from_tier) != 1:
        raise RuleViolation(f"RelationshipElevated of {fact.date} from {from_tier!r} to {to_tier!r} does not raise the tier")


def check_not_suspended(s: Standing, fact: PartnershipFact) -> None:
    if s.status == "suspended":
        raise RuleViolation(f"RelationshipSuspended of {fact.date}: the tie is already suspended ({s.status_cause}); record the restoration between them first")


def check_restoration_follows_lull(s: Standing, fact: PartnershipFact) -> None:
    if s.status == "active" and s.last_activity_day is not None:
        if add_years(s.last_activity_day, RESTORE_LULL_YEARS) > fact.date.earliest():
            raise RuleViolation(f"RelationshipRestored of {fact.date}: the tie is active with activity in the {RESTORE_LULL_YEARS} years before ({s.activity_cause}); a restoration follows a suspension or a lull")


def check_visit_and_forum(s: Standing, fact: PartnershipFact) -> None:
    if fact.type == "VisitStarted" and fact.end_date is not None and fact.end_date.latest() < fact.date.earliest():  # type: ignore[attr-defined]
        raise RuleViolation(f"VisitStarted of {fact.date} ends on {fact.end_date}, before it starts")  # type: ignore[attr-defined]
    visit = fact.visit if fact.type in ("VisitStarted", "VisitEnded") else None  # type: ignore[attr-defined]
    if visit:
        for vid, what, day in s.visits:
            if vid == visit and what == "start" and fact.type == "VisitEnded" and fact.date.latest() < day:
                raise RuleViolation(f"VisitEnded of {fact.date} ends visit {visit!r} before it starts ({day})")
            if vid == visit and what == "end" and fact.type == "VisitStarted" and day < fact.date.earliest():
                raise RuleViolation(f"VisitStarted of {fact.date} starts visit {visit!r} after it ended ({day})")
    forum = fact.forum if fact.type in ("ForumHeld", "ForumCancelled") else None  # type: ignore[attr-defined]
    if forum:
        for fid, what, cause in s.forums:
            if fid == forum and what in ("ForumHeld", "ForumCancelled") and what != fact.type:
                raise RuleViolation(f"{fact.type} of {fact.date}: forum {forum!r} was already {'held' if what == 'ForumHeld' else 'cancelled'} ({cause})")


def check(s: Standing, fact: PartnershipFact) -> None:
    """Raise ``RuleViolation`` if ``fact`` contradicts ``s``; the lifecycle table, row by row."""
    kind = fact.type
    if kind == "MoUSigned":
        check_tier_not_lowered(s, fact)
    elif kind == "RelationshipElevated":
        check_not_terminated(s, fact)
        check_tier_rises(s, fact)
    elif kind == "RelationshipSuspended":
        check_not_terminated(s, fact)
        check_not_suspended(s, fact)
    elif kind == "RelationshipRestored":
        check_not_terminated(s, fact)
        check_restoration_follows_lull(s, fact)
    elif kind == "RelationshipTerminated":
        check_not_terminated(s, fact)
    elif kind in ACTIVITY_TYPES:
        check_visit_and_forum(s, fact)


# ---- evolve: total, never raises -----------------------------------------------------------

def evolve(s: Standing, fact: PartnershipFact) -> Standing:
    """The standing after ``fact``; tolerant of anything (replay must always work)."""
    c = cause_of(fact)
    latest = fact.date.latest()
    if s.last_activity_day is None or latest >= s.last_activity_day:
        s = s._replace(events=s.events + 1, last_activity=fact.date, last_activity_day=latest, activity_cause=c)
    else:
        s = s._replace(events=s.events + 1)
    kind = fact.type
    if kind in FORWARD:
        target = FORWARD[kind]
        tier = (fact.tier if kind == "LetterOfIntentSigned" else None) or s.tier  # type: ignore[attr-defined]
        if s.status == "terminated" or (s.status in STATUS_ORDER and STATUS_ORDER.index(target) > STATUS_ORDER.index(s.status)):
            return replace(s, status=target, since=fact.date, status_cause=c, tier=tier, tier_cause=c if tier != s.tier else s.tier_cause)
        return s
    if kind == "MoUSigned":
        tier = fact.tier  # type: ignore[attr-defined]
        established = s.established or (None if s.implied_agreement else fact.date)
        if s.status == "active" and s.tier is not None and compare_tiers(tier, s.tier) != 1:
            return replace(s, established=established)
        return replace(s, status="active", tier=tier, since=fact.date, established=established, status_cause=c, tier_cause=c)
    implied = s.implied_agreement or (kind in NEEDS_AGREEMENT and not s.has_agreement)
    if not s.has_agreement and kind in NEEDS_AGREEMENT:
        s = replace(s, tier=None, tier_cause=None, implied_agreement=implied)
    if kind == "RelationshipElevated":
        return replace(s, status="active" if s.status != "suspended" else "suspended", tier=fact.to_tier, since=fact.date, status_cause=c, tier_cause=c)  # type: ignore[attr-defined]
    if kind == "RelationshipSuspended":
        return replace(s, status="suspended", since=fact.date, status_cause=c)
    if kind == "RelationshipRestored":
        return replace(s, status="active", since=fact.date, status_cause=c)
    if kind == "RelationshipTerminated":
        return replace(s, status="terminated", since=fact.date, status_cause=c)
    if kind in ("VisitStarted", "VisitEnded") and fact.visit:  # type: ignore[attr-defined]
        day = fact.date.earliest() if kind == "VisitStarted" else fact.date.latest()
        return replace(s, visits=s.visits + ((fact.visit, "start" if kind == "VisitStarted" else "end", day),))  # type: ignore[attr-defined]
    if kind in ("ForumScheduled", "ForumHeld", "ForumCancelled") and fact.forum:  # type: ignore[attr-defined]
        return replace(s, forums=s.forums + ((fact.forum, kind, c),))  # type: ignore[attr-defined]
    return s


def replay(facts: Iterable[tuple[int, PartnershipFact]]) -> Iterator[tuple[int, PartnershipFact, Standing]]:
    """Each fact in valid-time order with the standing after it (never raises)."""
    s = Standing()
    for position, fact in in_valid_time(facts):
        s = evolve(s, fact)
        yield position, fact, s


def standing_of(facts: Iterable[tuple[int, PartnershipFact]]) -> Standing:
    s = Standing()
    for _, _, s in replay(facts):
        pass
    return s


def validate(facts: Iterable[tuple[int, PartnershipFact]], today: date, new: set[int] | None = None) -> Standing:
    """Fold with the rules; raise ``RuleViolation`` at the first contradiction (``ledger/fold.py``).

    ``new`` holds the positions of the facts being added (only they are checked against ``today``)."""
    def step(s: Standing, fact: PartnershipFact, is_new: bool) -> Standing:
        if is_new:
            check_not_in_future(fact, today)
        check(s, fact)
        return evolve(s, fact)

    return checked_fold(in_valid_time(facts), Standing(), step, new, cause_of, "; a fact dated between them may be missing")
