"""Amity's mapper for the event-sourcing library: facts stored as canonical orjson bytes.

The library's 9.5 line ships no pydantic/orjson mapper, so this is our own. A stored event's topic is
the fact class's pinned ``TOPIC`` and its state is the canonical wire JSON of the fact (keys sorted,
nulls dropped), so an export is the stored state. Class versions and upcasters work as in the
library's own ``Mapper``: a state written by an older ``class_version`` carries it, and
``upcast_vN_vN+1`` static methods on the class bring it up to date before validation.
"""

from __future__ import annotations

from typing import Any

import orjson
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import register_topic, resolve_topic

from amity.events.partnership import FACT_TYPES, Fact
from amity.events.wire import dumps, to_wire
from amity.ledger.partnership import Recorded

for _cls in FACT_TYPES.values():
    register_topic(_cls.TOPIC, _cls)


def upcast(cls: type[Fact], state: dict[str, Any]) -> dict[str, Any]:
    version = state.pop("class_version", 1)
    while version < cls.class_version:
        state = getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
        version += 1
    return state


class FactMapper(Mapper):
    """Maps ``Recorded`` events to stored events and back (validating on the way back)."""

    def __init__(self) -> None:
        super().__init__(transcoder=None)  # type: ignore[arg-type]

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        fact: Fact = domain_event.fact
        state = to_wire(fact)
        if fact.class_version > 1:
            state["class_version"] = fact.class_version
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=fact.TOPIC,
            state=dumps(state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Recorded:
        cls: type[Fact] = resolve_topic(stored_event.topic)
        fact = cls.model_validate(upcast(cls, orjson.loads(stored_event.state)))
        return Recorded(stored_event.originator_id, stored_event.originator_version, fact.recorded_at, fact)  # type: ignore[arg-type]

    def fact_of(self, topic: str, state: bytes) -> Fact:
        cls: type[Fact] = resolve_topic(topic)
        return cls.model_validate(upcast(cls, orjson.loads(state)))
