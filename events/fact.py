"""The base of every event: the fields common to all facts, and record time as RFC 3339.

``Fact`` is what partnership facts (``events/partnership.py``), network facts (``events/network.py``), place
registry facts and amendments share: ``type``, ``source``, the record fields and the optional participants.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import Field, PrivateAttr, field_serializer, field_validator

from amity.events.sources import Person, Record, Source
from amity.events.vocab import format_instant


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
    _stored: bytes | dict[str, Any] | None = PrivateAttr(None)  # a fact replayed from the store: its stored wire form (``events/wire.to_wire``)

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
