"""The aggregates: one stream of facts per partnership (and one for the place registry).

A partnership is the unordered pair of places; its id is a UUIDv5 of the sorted place ids (``ledger/streamids.py``),
so every source that mentions Seoul–Tashkent lands in the same stream. The aggregate only keeps its facts in
record order (the library's repository rebuilds it from ``Recorded`` events); the rules live in
``lifecycle``, and the application appends through its own batched writer (``ledger/writer.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import BaseAggregate

from amity.events.network import NetworkFact
from amity.events.partnership import Fact, PlaceFact
from amity.ledger.streamids import REGISTRY_ID, STREAM_NAMESPACE, partnership_id  # noqa: F401 - the ids, where they were


@dataclass(frozen=True)
class Recorded:
    """The one domain event of a stream: a fact was recorded (its version is its place in the stream)."""

    originator_id: UUID
    originator_version: int
    timestamp: datetime
    fact: Fact

    def mutate(self, aggregate: Any) -> Any:
        if aggregate is None:
            cls = PlaceRegistry if isinstance(self.fact, PlaceFact) else Network if isinstance(self.fact, NetworkFact) else Partnership
            aggregate = cls.__new__(cls)
            aggregate.__base_init__(self.originator_id, self.originator_version, self.timestamp)
            aggregate.facts = []
        else:
            if self.originator_version != aggregate.version + 1:
                from amity.ledger.errors import StoreError

                raise StoreError(f"stream {self.originator_id} jumps from version {aggregate.version} to {self.originator_version}: "
                                 "events were written behind the ledger's back; run `amity verify`")
            aggregate.version = self.originator_version
            aggregate.modified_on = self.timestamp
        aggregate.facts.append(self.fact)
        return aggregate


class FactStream(BaseAggregate[UUID]):
    """A stream of facts in record order."""

    facts: list[Fact]


class Partnership(FactStream):
    """The facts of one partnership, in record order."""


class PlaceRegistry(FactStream):
    """The ledger's own places and aliases."""


class Network(FactStream):
    """The facts of one network (its registrations, members, roles, meetings), in record order."""
