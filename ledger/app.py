"""The Amity application: one method per use case (record, import, correct, retract, read streams).

Facts are normalised (places resolved, pair sorted, defaults filled, id derived), checked against
their partnership's history in valid-time order, and appended in one transaction per call. Library
exceptions become Amity errors here. Two writers appending to the same partnership never lose an
event: each write takes the store's writers' lock when it starts and reads what it decides on under it.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.utils import get_topic

from amity.events.partnership import Fact
from amity.events.wire import dumps, to_wire
from amity.ledger.batch import Batch, ImportSummary, default_actor, today
from amity.ledger.bulk import bulk_collection
from amity.ledger.errors import AmityError, BadInput, ImportProblems, StoreError, UnknownEvent, describe
from amity.ledger.gazetteer import Gazetteer
from amity.ledger.mapping import FactMapper
from amity.ledger.partnership import REGISTRY_ID, FactStream, partnership_id
from amity.ledger.stores import AmitySQLiteRecorder, StoreURL, when_unlocked

__all__ = ["Ledger", "ImportSummary", "default_actor", "today"]

CHUNK = 5000


def store_env(url: StoreURL) -> dict[str, str]:
    if url.kind == "sqlite":
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": url.path,
            "SQLITE_LOCK_TIMEOUT": "30",
            "APPLICATION_RECORDER_TOPIC": get_topic(AmitySQLiteRecorder),
        }
    from amity.ledger.pgstore import AmityPostgresRecorder

    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": url.dbname, "POSTGRES_HOST": url.host, "POSTGRES_PORT": str(url.port),
        "POSTGRES_USER": url.user, "POSTGRES_PASSWORD": url.password, "POSTGRES_SCHEMA": url.schema or "public",
        "POSTGRES_POOL_SIZE": "2", "POSTGRES_MAX_OVERFLOW": "4", "POSTGRES_CONNECT_TIMEOUT": "10",
        "POSTGRES_LOCK_TIMEOUT": "30",
        "APPLICATION_RECORDER_TOPIC": get_topic(AmityPostgresRecorder),
    }


class Ledger(Application[UUID]):
    """The ledger of city diplomacy."""

    name = "Amity"

    def __init__(self, store: str | None = None) -> None:
        self.url = StoreURL.parse(store)
        try:
            if self.url.kind == "postgresql":
                from amity.ledger.pgstore import schema_lock

                with schema_lock(self.url):
                    super().__init__(env=store_env(self.url))
            else:
                when_unlocked(lambda: super(Ledger, self).__init__(env=store_env(self.url)))
        except AmityError:
            raise
        except Exception as exc:  # the library or the driver could not open the store
            raise StoreError(f"cannot open store {self.url}: {describe(exc)}") from None
        self._gazetteer: Gazetteer | None = None

    def construct_mapper(self) -> FactMapper:  # type: ignore[override]
        return FactMapper()

    # ---- reading ------------------------------------------------------------------------
    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer with this ledger's registry applied."""
        if self._gazetteer is None:
            gaz = Gazetteer()
            for fact in self.stream(REGISTRY_ID):
                try:
                    gaz.apply(fact, replay=True)  # type: ignore[arg-type]
                except AmityError:  # an alias whose place no longer resolves as it did: only a name is lost
                    pass
            self._gazetteer = gaz
        return self._gazetteer

    def load(self, stream_id: UUID) -> FactStream | None:
        try:
            return self.repository.get(stream_id)
        except AggregateNotFoundError:
            return None

    def stream(self, stream_id: UUID) -> list[Fact]:
        agg = self.load(stream_id)
        return list(agg.facts) if agg else []

    def pair(self, a: str, b: str) -> tuple[UUID, tuple[str, str]]:
        """Stream id and canonical sorted names of the partnership of two places."""
        pa, pb = self.gazetteer.resolve(a), self.gazetteer.resolve(b)
        if pa.id == pb.id:
            raise BadInput(f"a partnership needs two different places; {a!r} and {b!r} are both {pa.canonical}")
        names = tuple(sorted((pa.canonical, pb.canonical)))
        return partnership_id(pa.id, pb.id), names  # type: ignore[return-value]

    def locate(self, event_id: str) -> tuple[dict[str, Any], list[Fact]]:
        """The index row of an event id (audit fields) and the records of its stream."""
        row = self.recorder.lookup_ids([event_id]).get(event_id)  # type: ignore[attr-defined]
        if row is None:
            raise UnknownEvent(f"no event with id {event_id}; `amity audit` lists ids")
        return row, self.stream(UUID(row["stream"]))

    def export_lines(self) -> Iterator[bytes]:
        """Every event as a canonical JSON line, in record order (streamed in pages)."""
        start = None
        while True:
            page = self.recorder.select_notifications(start, 1000, inclusive_of_start=start is None)
            if not page:
                return
            for n in page:
                yield dumps(to_wire(self.mapper.fact_of(n.topic, n.state))) + b"\n"  # type: ignore[attr-defined]
            start = page[-1].id

    # ---- writing ------------------------------------------------------------------------
    def record(self, value: Any) -> tuple[Fact, bool]:
        """Append one event (a wire dict or a Fact). Returns (the stored fact, whether it was new)."""
        try:
            summary = self.import_events([(None, value)], keep_facts=True)
        except ImportProblems as exc:
            raise exc.first from None
        return summary.facts[0], summary.imported == 1

    def correct(self, event_id: str, changes: dict[str, Any], source: dict[str, Any], **extra: Any) -> Fact:
        value = {"type": "EventCorrected", "target": event_id, "changes": changes, "source": source, **extra}
        return self.record(value)[0]

    def retract(self, event_id: str, reason: str, source: dict[str, Any], **extra: Any) -> Fact:
        value = {"type": "EventRetracted", "target": event_id, "reason": reason, "source": source, **extra}
        return self.record(value)[0]

    def import_events(self, lines: Iterable[tuple[int | None, Any]], *, dry_run: bool = False, where: str = "", progress: Any = None,
                      projector: Any = None, keep_facts: bool = False) -> ImportSummary:
        """Append many events, all or nothing; every problem is reported before anything is kept.

        One write transaction, the store's writers' lock held throughout, so no other writer can
        interleave and stream versions never conflict. Lines are taken ``CHUNK`` at a time (the file is
        never held whole): validated once, normalised, de-duplicated against the store, and inserted;
        then each touched partnership is read back and checked as a whole, and ``projector`` (the
        views, when they are current) is updated from the same reading. Any problem rolls it all back.
        """
        try:
            with bulk_collection(), self.recorder.writer(commit=not dry_run) as w:  # type: ignore[attr-defined]
                batch = Batch(self, w, where, progress, keep_facts)
                chunk: list[tuple[int | None, Any]] = []
                for item in lines:
                    chunk.append(item)
                    if len(chunk) == CHUNK:
                        batch.add_chunk(chunk)
                        chunk = []
                batch.add_chunk(chunk)
                if not batch.problems:
                    batch.check_rules(projector if not dry_run and projector is not None and projector.begin(w) else None)
                if batch.problems:
                    raise batch.failure()
                if batch.projector is not None:
                    batch.projector.finish(w)
                return batch.summary()
        except AmityError:
            raise
        except Exception as exc:  # the library's or the driver's: locked, read-only, full, gone
            raise StoreError(f"cannot write to store {self.url}: {describe(exc)}") from None
