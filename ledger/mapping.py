"""Amity's mapper for the event-sourcing library: facts stored as canonical orjson bytes.

The library's 9.5 line ships no pydantic/orjson mapper, so this is our own. A stored event's topic is
the fact class's pinned ``TOPIC`` and its state is the canonical wire JSON of the fact (keys sorted,
nulls dropped), so an export is the stored state. Class versions and upcasters work as in the
library's own ``Mapper``: a state written by an older ``class_version`` carries it, and
``upcast_vN_vN+1`` static methods on the class bring it up to date before validation.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Mapper, StoredEvent

from amity.events.dates import PartialDate
from amity.ledger.errors import StoreError

if TYPE_CHECKING:
    from amity.events.partnership import Fact
    from amity.ledger.partnership import Recorded

# The only classes a stored event may name: a read never imports a module a stored topic names
# (the library's ``resolve_topic`` would import any installed module a tampered row asks for). Filled when a
# first fact is decoded: a read that only consults the views never imports the event models (nor pydantic).
_KNOWN: dict[str, type[Fact]] = {}


def known_topics() -> dict[str, type[Fact]]:
    """Each fact class by its topic (registered with the library too)."""
    if not _KNOWN:
        from eventsourcing.utils import register_topic

        from amity.events.partnership import FACT_TYPES

        for cls in FACT_TYPES.values():
            register_topic(cls.TOPIC, cls)
        _KNOWN.update({cls.TOPIC: cls for cls in FACT_TYPES.values()})
    return _KNOWN


def __getattr__(name: str) -> Any:
    if name == "KNOWN_TOPICS":
        return known_topics()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def fact_class(topic: str) -> type[Fact]:
    """The fact class of a stored topic; a topic that is not one of ours is tampering, said in one line."""
    cls = (_KNOWN or known_topics()).get(topic)
    if cls is None:
        raise StoreError(f"a stored event names an unknown topic {topic[:80]!r}: the store was tampered with; run `amity verify`")
    return cls


def upcast(cls: type[Fact], state: dict[str, Any]) -> dict[str, Any]:
    version = state.pop("class_version", 1)
    while version < cls.class_version:
        state = getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
        version += 1
    return state


def validated(cls: type[Fact], state: dict[str, Any]) -> Fact:
    """A stored state (decoded) as its class, brought up to date and validated; raises pydantic's ValueError."""
    return cls.model_validate(upcast(cls, state))


def stored_fact(cls: type[Fact], state: bytes | str, decoded: dict[str, Any]) -> Fact:
    """A stored event validated as its class by pydantic-core straight from its stored bytes (``decoded``: the same
    bytes decoded; a state an older ``class_version`` wrote is brought up to date first); raises pydantic's ValueError."""
    if "class_version" in decoded:
        return validated(cls, dict(decoded))
    return cls.model_validate_json(state)


class FactMapper(Mapper):
    """Maps ``Recorded`` events to stored events and back (validating on the way back)."""

    def __init__(self) -> None:
        super().__init__(transcoder=None)  # type: ignore[arg-type]

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        from amity.events.wire import dumps, to_wire

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
        from amity.ledger.partnership import Recorded

        fact = self.fact_of(stored_event.topic, stored_event.state)
        return Recorded(stored_event.originator_id, stored_event.originator_version, fact.recorded_at, fact)  # type: ignore[arg-type]

    def fact_of(self, topic: str, state: bytes) -> Fact:
        cls = fact_class(topic)
        try:
            return validated(cls, orjson.loads(state))
        except (ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError; so is orjson's
            raise StoreError(f"a stored {cls.__name__} is not a valid fact ({' '.join(str(exc).split())[:120]}): "
                             "it was written behind the ledger's back; run `amity verify`") from None


# ---- trusted decoding: for replays of what the write side already validated ------------------
#
# Every stored state was validated (and written canonically) on its way in, and `amity verify`
# proves the bytes unchanged since. Projections replay every event, so they decode without
# validating again: fields are converted to their model types directly (``PartialDate.parse``
# remembers what it parsed: a ledger holds far fewer distinct dates than events) and the model is built the way
# pydantic's ``model_construct`` builds one, with the defaults precomputed per class.

_set = object.__setattr__
_CLASSES: dict[str, tuple[type, dict[str, Any]]] = {}


def _defaults(cls: type) -> dict[str, Any]:
    return {name: f.default for name, f in cls.model_fields.items() if not f.is_required()}


def _built(cls: type, values: dict[str, Any], stored: bytes | dict[str, Any] | None = None) -> Any:
    obj = cls.__new__(cls)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", set())
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None if stored is None else {"_stored": stored})
    return obj


@cache
def _person() -> tuple[type, dict[str, Any]]:
    from amity.events.sources import Person

    return Person, _defaults(Person)


def trusted_fact(topic: str, state: bytes | str | dict[str, Any]) -> Fact:
    """A stored fact decoded without validation (see above).

    Equal to the validated decoding in every field but ``source``, which stays the stored dict (only
    the anniversaries view reads it, as JSON); ``to_wire`` gives the same wire form for both.
    """
    found = _CLASSES.get(topic)
    if found is None:
        cls = fact_class(topic)
        found = _CLASSES[topic] = (cls, _defaults(cls))
    cls, defaults = found
    d = dict(state) if isinstance(state, dict) else orjson.loads(state)  # a dict: a view's copy of a stored state (networks)
    if "class_version" in d:  # an older shape: upcast and validate, the slow and sure way
        return cls.model_validate(upcast(cls, d))
    stored = state.encode() if isinstance(state, str) else state if isinstance(state, dict) else bytes(state)  # for ``to_wire``
    if "date" in d:
        d["date"] = PartialDate.parse(d["date"])  # remembered: few distinct dates
    if "end_date" in d:
        d["end_date"] = PartialDate.parse(d["end_date"])
    if "founded" in d:  # networks (events/network.py)
        d["founded"] = PartialDate.parse(d["founded"])
    if "until" in d:
        d["until"] = PartialDate.parse(d["until"])
    if "cities" in d:
        d["cities"] = tuple(d["cities"])
    d["id"] = UUID(d["id"])
    if "target" in d:
        d["target"] = UUID(d["target"])
    d["recorded_at"] = datetime.fromisoformat(d["recorded_at"])
    if "people" in d:
        person, person_defaults = _person()
        d["people"] = tuple(_built(person, {**person_defaults, **p}) for p in d["people"])
    return _built(cls, {**defaults, **d}, stored)
