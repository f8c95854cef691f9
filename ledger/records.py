"""The ledger's read port: everything projections read from a ledger, and the hook they write views through.

``Records`` is one transaction on a ledger (``Ledger.records()``, or the import's own write transaction):
its positions (``start``, ``top``), and the streams' stored events decoded once, without validating them
again (they were validated on their way in; ``mapping.trusted_fact``), the place registry skipped. A
projection keeps its views through a ``ViewWriter``: ``begin`` (may it write in this transaction?), ``add``
(one stream's records, amended), ``finish`` (rows and tracking position, committed with the transaction).
Nothing else of the ledger's storage is the read side's business.

A second kind of stream (networks, say) yields its streams here too, told apart by their first record's
type; its views get a ``ViewWriter`` of their own (README, "Inside": a new kind of stream).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Protocol, Sequence

import orjson

from amity.ledger.mapping import trusted_fact
from amity.ledger.streamids import REGISTRY_ID

if TYPE_CHECKING:
    from amity.events.partnership import Fact, PartnershipFact
    from amity.ledger.writer import StreamReader

Effective = Sequence[tuple[int, "PartnershipFact"]]  # a stream's facts as amended (``amendments.effective``)
REGISTRY = REGISTRY_ID.hex


class Cursor(Protocol):
    """A DB-API cursor in the records' transaction: what a view writer writes its rows and tracking through."""

    connection: Any

    def execute(self, query: Any, params: Any = ...) -> Any: ...

    def executemany(self, query: Any, params_seq: Any) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> Any: ...


class ViewWriter(Protocol):
    """How views are kept within a transaction on the ledger (the import's or ``catch_up``'s)."""

    def begin(self, records: Records) -> bool:
        """Whether the views may be updated in this transaction (they were current when it began)."""

    def add(self, stream: str, effective: Effective, records: Sequence[Any]) -> None:
        """One stream's records, amended (and as recorded, for their open disputes): its rows replace the ones on file."""

    def finish(self, records: Records) -> None:
        """Write what is pending and the tracking position (``records.top``), in the same transaction."""


class Records:
    """One transaction's reading of a ledger (see the module's docstring)."""

    def __init__(self, reader: StreamReader) -> None:
        self._reader = reader

    @property
    def cursor(self) -> Cursor:
        return self._reader.c

    @property
    def start(self) -> int:
        """The last position when the transaction began."""
        return self._reader.start_top

    @property
    def top(self) -> int:
        """The last position now (an import moves it)."""
        return self._reader.top

    def touched_after(self, position: int) -> dict[str, int]:
        """Streams with events at positions in (position, top], with how many each (the registry left out)."""
        counts = self._reader.touched_since(position, self.top)
        counts.pop(REGISTRY, None)
        return counts

    def streams(self, wanted: Sequence[str] | None = None) -> Iterator[tuple[str, list[Fact]]]:
        """(stream id, its records in version order), decoded once; ``None``: every stream but the place registry,
        in one ordered scan (the registry is given when it is asked for by its id)."""
        for stream, items in self._reader.streams(wanted):
            if wanted is not None or stream != REGISTRY:
                yield stream, [trusted_fact(topic, state) for topic, state in items]

    def registry(self) -> list[Any]:
        """The place registry's entries in record order, each a ``RegistryEntry`` of its stored fields (what
        ``Gazetteer.apply`` reads): no event model is built, so a read that consults only the views imports none.
        A state of an older shape, or of a topic that is not a registry fact's, is decoded as a fact (which refuses
        an unknown topic)."""
        out: list[Any] = []
        for _, items in self._reader.streams([REGISTRY]):
            for topic, state in items:
                try:
                    d = orjson.loads(state)
                except orjson.JSONDecodeError:
                    d = None
                if not isinstance(d, dict):
                    from amity.ledger.errors import StoreError

                    raise StoreError("a stored place registry event is not a JSON object: it was written behind the ledger's back; run `amity verify`")
                out.append(RegistryEntry.of(d) if topic in REGISTRY_TOPICS and "class_version" not in d else trusted_fact(topic, state))
        return out

    def parts(self) -> list[Any] | None:
        """Halves of the store that worker processes may read on their own (``read_part``), or None if the store
        has no such reading (a rebuild is then done in this process)."""
        return self._reader.recorder.parallel_parts()


REGISTRY_TOPICS = frozenset({"amity.events:PlaceRegistered", "amity.events:PlaceAliased"})  # their classes' TOPIC (a test holds them equal)


@dataclass(frozen=True)
class RegistryEntry:
    """A stored ``PlaceRegistered`` or ``PlaceAliased``, as the gazetteer reads it."""

    type: str
    place: str
    kind: str | None = None
    alias: str | None = None
    preferred: bool | None = None
    force: bool | None = None

    @classmethod
    def of(cls, state: dict[str, Any]) -> RegistryEntry:
        return cls(state.get("type", ""), state.get("place") or "", state.get("kind"), state.get("alias"), state.get("preferred"), state.get("force"))


def read_part(part: Any) -> Iterator[tuple[str, list[Fact]]]:
    """The decoded streams of one part (``Records.parts``), read through a connection of its own (a worker process)."""
    from amity.ledger.bulk import bulk_collection
    from amity.ledger.sqlitestore import streams_in_part

    with bulk_collection():
        for stream, items in streams_in_part(part):
            if stream != REGISTRY:
                yield stream, [trusted_fact(topic, state) for topic, state in items]


def retry_while_locked(action: Any) -> Any:
    """``action()``, tried again while SQLite says the database is locked (see ``stores.when_unlocked``)."""
    from amity.ledger.stores import when_unlocked

    return when_unlocked(action)


def bounded_lock(conn: Any, relation: str, what: str) -> Any:
    """A PostgreSQL lock wait bounded by ``AMITY_LOCK_TIMEOUT`` (see ``pgstore.bounded_lock``)."""
    from amity.ledger.pgstore import bounded_lock as bounded

    return bounded(conn, relation, what)
