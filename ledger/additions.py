"""How the ledger takes in counts, disputes and invitations: their streams, what they may point at, the inviter.

- A ``CountAsserted`` is about one place: it is stored in the counts stream (``COUNTS_ID``), its ``place``
  canonical, and nothing is ever rejected for disagreeing with the ledger (``amity check`` compares).
- What an amendment may point at (``check_target``): a correction any fact but a place fact or another
  correction (never a dispute's or resolution's ``target``); a retraction any fact but a place fact; a
  ``ClaimDisputed`` a partnership fact, naming one of its fields and a valid value other than the one on file;
  a ``DisputeResolved`` a ``ClaimDisputed``.
- An ``InvitationAnswered`` whose ``invitation`` is an event id on file must answer an ``InvitationExtended`` of
  its own pair (``answered``); an id not on file is a gap, not a contradiction, and is accepted.
- An ``InvitationExtended`` keeps who invited whom: ``inviter`` is the first of its ``cities`` as written
  (the stored pair is sorted), canonical, one of the pair.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid5

from amity.events.partnership import Fact, PartnershipFact
from amity.events.wire import to_wire
from amity.ledger import amendments
from amity.ledger.errors import BadInput, UnknownEvent
from amity.ledger.streamids import STREAM_NAMESPACE

COUNTS_ID = uuid5(STREAM_NAMESPACE, "amity:counts")  # every CountAsserted, and its corrections and retractions


def count_wire(gazetteer: Any, fact: Fact) -> dict[str, Any]:
    """The stored form of a count: its place canonical (a line with its own id keeps its text, like ``place``)."""
    wire = to_wire(fact)
    canonical = gazetteer.resolve(fact.place).canonical
    wire["place"] = fact.place if fact.id is not None else canonical
    return wire


def check_target(fact: Any, original: Fact, lookup: Any = None) -> None:
    """Raise ``BadInput`` if ``fact`` (an amendment, a dispute or a resolution) cannot point at ``original``;
    ``lookup(id)`` gives a fact on file (a corrected dispute is checked again against the fact it disputes)."""
    kind, target = fact.type, original.type
    if target in ("PlaceRegistered", "PlaceAliased"):
        raise BadInput(f"{kind} cannot target a {target}")
    if kind == "EventCorrected":
        if target in ("EventCorrected", "EventRetracted"):
            raise BadInput("a correction targets a fact; retract a correction to undo it")
        if "target" in fact.changes and target in ("ClaimDisputed", "DisputeResolved"):
            raise BadInput(f"a correction cannot change the target of a {target}: retract it and record it anew")
        corrected = amendments.apply_changes(original, fact.changes)
        if target == "ClaimDisputed" and lookup is not None:  # the dispute as corrected must still be one
            check_target(corrected, lookup(str(original.target)))
    elif kind == "ClaimDisputed":
        if not isinstance(original, PartnershipFact):
            raise BadInput(f"ClaimDisputed targets a partnership fact, not a {target}")
        if fact.field in amendments.FROZEN_FIELDS:
            raise BadInput(f"field {fact.field!r} cannot be disputed: record a retraction and the fact anew if the source names other places")
        current = to_wire(original).get(fact.field)
        if to_wire(amendments.apply_changes(original, {fact.field: fact.value})).get(fact.field) == current:  # also: a field the type has
            raise BadInput(f"{target} {original.id} already says {fact.field}={current!r}: a second source that agrees is a "
                           "corroboration (record the fact with that source), not a dispute")
    elif kind == "DisputeResolved" and target != "ClaimDisputed":
        raise BadInput(f"DisputeResolved targets a ClaimDisputed, not a {target}")


def inviter(gazetteer: Any, fact: Fact, wire: dict[str, Any], names: tuple[str, str]) -> None:
    """Set ``inviter`` of an ``InvitationExtended`` (the first of its cities as written), and check it is one of the pair."""
    if fact.type != "InvitationExtended":
        return
    given = getattr(fact, "inviter", None) or fact.cities[0]  # type: ignore[attr-defined]
    canonical = gazetteer.resolve(given).canonical
    if canonical not in names:
        raise BadInput(f"field 'inviter': {given!r} ({canonical}) is not one of the pair {names[0]} – {names[1]}")
    wire["inviter"] = given if fact.id is not None and getattr(fact, "inviter", None) else canonical


def answered(fact: Fact, names: tuple[str, str], lookup: Any) -> None:
    """Refuse an ``InvitationAnswered`` whose ``invitation`` names an event on file that is not an invitation of the pair."""
    if fact.type != "InvitationAnswered":
        return
    try:
        invitation = lookup(fact.invitation)  # type: ignore[attr-defined]
    except UnknownEvent:
        return  # not on file (or an id of the sources' choosing): a gap
    if invitation.type != "InvitationExtended" or tuple(getattr(invitation, "cities", ())) != names:
        what = f"a {invitation.type}" if invitation.type != "InvitationExtended" else f"an invitation of {' – '.join(invitation.cities)}"
        raise BadInput(f"field 'invitation': {fact.invitation} is {what}, not an invitation of {names[0]} – {names[1]}")
