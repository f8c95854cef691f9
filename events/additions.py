"""The events of what sources say beyond a partnership's lifecycle: official counts, disagreements, invitations.

Field names are those of the wire format's "Additions" (docs/format.md). A ``CountAsserted`` is about one place,
not a pair: it lives in the counts stream. ``ClaimDisputed`` and ``DisputeResolved`` point at an event, like a
correction, and take ``cities`` and ``date`` from their target when omitted. Invitations are partnership facts
that count as the pair's activity.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictInt, field_validator

from amity.events.dates import PartialDate
from amity.events.partnership import FACT_TYPES, Amendment, Fact, PartnershipFact, Tier

COUNT_MAX = 100_000  # more partnerships of one tier than any place could hold: a typo or an attack, not a count
Answer = Literal["accepted", "declined", "delegated"]
Accepted = Literal["original", "disputed"]


class CountAsserted(Fact):
    """An official count: the source says ``place`` had so many partnerships of each tier on ``date``."""

    type: Literal["CountAsserted"] = "CountAsserted"
    place: str = Field(description="The place whose partnerships are counted.")  # type: ignore[assignment]
    date: PartialDate = Field(description="When the source says the count holds.")
    counts: dict[Tier, StrictInt] = Field(min_length=1, description="Tier → number of partnerships, e.g. {\"sister\": 23}.")

    @field_validator("counts")
    @classmethod
    def _not_negative(cls, value: dict[str, int]) -> dict[str, int]:
        bad = [t for t, n in value.items() if not 0 <= n <= COUNT_MAX]
        if bad:
            raise ValueError(f"a count is a number of partnerships, 0 to {COUNT_MAX:,} (not {value[bad[0]]} for {bad[0]!r})")
        return value


class ClaimDisputed(Amendment):
    """Another source says ``field`` of the ``target`` event is ``value``; the target keeps its own value meanwhile."""

    type: Literal["ClaimDisputed"] = "ClaimDisputed"
    field: str = Field(min_length=1, description="The disputed field of the target (tier, date, …).")
    value: Any = Field(description="What the other source says the field is.")

    @field_validator("value")
    @classmethod
    def _given(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("give the value the other source states (null says nothing)")
        return value


class DisputeResolved(Amendment):
    """A decision on a ``ClaimDisputed`` (its id in ``target``): which value counts from now on."""

    type: Literal["DisputeResolved"] = "DisputeResolved"
    accepted: Accepted = Field(description="original: the target's value stands; disputed: the other source's does.")


class InvitationExtended(PartnershipFact):
    """One place of the pair invites the other's mayor, office or delegation to something."""

    type: Literal["InvitationExtended"] = "InvitationExtended"
    to: str = Field(min_length=1, description="What to: a meeting or forum id, or free text (\"Asia Mayors Forum\").")
    invited: str = Field(min_length=1, description="The person or office invited.")
    by: str | None = Field(None, description="The person who extended it.")
    inviter: str | None = Field(None, description="The inviting place (set by the ledger from the first of `cities`).")
    invitation: str | None = Field(None, description="An id of your choosing that answers may name.")


class InvitationAnswered(PartnershipFact):
    """The answer to an invitation: accepted, declined, or a delegation sent instead."""

    type: Literal["InvitationAnswered"] = "InvitationAnswered"
    invitation: str = Field(min_length=1, description="The InvitationExtended's event id (or its `invitation` id).")
    answer: Answer


ADDITION_TYPES: tuple[type[Fact], ...] = (CountAsserted, ClaimDisputed, DisputeResolved, InvitationExtended, InvitationAnswered)
CLAIM_TYPES = frozenset({"ClaimDisputed", "DisputeResolved"})
INVITATION_TYPES = frozenset({"InvitationExtended", "InvitationAnswered"})
FACT_TYPES.update({cls.__name__: cls for cls in ADDITION_TYPES})
