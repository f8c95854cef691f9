"""A network's roll: one pure fold over its facts in valid-time order, and the rules it checks.

Per member: ``joined`` (from ``MembershipJoined``), ``listed`` ("member, joined by D at the latest", from the
earliest ``MembershipListed``), ``left`` (after ``MembershipLeft``). The write side calls ``validate`` (the
guards: registering a network twice, joining while a member, leaving twice or without being a member, a role
for a non-member, a fact dated before the founding); the read side calls ``roll_of``, whose ``evolve`` is
total and never raises, so replay always works. Order: (earliest day, rank, latest day, record position).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, NamedTuple, Sequence

from amity.events.dates import PartialDate
from amity.events.network import NetworkFact
from amity.ledger.errors import FutureDate, RuleViolation
from amity.ledger.fold import checked_fold
from amity.ledger.lifecycle import Cause

RANK = {"NetworkRegistered": 0, "MembershipJoined": 1, "MembershipListed": 2, "NetworkRoleHeld": 3,
        "NetworkMeetingHeld": 4, "MembershipLeft": 5}
MAY_BE_AHEAD = frozenset({"NetworkMeetingHeld"})  # a meeting may be scheduled; nothing else is dated after today
_NO_DATE = (date.min, 0, date.min)


class Standing(NamedTuple):
    """One member's standing: ``joined``, ``listed`` or ``left``, since when, and the fact that set it."""

    state: str
    since: PartialDate
    cause: Cause
    fact: Any  # the fact that set it (its source, for sourced output)

    @property
    def is_member(self) -> bool:
        return self.state in ("joined", "listed")


@dataclass
class Roll:
    """The state of one network after some facts, in valid-time order."""

    registration: Any = None  # the NetworkRegistered fact (as corrected)
    members: dict[str, Standing] = field(default_factory=dict)
    roles: list[Any] = field(default_factory=list)  # NetworkRoleHeld facts
    meetings: list[Any] = field(default_factory=list)  # NetworkMeetingHeld facts
    events: int = 0
    latest_seen: date = date.min  # the latest day of the facts folded: a roll on an earlier day is uncertain
    name: str | None = None  # the network's name as the facts store it
    founding: Any = None  # the registration on file, whatever its date (a joining may be dated before it)

    @property
    def founded(self) -> PartialDate | None:
        found = self.registration or self.founding
        return found.founded if found is not None else None


def sort_key(position: int, fact: NetworkFact) -> tuple:
    d = fact.date
    if d is None:  # a registration without a date or a founding: before everything
        return (*_NO_DATE, position)
    return (d.earliest(), RANK[fact.type], d.latest(), position)


def in_valid_time(facts: Iterable[tuple[int, NetworkFact]]) -> list[tuple[int, NetworkFact]]:
    return sorted(facts, key=lambda pf: sort_key(*pf))


def cause_of(fact: Any) -> Cause:
    """A short reference to a fact for messages (a registration may have no date)."""
    return Cause(fact.type, fact.date if fact.date is not None else "no date", fact.id)


def _who(fact: Any) -> str:
    return f"{fact.member} in {fact.network}"


# ---- guards -------------------------------------------------------------------------------------

def check_not_in_future(fact: NetworkFact, today: date) -> None:
    if fact.type not in MAY_BE_AHEAD and fact.date is not None and fact.date.earliest() > today:
        raise FutureDate(f"{fact.type} is dated {fact.date}, after today ({today}); only meetings may be dated ahead")


def check_registered_once(r: Roll, fact: NetworkFact) -> None:
    if r.registration is not None:
        raise RuleViolation(f"NetworkRegistered: {fact.network} is already registered ({cause_of(r.registration)}); "
                            "use EventCorrected to change its fields")


def check_not_before_founding(r: Roll, fact: NetworkFact) -> None:
    founded = r.founded
    if founded is not None and fact.date.latest() < founded.earliest():
        raise RuleViolation(f"{fact.type} of {fact.date} is before {fact.network} was founded ({founded}, "
                            f"{cause_of(r.registration or r.founding)}); correct one of them")


def check_joins_once(r: Roll, fact: Any) -> None:
    s = r.members.get(fact.member)
    if s is None or not s.is_member:
        return
    if s.state == "joined":
        raise RuleViolation(f"MembershipJoined of {fact.date}: {_who(fact)} is already a member ({s.cause}); "
                            "record its MembershipLeft between them, or correct the earlier fact")
    if s.since.latest() < fact.date.earliest():
        raise RuleViolation(f"MembershipJoined of {fact.date}: {_who(fact)} is listed as a member earlier ({s.cause}); "
                            "record its MembershipLeft between them, or correct one of them")


def check_leaves_a_member(r: Roll, fact: Any) -> None:
    s = r.members.get(fact.member)
    if s is None:
        raise RuleViolation(f"MembershipLeft of {fact.date}: {_who(fact)} is not a member by then (no MembershipJoined "
                            "or MembershipListed on file before it); record when it joined first")
    if s.state == "left":
        raise RuleViolation(f"MembershipLeft of {fact.date}: {_who(fact)} already left ({s.cause}); it cannot leave twice")


def check_role_of_member(r: Roll, fact: Any) -> None:
    if fact.until is not None and fact.until.latest() < fact.date.earliest():
        raise RuleViolation(f"NetworkRoleHeld of {fact.date} ends ({fact.until}) before it starts")
    s = r.members.get(fact.member)
    if s is None or not s.is_member:
        was = f" (it left: {s.cause})" if s is not None else " (no MembershipJoined or MembershipListed on file before it)"
        raise RuleViolation(f"NetworkRoleHeld of {fact.date}: {_who(fact)} holds {fact.role!r} but is not a member then{was}; "
                            "record the membership first")


def check(r: Roll, fact: NetworkFact) -> None:
    """Raise ``RuleViolation`` if ``fact`` contradicts ``r``; one guard per rule."""
    kind = fact.type
    if kind == "NetworkRegistered":
        check_registered_once(r, fact)
        return
    check_not_before_founding(r, fact)
    if kind == "MembershipJoined":
        check_joins_once(r, fact)
    elif kind == "MembershipLeft":
        check_leaves_a_member(r, fact)
    elif kind == "NetworkRoleHeld":
        check_role_of_member(r, fact)


# ---- evolve: total, never raises ------------------------------------------------------------------

def evolve(r: Roll, fact: NetworkFact) -> Roll:
    """``r`` after ``fact`` (in place); tolerant of anything (replay must always work)."""
    r.events += 1
    r.name = r.name or fact.network
    if fact.date is not None:
        r.latest_seen = max(r.latest_seen, fact.date.latest())
    kind = fact.type
    if kind == "NetworkRegistered":
        if r.registration is None:
            r.registration, r.name = fact, fact.network
        return r
    member = getattr(fact, "member", None)
    s = r.members.get(member) if member else None
    if kind == "MembershipJoined" and (s is None or s.state != "joined"):
        r.members[member] = Standing("joined", fact.date, cause_of(fact), fact)
    elif kind == "MembershipListed" and (s is None or not s.is_member):
        r.members[member] = Standing("listed", fact.date, cause_of(fact), fact)
    elif kind == "MembershipLeft" and s is not None and s.is_member:
        r.members[member] = Standing("left", fact.date, cause_of(fact), fact)
    elif kind == "NetworkRoleHeld":
        r.roles.append(fact)
    elif kind == "NetworkMeetingHeld":
        r.meetings.append(fact)
    return r


def visible_on(facts: Sequence[tuple[int, NetworkFact]], day: date | None) -> list[tuple[int, NetworkFact]]:
    """The facts that may have happened by ``day`` (their earliest day on or before it); all when ``day`` is None."""
    if day is None:
        return list(facts)
    return [(p, f) for p, f in facts if f.date is None or f.date.earliest() <= day]


def roll_of(facts: Iterable[tuple[int, NetworkFact]], day: date | None = None) -> Roll:
    """The roll on ``day`` (None: with every fact), of facts already amended."""
    r = Roll()
    for _, fact in in_valid_time(visible_on(list(facts), day)):
        evolve(r, fact)
    return r


def validate(facts: Iterable[tuple[int, NetworkFact]], today: date, new: set[int] | None = None) -> Roll:
    """Fold with the rules; raise ``RuleViolation`` at the first contradiction (its ``position`` set).

    ``new`` holds the positions of the facts being added; a contradiction met at an older fact is reported as
    caused by the new ones (the older facts were consistent on their own).
    """
    ordered = in_valid_time(facts)

    def step(r: Roll, fact: NetworkFact, is_new: bool) -> Roll:
        if is_new:
            check_not_in_future(fact, today)
        check(r, fact)
        evolve(r, fact)
        return r

    founding = min(((p, f) for p, f in ordered if f.type == "NetworkRegistered"), default=(0, None), key=lambda pf: pf[0])[1]
    return checked_fold(ordered, Roll(founding=founding), step, new, cause_of)


def role_holds_on(fact: Any, day: date | None) -> bool:
    """Whether a role (``NetworkRoleHeld``) may still be held on ``day`` (it has not ended by then)."""
    return fact.until is None or day is None or fact.until.latest() >= day
