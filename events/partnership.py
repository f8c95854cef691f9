"""The event models: every fact Amity records, as frozen pydantic models of past facts.

Each model is one line of the JSON Lines wire format (see docs/format.md). ``type`` names the model.
Every class pins its storage topic (``TOPIC``) so that moving or renaming a class never breaks the
replay of stored events, and carries a ``class_version`` so a schema can evolve with an upcaster.
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import Field

from amity.events.dates import PartialDate
from amity.events.fact import Fact, format_instant
from amity.events.vocab import ACTIVITY_TYPES, ESTABLISHING_TYPES, ForumFormat, Instrument, PlaceKind, Tier

__all__ = ["Fact", "format_instant", "ACTIVITY_TYPES", "ESTABLISHING_TYPES", "ForumFormat", "Instrument", "PlaceKind", "Tier"]  # re-exported: they lived here before events/fact.py


class PartnershipFact(Fact):
    """A fact about one partnership: an unordered pair of places, on a valid-time date."""

    cities: tuple[str, str] = Field(description="The two places of the partnership.")
    date: PartialDate = Field(description="Valid time: YYYY, YYYY-MM or YYYY-MM-DD.")
    as_written: tuple[str, str] | None = Field(None, description="The places as the source wrote them, in the order "
                                                "of the stored (canonical) cities; set by the ledger when they differ.")


class PartnershipProposed(PartnershipFact):
    type: Literal["PartnershipProposed"] = "PartnershipProposed"
    proposed_by: str | None = Field(None, description="A person or office that proposed it.")


class ProposalApproved(PartnershipFact):
    type: Literal["ProposalApproved"] = "ProposalApproved"
    approved_by: str | None = None


class LetterOfIntentSigned(PartnershipFact):
    type: Literal["LetterOfIntentSigned"] = "LetterOfIntentSigned"
    tier: Tier | None = Field(None, description="The status it intends.")


class MoUSigned(PartnershipFact):
    type: Literal["MoUSigned"] = "MoUSigned"
    tier: Tier
    instrument: Instrument = "mou"


class RelationshipElevated(PartnershipFact):
    type: Literal["RelationshipElevated"] = "RelationshipElevated"
    to_tier: Tier
    from_tier: Tier | None = Field(None, description="Checked against the tier on file if given.")


class RelationshipSuspended(PartnershipFact):
    type: Literal["RelationshipSuspended"] = "RelationshipSuspended"
    reason: str | None = None


class RelationshipRestored(PartnershipFact):
    type: Literal["RelationshipRestored"] = "RelationshipRestored"
    reason: str | None = None


class RelationshipTerminated(PartnershipFact):
    type: Literal["RelationshipTerminated"] = "RelationshipTerminated"
    reason: str | None = None


class VisitStarted(PartnershipFact):
    type: Literal["VisitStarted"] = "VisitStarted"
    visitor: str | None = Field(None, description="The visiting place.")
    head: str | None = Field(None, description="Head of the delegation.")
    end_date: PartialDate | None = None
    visit: str | None = Field(None, description="An id tying it to VisitEnded.")


class VisitEnded(PartnershipFact):
    type: Literal["VisitEnded"] = "VisitEnded"
    visit: str


class ForumScheduled(PartnershipFact):
    type: Literal["ForumScheduled"] = "ForumScheduled"
    topic: str | None = None
    format: ForumFormat | None = None
    forum: str | None = None


class ForumHeld(PartnershipFact):
    type: Literal["ForumHeld"] = "ForumHeld"
    forum: str


class ForumCancelled(PartnershipFact):
    type: Literal["ForumCancelled"] = "ForumCancelled"
    forum: str


class CommemorationHeld(PartnershipFact):
    type: Literal["CommemorationHeld"] = "CommemorationHeld"
    what: str | None = None


class Amendment(Fact):
    """A correction or retraction: takes ``cities`` and ``date`` from its target when omitted."""

    cities: tuple[str, str] | None = None
    network: str | None = Field(None, description="The target's network, for an amendment of a network fact (set by the ledger).")
    date: PartialDate | None = Field(None, description="When the amendment was decided.")
    target: UUID


class EventCorrected(Amendment):
    type: Literal["EventCorrected"] = "EventCorrected"
    changes: dict[str, Any] = Field(min_length=1, description="The fields as they should have been.")


class EventRetracted(Amendment):
    type: Literal["EventRetracted"] = "EventRetracted"
    reason: str = Field(min_length=1)


class PlaceFact(Fact):
    """An entry of the ledger's own place registry."""

    place: str = Field(description="'Name, Region, CC' of the place.")  # type: ignore[assignment]
    kind: PlaceKind | None = None
    alias: str | None = None
    preferred: bool | None = Field(None, description="PlaceAliased: the alias is the name the ledger shows.")
    force: bool | None = Field(None, description="Keep a name that looks like a known place's (homoglyphs).")


class PlaceRegistered(PlaceFact):
    type: Literal["PlaceRegistered"] = "PlaceRegistered"
    kind: PlaceKind = "city"


class PlaceAliased(PlaceFact):
    type: Literal["PlaceAliased"] = "PlaceAliased"
    alias: str


FACT_TYPES: dict[str, type[Fact]] = {
    cls.__name__: cls
    for cls in (
        PartnershipProposed, ProposalApproved, LetterOfIntentSigned, MoUSigned,
        RelationshipElevated, RelationshipSuspended, RelationshipRestored, RelationshipTerminated,
        VisitStarted, VisitEnded, ForumScheduled, ForumHeld, ForumCancelled, CommemorationHeld,
        EventCorrected, EventRetracted, PlaceRegistered, PlaceAliased,
    )
}

# ---- additions (#19): counts, disputes, invitations (events/additions.py) -------------------
import amity.events.additions  # noqa: E402,F401  (they subclass the models above and join FACT_TYPES)
# Networks (issue #18): facts too, whose models live in events/network.py (built on events/fact.py).
from amity.events.network import NETWORK_CLASSES  # noqa: E402

FACT_TYPES.update((cls.__name__, cls) for cls in NETWORK_CLASSES)
