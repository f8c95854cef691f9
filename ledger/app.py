"""The Amity application: one method per use case (record, import, correct, retract, read streams).

Facts are normalised (places resolved, pair sorted, defaults filled, id derived), checked against
their partnership's history in valid-time order, and appended in one transaction per call. Library
exceptions become Amity errors here. Two writers appending to the same partnership never lose an
event: each write takes the store's writers' lock when it starts and reads what it decides on under it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator
from uuid import UUID

from eventsourcing.application import Application

from amity.ledger.config import actor as default_actor, today
from amity.ledger.bulk import bulk_collection
from amity.ledger.errors import AmityError, BadInput, ImportProblems, StoreError, UnknownEvent, describe
from amity.ledger.gazetteer import Gazetteer
from amity.ledger.mapping import FactMapper
from amity.ledger.streamids import partnership_id
from amity.ledger.records import Records, ViewWriter
from amity.ledger.storeurl import StoreURL

if TYPE_CHECKING:  # the event models: a read that only consults the views never imports them (nor pydantic)
    from amity.events.partnership import Fact
    from amity.ledger.recording import ImportSummary

__all__ = ["Ledger", "default_actor", "today"]

from amity.ledger.config import CHUNK
_ID_PREFIX = re.compile(r"^[0-9a-f][0-9a-f-]{3,35}$")


STORE_MODULES = {"sqlite": "amity.ledger.sqlitestore", "postgresql": "amity.ledger.pgstore"}  # each store's module (README, "Inside")


def store_env(url: StoreURL) -> dict[str, str]:
    """The library's environment for the store (its module's ``store_env``; psycopg is imported only for PostgreSQL)."""
    from importlib import import_module

    return import_module(STORE_MODULES[url.kind]).store_env(url)


class Ledger(Application[UUID]):
    """The ledger of city diplomacy."""

    name = "Amity"

    def __init__(self, store: str | None = None, *, mode: str = "write") -> None:
        """Open a store. ``mode``: "read" (it must exist), "write" (a SQLite file is created if missing), "init"
        (also creates a PostgreSQL schema: its owner's job, once)."""
        self.url = StoreURL.parse(store)
        if mode == "read" and not self.url.exists():
            raise StoreError(f"no ledger at {self.url}: check --store or AMITY_STORE (`amity import` or `amity init` creates one)")
        try:
            from importlib import import_module

            backend = import_module(STORE_MODULES[self.url.kind])  # its opener: SQLite waits out a lock, PostgreSQL checks or creates its schema
            backend.open_store(self, lambda: super(Ledger, self).__init__(env=backend.store_env(self.url)), mode)
        except AmityError:
            raise
        except Exception as exc:  # the library or the driver could not open the store
            hint = "; the schema's owner lets a role in with `amity init --writer ROLE`" if "permission denied" in str(exc) else ""
            raise StoreError(f"cannot open store {self.url}: {describe(exc)}{hint}") from None
        self._gazetteer: Gazetteer | None = None
        self.last_notices: list[str] = []
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # record time of new events (tests set it)

    def grant(self, writers: Iterable[str]) -> None:
        """Let roles read and append (through the owner's functions) and keep the views (PostgreSQL only)."""
        from amity.ledger.pgschema import grants, identifier

        with self.recorder.datastore.transaction(commit=True) as c:  # type: ignore[attr-defined]
            for role in writers:
                c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
                if role.lower() == "public" or role.startswith("pg_") or c.fetchone() is None:
                    raise BadInput(f"--writer {role!r} is not a role of this server: name a role created for it (CREATE ROLE … LOGIN)")
                for statement in grants(self.recorder.datastore.schema, self.recorder.events_table_name, identifier(role, "role")):  # type: ignore[attr-defined]
                    c.execute(statement)

    def construct_mapper(self) -> FactMapper:  # type: ignore[override]
        return FactMapper()

    # ---- reading ------------------------------------------------------------------------
    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer with this ledger's registry applied."""
        if self._gazetteer is None:
            gaz = Gazetteer()
            with self.records() as port:
                entries = port.registry()
            for entry in entries:
                try:
                    gaz.apply(entry, replay=True)  # type: ignore[arg-type]
                except AmityError:  # validated on the way in: an alias whose place no longer resolves as it did, or a fact written behind the ledger's back (`verify` names it)
                    pass
            self._gazetteer = gaz
        return self._gazetteer

    @contextmanager
    def records(self, *, write: bool = False) -> Iterator[Records]:
        """The read port (``ledger.records``): one transaction on this ledger (``write``: the writers' lock held)."""
        from amity.ledger.writer import StreamReader

        with bulk_collection(), self.recorder.session(write=write) as c:  # type: ignore[attr-defined]
            reader = StreamReader(self.recorder, c)
            reader.top = reader.start_top = self.recorder.max_position_in(c)  # type: ignore[attr-defined]
            yield Records(reader)

    def stream(self, stream_id: UUID) -> list[Fact]:
        """The records of one stream, in record order, through the read port (decoded, not validated again)."""
        return next((records for _, records in self.decoded([stream_id])), [])

    def decoded(self, stream_ids: list[UUID]) -> list[tuple[str, list[Fact]]]:
        """(stream hex, records) of the given streams through the read port: decoded once, not validated again."""
        if not stream_ids:
            return []
        with self.records() as port:
            return list(port.streams([s.hex for s in stream_ids]))

    def counts(self) -> list[Fact]:
        """The counts stream (every ``CountAsserted``, with its corrections and retractions), in record order."""
        from amity.ledger.additions import COUNTS_ID

        return next((records for _, records in self.decoded([COUNTS_ID])), [])

    def pair(self, a: str, b: str) -> tuple[UUID, tuple[str, str]]:
        """Stream id and canonical sorted names of the partnership of two places."""
        pa, pb = self.gazetteer.resolve(a), self.gazetteer.resolve(b)
        if pa.id == pb.id:
            raise BadInput(f"a partnership needs two different places; {a!r} and {b!r} are both {pa.canonical}")
        names = tuple(sorted((pa.canonical, pb.canonical)))
        return partnership_id(pa.id, pb.id), names  # type: ignore[return-value]

    def resolve_id(self, text: str) -> str:
        """The full id of the one event whose id starts with ``text`` (at least 4 hex digits, like git)."""
        prefix = text.strip().lower()
        if not _ID_PREFIX.match(prefix):
            raise BadInput(f"{text!r} is not an event id: give the id or its first characters (at least 4), as `amity audit` prints them")
        if len(prefix) == 36:
            return prefix
        found = [r["event_id"] for r in self.recorder.select_facts("f.event_id LIKE ?", [prefix + "%"])]  # type: ignore[attr-defined]
        if not found:
            raise UnknownEvent(f"no event id starts with {prefix}; `amity audit` lists ids")
        if len(found) > 1:
            shown = ", ".join(f[:12] for f in found[:5]) + (", …" if len(found) > 5 else "")
            raise BadInput(f"id prefix {prefix} is ambiguous: {len(found)} events ({shown}); give more characters")
        return found[0]

    def locate(self, event_id: str) -> tuple[dict[str, Any], list[Fact]]:
        """The index row of an event id (audit fields) and the records of its stream."""
        row = self.recorder.lookup_ids([event_id]).get(event_id)  # type: ignore[attr-defined]
        if row is None:
            raise UnknownEvent(f"no event with id {event_id}; `amity audit` lists ids")
        return row, self.stream(UUID(row["stream"]))

    def export_lines(self, proof: bool = False) -> Iterator[bytes]:
        """Every event as a canonical JSON line, in record order (streamed in pages); ``proof``: as stored, with custody and links."""
        from amity.events.wire import dumps, to_wire

        if proof:
            from amity.ledger.restore import proof_lines

            yield from proof_lines(self.recorder)
            return
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
        self.last_notices = summary.corroborated  # one line each: the same fact from another source, counted once
        return summary.facts[0], summary.imported == 1

    def correct(self, event_id: str, changes: dict[str, Any], source: dict[str, Any], **extra: Any) -> Fact:
        value = {"type": "EventCorrected", "target": event_id, "changes": changes, "source": source, **extra}
        return self.record(value)[0]

    def retract(self, event_id: str, reason: str, source: dict[str, Any], **extra: Any) -> Fact:
        value = {"type": "EventRetracted", "target": event_id, "reason": reason, "source": source, **extra}
        return self.record(value)[0]

    def import_events(self, lines: Iterable[tuple[int | None, Any]], *, dry_run: bool = False, where: str = "", progress: Any = None,
                      projector: ViewWriter | None = None, keep_facts: bool = False) -> ImportSummary:
        """Append many events, all or nothing; every problem is reported before anything is kept.

        One write transaction, the store's writers' lock held throughout, so no other writer can
        interleave and stream versions never conflict. Lines are taken ``CHUNK`` at a time (the file is
        never held whole): validated once, normalised, de-duplicated against the store, and inserted;
        then each touched partnership is read back and checked as a whole, and ``projector`` (the
        views, when they are current) is updated from the same reading. Any problem rolls it all back.
        """
        from amity.ledger.batch import Batch  # the write path: a read command never imports it

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
                batch.add_deferred()
                if not batch.problems:
                    batch.check_rules(projector if not dry_run and projector is not None and projector.begin(Records(w)) else None)
                if batch.problems:
                    raise batch.failure()
                if batch.projector is not None:
                    batch.projector.finish(Records(w))
                return batch.summary()
        except AmityError:
            raise
        except Exception as exc:  # the library's or the driver's: locked, read-only, full, gone
            raise StoreError(f"cannot write to store {self.url}: {describe(exc)}") from None
