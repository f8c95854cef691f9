"""One import's facts on their way in: normalised, de-duplicated, stored and checked as a whole.

``Batch`` is the work of ``Ledger.import_events`` inside its write transaction: lines are validated once
(``parse_fact``), their places resolved and their pair sorted, their canonical bytes, content hash and
derived id computed, duplicates of what is on file skipped, the rest inserted a chunk at a time; then
every touched partnership is read back and checked against the lifecycle rules, whatever the order of
its facts in the file.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from amity.events.additions import CountAsserted
from amity.events.network import NetworkFact
from amity.events.partnership import Amendment, Fact, PlaceFact, format_instant
from amity.events.wire import WireError, parse_fact, to_wire
from amity.ledger import amendments, claims, lifecycle, membership, networks
from amity.ledger.errors import (AmbiguousPlace, AmityError, BadInput, BadLine, ConflictingId, ImportProblems, RuleViolation, UnknownEvent,
                                 UnknownPlace)
from amity.ledger.additions import COUNTS_ID, answered, check_target, count_wire, inviter
from amity.ledger.mapping import trusted_fact
from amity.ledger.streamids import REGISTRY_ID
from amity.ledger.problems import Problem
from amity.ledger.records import Records, ViewWriter
from amity.ledger.recording import ImportSummary, default_actor, new_event, today, where_and_who
from amity.ledger.writer import NewEvent, Writer

DEFER_MAX = 10_000  # lines kept for after the whole input is read (their places may be registered further on)

@dataclass(slots=True)
class Candidate:
    """One normalised line of a chunk, before de-duplication."""

    lineno: int | None
    fact: Fact  # as given (its places as written)
    event: NewEvent
    names: tuple[str, str] | str | None  # the places, canonical (partnership facts and amendments), or the network's name


@dataclass
class Touched:
    """What a batch added to one stream: its first new version and the line of each new event."""

    first_new: int
    lines: array = field(default_factory=lambda: array("q"))


class Batch:
    """Facts being prepared for one write transaction: normalised, de-duplicated, stored, checked."""

    def __init__(self, ledger: Any, writer: Writer, where: str, progress: Any, keep_facts: bool) -> None:
        self.ledger, self.w, self.where, self.progress, self.keep_facts = ledger, writer, where, progress, keep_facts
        self.today, self.actor = today(), default_actor()
        self.now = format_instant(ledger.clock())
        self.retimed = 0  # new lines that carried a recorded_at of their own (the ledger set it)
        self.problems: list[Problem] = []
        self.facts: list[Fact] = []
        self.imported = self.skipped = 0
        self.corroborated: list[str] = []  # one line for each fact that corroborates another (ledger/corroboration.py)
        self.touched: dict[str, Touched] = {}
        self.next_version: dict[str, int] = {}
        self.pairs: dict[tuple[str, str], tuple[str, tuple[str, str]]] = {}
        self.projector: ViewWriter | None = None
        self.deferred: list[tuple[int | None, Any]] | None = []  # None once the whole input has been read
        ledger._gazetteer = None  # re-read the registry under the lock: another writer may have added places

    # ---- lines -----------------------------------------------------------------------
    def add_chunk(self, chunk: list[tuple[int | None, Any]]) -> None:
        """Normalise a chunk's lines, drop those already on file, store the rest."""
        candidates: list[Candidate] = []
        local: dict[str, Candidate] = {}
        for lineno, value in chunk:
            try:
                cand = self._normalise(lineno, value, local)
            except WireError as exc:
                self._problem(lineno, BadInput(exc.message, field=exc.field, hint=exc.hint))
                cand = None
            except AmityError as exc:
                if not self._defer(lineno, value, exc):
                    self._problem(lineno, exc)
                cand = None
            if cand is not None:
                candidates.append(cand)
                local.setdefault(cand.event.event_id, cand)
            if self.progress is not None:
                self.progress()
        known = self.w.lookup([c.event.event_id for c in candidates]) if candidates else {}
        fresh: dict[str, str] = {}
        new_events: list[NewEvent] = []
        streams = {c.event.stream for c in candidates} - set(self.next_version)
        if streams:
            on_file = self.w.versions(sorted(streams))
            for stream in streams:
                self.next_version[stream] = on_file.get(stream, 0) + 1
        for c in candidates:
            e = c.event
            digest = fresh.get(e.event_id) or (known[e.event_id]["content_hash"] if e.event_id in known else None)
            if e.event_id in known and known[e.event_id]["stream"] != e.stream:
                self._problem(c.lineno, ConflictingId(
                    f"id {e.event_id} is on file under another partnership's stream: the store was tampered with; run `amity verify`"))
                continue
            if digest is not None:
                if digest != e.content_hash:
                    self._problem(c.lineno, ConflictingId(
                        f"id {e.event_id} is already on file with different content; drop the id to record a new event, or use EventCorrected"))
                    continue
                self.skipped += 1
                if self.keep_facts:
                    self.facts.append(c.fact.model_copy(update={"id": UUID(e.event_id)}))
                continue
            fresh[e.event_id] = e.content_hash
            e.version = self.next_version[e.stream]
            self.next_version[e.stream] = e.version + 1
            info = self.touched.get(e.stream)
            if info is None:
                info = self.touched[e.stream] = Touched(e.version)
            info.lines.append(c.lineno or 0)
            new_events.append(e)
            self.retimed += c.fact.recorded_at is not None
            self.imported += 1
            if self.keep_facts:
                self.facts.append(trusted_fact(e.topic, e.state))
        self.w.insert(new_events)

    def _defer(self, lineno: int | None, value: Any, exc: AmityError) -> bool:
        """Keep a line for after the whole input is read, if a place (or network) registered later in it may resolve it:
        a ``PlaceRegistered`` on line 90 counts for line 3. An amendment whose target is such a line waits with it."""
        if self.deferred is None or len(self.deferred) >= DEFER_MAX or not isinstance(exc, UnknownPlace | AmbiguousPlace | UnknownEvent):
            return False
        self.deferred.append((lineno, value))
        return True

    def add_deferred(self) -> None:
        """The whole input is read: try the deferred lines again (in line order) with every place of the file known."""
        deferred, self.deferred = self.deferred or [], None
        if deferred:
            progress, self.progress = self.progress, None
            self.add_chunk(deferred)
            self.progress = progress

    def _normalise(self, lineno: int | None, value: Any, local: dict[str, Candidate]) -> Candidate:
        if isinstance(value, BadLine):
            raise value
        fact = value if isinstance(value, Fact) else parse_fact(value)  # the one validation
        names: tuple[str, str] | None = None
        if isinstance(fact, PlaceFact):
            fact = self._place(fact)
            stream = REGISTRY_ID.hex
            wire = to_wire(fact)
        elif isinstance(fact, Amendment):
            stream, names, on = self._amendment(fact, local)
            wire = to_wire(fact) | (networks.subject_wire(names) if names is not None else {})
            if on is not None:
                wire.setdefault("date", on)
        elif isinstance(fact, CountAsserted):
            stream, wire = COUNTS_ID.hex, count_wire(self.ledger.gazetteer, fact)
        elif isinstance(fact, NetworkFact):
            stream, wire, names = networks.normalise(self.ledger.gazetteer, networks.directory_for(self), fact)
        else:
            stream, names = self._pair(*fact.cities)  # type: ignore[attr-defined]
            wire = to_wire(fact)
            written = list(fact.cities) if self.ledger.gazetteer.resolve(fact.cities[0]).canonical == names[0] else list(fact.cities)[::-1]
            if written != list(names) and "as_written" not in wire:
                wire["as_written"] = written  # the spelling of the source, beside the canonical places
            wire["cities"] = list(names)
            where_and_who(self.ledger.gazetteer, fact, wire, names)
            inviter(self.ledger.gazetteer, fact, wire, names)
            answered(fact, names, lambda i: self._on_file(fact, i, local)[1])
        return Candidate(lineno, fact, new_event(fact, wire, stream, self.now, self.actor), names)

    def _pair(self, a: str, b: str) -> tuple[str, tuple[str, str]]:
        found = self.pairs.get((a, b))
        if found is None:
            stream_id, names = self.ledger.pair(a, b)
            found = self.pairs[(a, b)] = (stream_id.hex, names)
        return found

    def _place(self, fact: PlaceFact) -> PlaceFact:
        canonical = self.ledger.gazetteer.apply(fact)
        self.pairs.clear()  # a new place or alias can change what a name resolves to
        return fact.model_copy(update={"place": canonical}) if fact.type == "PlaceRegistered" else fact

    def _amendment(self, fact: Amendment, local: dict[str, Candidate]) -> tuple[str, Any, str | None]:
        """The target's stream, its places (canonical) or network (None for a count), and its date (the amendment's default date)."""
        stream, original, names = self._on_file(fact, str(fact.target), local)
        check_target(fact, original, lambda i: self._on_file(fact, i, local)[1])  # ledger/additions.py: what it may point at
        if names is not None and (fact.cities is not None or fact.network is not None):
            given = self._pair(*fact.cities)[1] if fact.cities is not None else networks.directory_for(self).resolve(fact.network)[1]  # type: ignore[arg-type]
            if given != names:
                raise BadInput(f"{fact.type} names {networks.subject_text(given)}, but its target is about {networks.subject_text(names)}")
        return stream, names, None if original.date is None else str(original.date)

    def _on_file(self, fact: Fact, target: str, local: dict[str, Candidate]) -> tuple[str, Any, Any]:
        """(stream, fact as stored, its places or network) of an event in this batch or on file."""
        if target in local:
            e = local[target].event  # as it will be stored: places canonical, an amendment's date set
            return e.stream, trusted_fact(e.topic, e.state), local[target].names
        row = self.w.lookup([target]).get(target)
        if row is None:
            raise UnknownEvent(f"{fact.type} targets {target}, which is not on file")
        original = trusted_fact(*self.w.state_of(row["stream"], row["version"]))
        return row["stream"], original, networks.subject_of(original)

    # ---- the whole ----------------------------------------------------------------------
    def check_rules(self, projector: ViewWriter | None) -> None:
        """Check every touched partnership once, as a whole: what is on file plus this batch's facts.

        A file is consistent if its facts together with the ledger's are, whatever their order in the
        file (so a suspension and the restoration after it may come in any order in one file). The
        facts are read back as stored, so what is checked is what the views will replay.
        """
        self.projector = projector
        streams = [s for s in self.touched if s != REGISTRY_ID.hex]
        everything = self.w.start_top == 0  # the store was empty: every stream is this batch's, read in one scan
        for stream, records in Records(self.w).streams(None if everything else streams):
            if stream not in self.touched:
                continue
            info = self.touched[stream]
            start = info.first_new - 1  # the position of the first new record
            new = {p for p in range(start, len(records)) if isinstance(records[p], amendments.BASE_FACTS)}
            targets = claims.touched(records, start)  # what the new amendments, disputes and resolutions point at
            amended = amendments.amend(records) if targets else None
            if amended is not None:
                new |= {a.position for a in amended if str(a.original.id) in targets or any(str(c.id) in targets for c in a.corrections)}
            effective, notices = amendments.effective_and_notices(records, start, amended)  # as effective() and corroboration.notices()
            rules = membership if isinstance(records[0], NetworkFact) else lifecycle  # a network's stream, or a partnership's
            try:
                rules.validate(effective, self.today, new=new)  # type: ignore[attr-defined]
            except RuleViolation as exc:
                failing = getattr(exc, "position", start) - start
                lineno = info.lines[failing] if 0 <= failing < len(info.lines) else info.lines[-1]
                self._problem(lineno, exc)
                continue
            self.corroborated.extend(notices)  # the same fact from another source: once
            if projector is not None:
                projector.add(stream, effective, records)

    def _problem(self, lineno: int | None, exc: AmityError) -> None:
        self.problems.append(Problem.of(self.where, lineno, exc))

    def failure(self) -> ImportProblems:
        return ImportProblems(sorted(self.problems, key=lambda p: p.line or 0))

    def summary(self) -> ImportSummary:
        return ImportSummary(self.imported, self.skipped, self.facts, self.retimed, self.corroborated)
