"""What the ledger sets on each fact it records: today's date (the clock rules), the actor, the id, the stored form, and
its place and visitor as canonical names."""

from __future__ import annotations

from datetime import timedelta
from hashlib import sha256
from typing import Any

from amity.events.partnership import Fact, format_instant
from amity.events.places import fold_name
from amity.events.wire import derive_id, dumps
from amity.ledger.config import actor as default_actor, today
from amity.ledger.errors import AmbiguousPlace, BadInput
from amity.ledger.gazetteer import Gazetteer
from amity.ledger.writer import NewEvent


CLOCK_SKEW = timedelta(minutes=5)  # how far a writer's clock may run ahead of the store's (record times later than that are refused)


def new_event(fact: Fact, wire: dict[str, Any], stream: str, now: str, actor: str) -> NewEvent:
    """The stored form of a validated fact whose wire form is normalised (places canonical, pair sorted).

    Its id is the given one or the UUIDv5 of its content (the wire form without ``id``/``recorded_*``),
    its actor the given one or the batch's. Its record time is always the ledger's ``now``: only a restore
    of a proof export (``ledger/restore.py``) keeps record times from a file.
    """
    given = wire.pop("id", None)  # str(fact.id), as to_wire wrote it
    wire.pop("recorded_at", None)
    wire.pop("recorded_by", None)
    written = wire.pop("as_written", None)  # the source's own spelling: kept, but no part of the fact's identity
    content = dumps(wire)
    if written is not None:
        wire["as_written"] = written
    event_id = (given or str(fact.id)) if fact.id else str(derive_id(content))
    wire["id"] = event_id
    wire["recorded_at"] = now
    wire["recorded_by"] = fact.recorded_by or actor
    if fact.class_version > 1:
        wire["class_version"] = fact.class_version
    return NewEvent(stream, 0, fact.TOPIC, dumps(wire), event_id, sha256(content).hexdigest(), fact.type,
                    wire["recorded_at"], wire["recorded_by"])


class ImportSummary:
    def __init__(self, imported: int, skipped: int, facts: list[Fact], retimed: int = 0, corroborated: list[str] | None = None):
        self.imported, self.skipped, self.facts, self.retimed = imported, skipped, facts, retimed
        self.corroborated = corroborated or []  # one line per new fact that corroborates another, or is corroborated

    def as_dict(self) -> dict[str, Any]:
        return ({"imported": self.imported, "skipped": self.skipped} | ({"recorded_at_replaced": self.retimed} if self.retimed else {})
                | ({"corroborated": len(self.corroborated), "corroborations": self.corroborated} if self.corroborated else {}))


def where_and_who(gaz: Gazetteer, fact: Fact, wire: dict[str, Any], names: tuple[str, str]) -> None:
    """``place`` resolves like any place; a visit's ``visitor`` must be one of the pair.

    Both are stored canonical, except on a line that brings its own id (an export): its text is kept,
    so that a ledger's export imports again as the same events, with the same content hashes.
    """
    keep = fact.id is not None
    if fact.place is not None:
        canonical = gaz.resolve(fact.place).canonical
        wire["place"] = fact.place if keep else canonical
    visitor = wire.get("visitor")  # the line's own (a missing attribute costs a pydantic __getattr__ and an exception)
    if visitor is not None:
        canonical = _one_of(gaz, visitor, names)
        if canonical not in names:
            raise BadInput(f"field 'visitor': {visitor!r} ({canonical}) is not one of the pair {names[0]} – {names[1]}")
        wire["visitor"] = visitor if keep else canonical


def _one_of(gaz: Gazetteer, text: str, names: tuple[str, str]) -> str:
    """The canonical name of ``text``; a name that is ambiguous alone ("Paris") but names one of ``names`` is that one."""
    try:
        return gaz.resolve(text).canonical
    except AmbiguousPlace:
        key = fold_name(text.split(",")[0])
        fits = [n for n in names if fold_name(n.split(",")[0]) == key]
        if len(fits) != 1:
            raise
        return fits[0]
