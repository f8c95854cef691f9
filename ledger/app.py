"""The Amity application: one method per use case (record, import, correct, retract, read streams).

Facts are normalised (places resolved, pair sorted, defaults filled, id derived), checked against
their partnership's history in valid-time order, and appended in one transaction per call. Library
exceptions become Amity errors here. Two writers appending to the same partnership never lose an
event: a version conflict reloads the stream and decides again.
"""

from __future__ import annotations

import getpass
import os
from datetime import UTC, date, datetime
from typing import Any, Iterable, Iterator
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from amity.events.partnership import Amendment, EventCorrected, Fact, PartnershipFact, PlaceFact
from amity.events.wire import WireError, derive_id, dumps, parse_fact, to_wire
from amity.ledger import amendments, lifecycle
from amity.ledger.errors import AmityError, BadInput, ConflictingId, ImportProblems, RuleViolation, StoreError, UnknownEvent, describe
from amity.ledger.gazetteer import Gazetteer
from amity.ledger.mapping import FactMapper
from amity.ledger.partnership import REGISTRY_ID, FactStream, Partnership, PlaceRegistry, partnership_id
from amity.ledger.stores import AmitySQLiteRecorder, StoreURL, content_hash

MAX_RETRIES = 20


def today() -> date:
    """Today, from ``AMITY_TODAY`` (YYYY-MM-DD) when set, else the system clock."""
    text = os.environ.get("AMITY_TODAY")
    if text:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise BadInput(f"AMITY_TODAY={text!r} is not a date: use YYYY-MM-DD") from None
    return date.today()


def default_actor() -> str:
    return os.environ.get("AMITY_ACTOR") or getpass.getuser()


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
                super().__init__(env=store_env(self.url))
        except AmityError:
            raise
        except Exception as exc:  # the library or the driver could not open the store
            raise StoreError(f"cannot open store {self.url}: {describe(exc)}") from None
        self._gazetteer: Gazetteer | None = None
        self.conflicts_retried = 0

    def construct_mapper(self) -> FactMapper:  # type: ignore[override]
        return FactMapper()

    # ---- reading ------------------------------------------------------------------------
    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer with this ledger's registry applied."""
        if self._gazetteer is None:
            gaz = Gazetteer()
            for fact in self.stream(REGISTRY_ID):
                _apply_place(gaz, fact)  # type: ignore[arg-type]
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
            summary = self.import_events([(None, value)])
        except ImportProblems as exc:
            raise exc.first from None
        return summary.facts[0], summary.imported == 1

    def correct(self, event_id: str, changes: dict[str, Any], source: dict[str, Any], **extra: Any) -> Fact:
        value = {"type": "EventCorrected", "target": event_id, "changes": changes, "source": source, **extra}
        return self.record(value)[0]

    def retract(self, event_id: str, reason: str, source: dict[str, Any], **extra: Any) -> Fact:
        value = {"type": "EventRetracted", "target": event_id, "reason": reason, "source": source, **extra}
        return self.record(value)[0]

    def import_events(self, lines: Iterable[tuple[int | None, Any]], *, dry_run: bool = False, where: str = "", progress: Any = None) -> ImportSummary:
        """Append many events, all or nothing; every problem is reported before anything is written."""
        lines = list(lines)
        for attempt in range(MAX_RETRIES):
            batch = Batch(self, where, progress)
            batch.prefetch([v for _, v in lines])
            for lineno, value in lines:
                batch.add(lineno, value)
            if not batch.problems:
                batch.check_rules()
            if batch.problems:
                raise ImportProblems(batch.problems, batch.first_error)
            if dry_run or not batch.pending:
                return batch.summary()
            try:
                self.save(*batch.pending.values())
            except IntegrityError:
                self._gazetteer = None
                self.conflicts_retried += 1
                if attempt == MAX_RETRIES - 1:
                    raise StoreError("store is busy: another writer kept changing the same partnerships; try again") from None
                continue
            except Exception as exc:  # the library's or the driver's: locked, read-only, full, gone
                raise StoreError(f"cannot write to store {self.url}: {describe(exc)}") from None
            return batch.summary()
        raise AssertionError("unreachable")


class ImportSummary:
    def __init__(self, imported: int, skipped: int, facts: list[Fact]):
        self.imported, self.skipped, self.facts = imported, skipped, facts

    def as_dict(self) -> dict[str, int]:
        return {"imported": self.imported, "skipped": self.skipped}


def _apply_place(gaz: Gazetteer, fact: PlaceFact) -> str:
    if fact.type == "PlaceRegistered":
        return gaz.register(fact.place, fact.kind or "city").canonical
    return gaz.alias(fact.place, fact.alias or "").canonical


class Batch:
    """Facts being prepared for one transaction: normalised, de-duplicated and checked."""

    def __init__(self, ledger: Ledger, where: str, progress: Any) -> None:
        self.ledger, self.where, self.progress = ledger, where, progress
        self.today, self.actor = today(), default_actor()
        self.now = datetime.now(UTC)
        self.pending: dict[UUID, FactStream] = {}
        self.new_ids: dict[str, str] = {}  # event id → content hash, for this batch
        self.stream_of_new: dict[str, UUID] = {}
        self.problems: list[str] = []
        self.first_error: AmityError | None = None
        self.facts: list[Fact] = []
        self.imported = self.skipped = 0
        self.added: dict[UUID, list[tuple[int, Fact, str]]] = {}  # stream → (position, fact, line prefix)
        self.known_ids: dict[str, str] = {}
        self.empty_store = not ledger.recorder.max_notification_id()
        ledger._gazetteer = None  # re-read the registry: another writer may have added places

    def prefetch(self, values: list[Any]) -> None:
        """Look up every explicit id of the file in one pass (derived ids are looked up one by one)."""
        ids = []
        for v in values:
            try:
                ids.append(str(UUID(v["id"])))
            except (TypeError, KeyError, ValueError, AttributeError):
                continue
        if ids and not self.empty_store:
            self.known_ids = {k: r["content_hash"] for k, r in self.ledger.recorder.lookup_ids(ids).items()}  # type: ignore[attr-defined]

    def add(self, lineno: int | None, value: Any) -> None:
        prefix = f"{self.where}:{lineno}: " if lineno is not None else (f"{self.where}: " if self.where else "")
        try:
            self._add(value, prefix)
        except WireError as exc:
            self._problem(prefix, BadInput(str(exc)))
        except AmityError as exc:
            self._problem(prefix, exc)
        if self.progress is not None:
            self.progress()

    def _problem(self, prefix: str, exc: AmityError) -> None:
        self.problems.append(f"{prefix}{exc}")
        self.first_error = self.first_error or exc

    def summary(self) -> ImportSummary:
        return ImportSummary(self.imported, self.skipped, self.facts)

    def _add(self, value: Any, prefix: str) -> None:
        fact = value if isinstance(value, Fact) else parse_fact(value)
        fact = fact.model_copy(update={"recorded_by": fact.recorded_by or self.actor})
        if isinstance(fact, PlaceFact):
            stream_id, fact = REGISTRY_ID, self._place(fact)
        elif isinstance(fact, Amendment):
            stream_id, fact = self._amendment(fact)
        else:
            stream_id, names = self.ledger.pair(*fact.cities)  # type: ignore[attr-defined]
            fact = fact.model_copy(update={"cities": names})
        wire = to_wire(fact)
        event_id = str(fact.id or derive_id(wire))
        digest = content_hash({**wire, "id": event_id})
        if self._is_duplicate(event_id, digest, fact):
            self.skipped += 1
            return
        fact = fact.model_copy(update={"id": UUID(event_id), "recorded_at": fact.recorded_at or self.now})
        fact = type(fact).model_validate(to_wire(fact))  # canonical, as it will be read back
        stream = self._stream(stream_id)
        if stream is None:
            stream = (PlaceRegistry if isinstance(fact, PlaceFact) else Partnership).start(stream_id, fact)
        else:
            stream.append(fact)
        self.pending[stream_id] = stream
        if isinstance(fact, PartnershipFact | Amendment):
            self.added.setdefault(stream_id, []).append((len(stream.facts) - 1, fact, prefix))
        self.new_ids[event_id] = digest
        self.stream_of_new[event_id] = stream_id
        self.facts.append(fact)
        self.imported += 1

    def _is_duplicate(self, event_id: str, digest: str, fact: Fact) -> bool:
        known = self.new_ids.get(event_id) or self.known_ids.get(event_id)
        if known is None and not self.empty_store and fact.id is None:
            row = self.ledger.recorder.lookup_ids([event_id]).get(event_id)  # type: ignore[attr-defined]
            known = row["content_hash"] if row else None
        if known is None:
            return False
        if known != digest:
            raise ConflictingId(f"id {event_id} is already on file with different content; drop the id to record a new event, or use EventCorrected")
        self.facts.append(fact.model_copy(update={"id": UUID(event_id)}))
        return True

    def _stream(self, stream_id: UUID) -> FactStream | None:
        if stream_id in self.pending:
            return self.pending[stream_id]
        return self.ledger.load(stream_id)

    def _place(self, fact: PlaceFact) -> PlaceFact:
        canonical = _apply_place(self.ledger.gazetteer, fact)
        return fact.model_copy(update={"place": canonical}) if fact.type == "PlaceRegistered" else fact

    def _amendment(self, fact: Amendment) -> tuple[UUID, Amendment]:
        target = str(fact.target)
        stream_id = self.stream_of_new.get(target)
        if stream_id is None:
            row = self.ledger.recorder.lookup_ids([target]).get(target)  # type: ignore[attr-defined]
            if row is None:
                raise UnknownEvent(f"{fact.type} targets {target}, which is not on file")
            stream_id = UUID(row["stream"])
        stream = self._stream(stream_id)
        original = amendments.find(stream.facts if stream else [], target)
        if not isinstance(original, PartnershipFact | Amendment):
            raise BadInput(f"{fact.type} cannot target a {original.type}")
        if isinstance(fact, EventCorrected):
            if not isinstance(original, PartnershipFact):
                raise BadInput("a correction targets a base fact; retract a correction to undo it")
            amendments.apply_changes(original, fact.changes)
        if fact.cities is not None:
            _, names = self.ledger.pair(*fact.cities)
            if names != original.cities:
                raise BadInput(f"{fact.type} names {', '.join(names)}, but its target is about {', '.join(original.cities)}")  # type: ignore[arg-type]
        return stream_id, fact.model_copy(update={"cities": original.cities, "date": fact.date or original.date})

    def check_rules(self) -> None:
        """Check every touched partnership once, as a whole: what is on file plus this batch's facts.

        A file is consistent if its facts together with the ledger's are, whatever their order in the
        file (so a suspension and the restoration after it may come in any order in one file).
        """
        for stream_id, added in self.added.items():
            stream = self.pending[stream_id]
            records = stream.facts
            targets = {str(f.target) for _, f, _ in added if isinstance(f, Amendment)}  # type: ignore[attr-defined]
            new = {p for p, f, _ in added if isinstance(f, PartnershipFact)}
            if targets:
                new |= {a.position for a in amendments.amend(records)
                        if str(a.original.id) in targets or any(str(c.id) in targets for c in a.corrections)}
            try:
                lifecycle.validate(amendments.effective(records), self.today, new=new)
            except RuleViolation as exc:
                failing = getattr(exc, "position", None)
                prefix = next((p for pos, _, p in added if pos == failing), added[-1][2])
                self._problem(prefix, exc)
