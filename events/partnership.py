"""The event models: every fact Amity records, as frozen pydantic models of past facts.

Each model is one line of the JSON Lines wire format (see docs/format.md). ``type`` names the model.
Every class pins its storage topic (``TOPIC``) so that moving or renaming a class never breaks the
replay of stored events, and carries a ``class_version`` so a schema can evolve with an upcaster.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, Literal
from uuid import UUID

from pydantic import Field, field_serializer, field_validator

from amity.events.dates import PartialDate
from amity.events.sources import Person, Record, Source

Tier = Literal["cooperation", "friendship", "sister", "twin", "business_partner"]
Instrument = Literal["mou", "agreement", "proclamation", "protocol"]
ForumFormat = Literal["online", "in_person", "hybrid"]
PlaceKind = Literal["city", "district", "province", "state", "council", "region", "country", "county", "prefecture",
                    "municipality", "ward", "town", "village", "borough", "territory", "agency", "organisation"]


def format_instant(moment: datetime) -> str:
    """RFC 3339, UTC, microseconds: ``2026-11-23T09:00:00.000000Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Fact(Record):
    """Fields common to every event."""

    TOPIC: ClassVar[str] = ""
    class_version: ClassVar[int] = 1

    type: str
    source: Source = Field(description="Where the fact comes from.")
    recorded_by: str | None = Field(None, description="Who recorded it (AMITY_ACTOR, else the OS user).")
    id: UUID | None = Field(None, description="Event id; derived from the content when absent.")
    recorded_at: datetime | None = Field(None, description="When the ledger learned it (set by the ledger).")
    people: tuple[Person, ...] | None = Field(None, description="Participants.")
    place: str | None = Field(None, description="Where it happened.")
    note: str | None = Field(None, description="Free text.")

    @field_validator("recorded_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("recorded_at needs a time zone, e.g. 2026-11-23T09:00:00Z")
        return value.astimezone(UTC)

    @field_serializer("recorded_at")
    def _rfc3339(self, value: datetime | None) -> str | None:
        return None if value is None else format_instant(value)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "TOPIC" not in cls.__dict__:
            cls.TOPIC = f"amity.events:{cls.__name__}"


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

ACTIVITY_TYPES = frozenset(
    {"VisitStarted", "VisitEnded", "ForumScheduled", "ForumHeld", "ForumCancelled", "CommemorationHeld",
     "InvitationExtended", "InvitationAnswered"}  # invitations: events/additions.py
)
ESTABLISHING_TYPES = frozenset({"MoUSigned", "RelationshipElevated", "RelationshipRestored"})

# ---- additions (#19): counts, disputes, invitations (events/additions.py) -------------------
import amity.events.additions  # noqa: E402,F401  (they subclass the models above and join FACT_TYPES)
