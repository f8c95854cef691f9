"""The vocabulary's plain values, without the models: tiers, instruments, kinds of place, groups of event types,
and record time as text. Read commands use these without importing pydantic (``events/partnership.py``
re-exports them beside the models)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

Tier = Literal["cooperation", "friendship", "sister", "twin", "business_partner"]
Instrument = Literal["mou", "agreement", "proclamation", "protocol"]
ForumFormat = Literal["online", "in_person", "hybrid"]
PlaceKind = Literal["city", "district", "province", "state", "council", "region", "country", "county", "prefecture",
                    "municipality", "ward", "town", "village", "borough", "territory", "agency", "organisation"]

ACTIVITY_TYPES = frozenset(
    {"VisitStarted", "VisitEnded", "ForumScheduled", "ForumHeld", "ForumCancelled", "CommemorationHeld",
     "InvitationExtended", "InvitationAnswered"}  # invitations: events/additions.py
)
ESTABLISHING_TYPES = frozenset({"MoUSigned", "RelationshipElevated", "RelationshipRestored"})


def format_instant(moment: datetime) -> str:
    """RFC 3339, UTC, microseconds: ``2026-11-23T09:00:00.000000Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
