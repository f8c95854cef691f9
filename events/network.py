"""The network event models: facts about networks of many members (C40, CityNet, UCLG ASPAC …), not pairs.

A network is a stream of its own, keyed by the network's id (derived from its full name), with ``network``
(its name or short name, as registered) where a partnership fact has ``cities``. Members are places or
parties that are not places (``PlaceRegistered`` kinds ``agency`` and ``organisation``). The fields and
their meaning are the wire format's (docs/format.md, "Networks"); the rules live in ``ledger/membership.py``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from amity.events.dates import PartialDate
from amity.events.fact import Fact


class NetworkFact(Fact):
    """A fact about one network, on a valid-time date."""

    network: str = Field(min_length=1, description="The network's full name or short name, as registered.")
    date: PartialDate = Field(description="Valid time: YYYY, YYYY-MM or YYYY-MM-DD.")


class NetworkRegistered(NetworkFact):
    """A network, as a source describes it: its names, founding, secretariat and reach."""

    type: Literal["NetworkRegistered"] = "NetworkRegistered"
    short: str | None = Field(None, description="Its short name, e.g. 'C40'; resolves like the full name.")
    founded: PartialDate | None = Field(None, description="When it was founded (partial date).")
    secretariat: str | None = Field(None, description="The place of its (main) secretariat.")
    regional_office: str | None = Field(None, description="A place with a regional office.")
    url: str | None = Field(None, description="Its web address, as the source gives it.")
    scope: str | None = Field(None, description="Free text: 'global', 'Asia-Pacific', 'ASEAN' …")
    date: PartialDate | None = Field(None, description="Valid time of the registration; defaults to `founded`.")  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _date_from_founded(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("date") is None and data.get("founded") is not None:
            return {**data, "date": data["founded"]}
        return data


class MembershipFact(NetworkFact):
    """A fact about one member of a network."""

    member: str = Field(min_length=1, description="A place or a party (agency, organisation) that is a member.")


class MembershipJoined(MembershipFact):
    """The member joined the network on ``date``."""

    type: Literal["MembershipJoined"] = "MembershipJoined"


class MembershipListed(MembershipFact):
    """A source of ``date`` lists the member; when it joined is unknown (it joined by ``date`` at the latest)."""

    type: Literal["MembershipListed"] = "MembershipListed"


class MembershipLeft(MembershipFact):
    """The member left the network on ``date``."""

    type: Literal["MembershipLeft"] = "MembershipLeft"
    reason: str | None = None


class NetworkRoleHeld(MembershipFact):
    """A member holds a role in the network (president, chair, secretariat, representative …) from ``date``."""

    type: Literal["NetworkRoleHeld"] = "NetworkRoleHeld"
    role: str = Field(min_length=1, description="president, chair, secretariat, representative …")
    until: PartialDate | None = Field(None, description="When the role ended, if it did.")


class NetworkMeetingHeld(NetworkFact):
    """A meeting of the network, hosted by a place, on ``date``."""

    type: Literal["NetworkMeetingHeld"] = "NetworkMeetingHeld"
    host: str | None = Field(None, description="The place that hosted it.")
    meeting: str | None = Field(None, description="An id of the meeting, e.g. 'MGM 2013'.")
    topic: str | None = None


NETWORK_CLASSES: tuple[type[NetworkFact], ...] = (
    NetworkRegistered, MembershipJoined, MembershipListed, MembershipLeft, NetworkRoleHeld, NetworkMeetingHeld,
)
NETWORK_TYPES = frozenset(cls.__name__ for cls in NETWORK_CLASSES)
PLACE_FIELDS = ("member", "secretariat", "regional_office", "host")  # the fields that name a place or party
