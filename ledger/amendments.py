"""Corrections and retractions: the facts as they stand after every amendment on file.

A correction replaces fields of its target (not ``type``, ``cities``, ``id`` or ``recorded_*``); for
each field the correction recorded last wins, and retracting a correction undoes it. A retracted
fact no longer counts. Nothing is edited: the originals stay on file and ``history`` shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence
from uuid import UUID

from pydantic import ValidationError

from amity.events.network import NetworkFact
from amity.events.partnership import EventCorrected, EventRetracted, Fact, PartnershipFact
from amity.events.wire import RECORD_FIELDS, WireError, _wire_error, to_wire
from amity.ledger import claims, corroboration
from amity.ledger.errors import BadInput, UnknownEvent

FROZEN_FIELDS = frozenset({"type", "cities", "as_written", "id", *RECORD_FIELDS, "network", "short", "member"})  # who or what a fact is about
BASE_FACTS = (PartnershipFact, NetworkFact)  # what amendments amend: a partnership's facts or a network's


@dataclass
class Amended:
    """One base fact with what happened to it."""

    position: int
    original: PartnershipFact
    current: PartnershipFact
    corrections: list[EventCorrected] = field(default_factory=list)
    retraction: EventRetracted | None = None
    disputes: list[claims.Dispute] = field(default_factory=list)  # ledger/claims.py

    @property
    def disputed(self) -> bool:
        """An open dispute of a fact that still counts."""
        return self.retraction is None and any(d.open for d in self.disputes)


def check_changes(changes: dict[str, Any]) -> None:
    bad = sorted(FROZEN_FIELDS & set(changes))
    if bad:
        raise BadInput(f"a correction cannot change {', '.join(bad)}: retract the event and record it anew")


def apply_changes(target: Any, changes: dict[str, Any]) -> Any:
    """The target with ``changes`` applied, validated like a new event."""
    check_changes(changes)
    merged = {**to_wire(target), **changes}
    merged = {k: v for k, v in merged.items() if v is not None}
    try:
        return type(target).model_validate(merged)
    except ValidationError as exc:
        err: WireError = _wire_error(exc, type(target))
        raise BadInput(f"correction of {target.type} {target.id}: {err}") from None


def retracted_ids(records: Sequence[Fact]) -> set[str]:
    """Ids retracted by a retraction that is itself still in force (newest first)."""
    out: set[str] = set()
    for fact in reversed(records):
        if out and str(fact.id) in out:
            continue
        if isinstance(fact, EventRetracted):
            out.add(str(fact.target))
    return out


def amend(records: Sequence[Fact], base: Any = BASE_FACTS) -> list[Amended]:
    """Base facts in record order with corrections and retractions applied (retracted kept, flagged)."""
    out: list[Amended] = []
    amending = False
    for position, fact in enumerate(records):
        if isinstance(fact, base):
            out.append(Amended(position, fact, fact))
        else:
            amending = True
    if not amending:  # most partnerships: nothing corrected, retracted or disputed
        return out
    gone = retracted_ids(records)
    by_id = {a.original.id: a for a in out}
    in_force = claims.claims_in(records, gone, _tolerant_apply)
    decided = claims.deciding(records, in_force)
    accepted = claims.accepted_changes(in_force, decided)
    for position, fact in enumerate(records):
        if isinstance(fact, EventCorrected) and str(fact.id) not in gone:
            item = by_id.get(fact.target)
            if item is not None:
                item.corrections.append(fact)
                item.current = _tolerant_apply(item.current, fact.changes)
        elif isinstance(fact, EventRetracted) and str(fact.id) not in gone:
            item = by_id.get(fact.target)
            if item is not None:
                item.retraction = fact
        elif position in accepted:  # a resolution accepting the disputed value: as a correction would
            target, changes = accepted[position]
            item = by_id.get(UUID(target))
            if item is not None:
                item.current = _tolerant_apply(item.current, changes)
    for target, found in claims.disputes_by_target(in_force, decided).items():
        item = by_id.get(UUID(target))
        if item is not None:
            item.disputes = found
    return out


def _tolerant_apply(target: Any, changes: dict[str, Any]) -> Any:
    try:
        return apply_changes(target, changes)
    except BadInput:
        return target  # the write side never stores an invalid correction; replay must not fail


def effective(records: Sequence[Fact], base: Any = BASE_FACTS) -> list[tuple[int, PartnershipFact]]:
    """(record position, fact as corrected) for every base fact that counts: not retracted, not a corroboration
    of another (``ledger/corroboration.py``: the same fact from another source counts once)."""
    if all(isinstance(f, base) for f in records):  # nothing amended: every fact as recorded
        return corroboration.standing(list(enumerate(records)))  # type: ignore[arg-type]
    return corroboration.standing([(a.position, a.current) for a in amend(records, base) if a.retraction is None])


def effective_and_notices(records: Sequence[Fact], start: int, amended: list[Amended] | None = None) -> tuple[list[tuple[int, PartnershipFact]], list[str]]:
    """``effective(records)`` and ``corroboration.notices(records, start)``, amending and comparing the facts once
    when both see the same base facts (a partnership's stream: everything but amendments); ``amended``: ``amend(records)``, if known."""
    kinds, noticed = [isinstance(f, BASE_FACTS) for f in records], corroboration.noticed_base()
    if kinds != [isinstance(f, noticed) for f in records]:  # a network's or the counts' stream
        return effective(records), corroboration.notices(records, start)
    if not all(kinds):
        facts = [(a.position, a.current) for a in (amend(records) if amended is None else amended) if a.retraction is None]
    else:
        facts = list(enumerate(records))
    found = corroboration.corroborations(facts)
    return corroboration.standing(facts, found), corroboration.notices_of(facts, found, start)  # type: ignore[return-value]


def find(records: Sequence[Fact], event_id: str) -> Fact:
    for fact in records:
        if str(fact.id) == event_id:
            return fact
    raise UnknownEvent(f"no event with id {event_id} in this partnership")
