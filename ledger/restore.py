"""Moving a ledger with its proof: an export that carries each event's custody, and restoring it.

``amity export --proof`` writes each stored event as stored, plus ``proof``: its chain position, stream,
version, ``stored_at``, ``stored_by`` and link. ``amity import --restore`` takes such a file into an
empty ledger only if the chain it carries verifies from the first link (and, given a kept digest, passes
through it): so record times, custody fields and every link are the original ones, and a digest taken
before the move verifies after it. ``amity copy`` is the same, store to store. The target records the
move itself (when, by whom, from where, up to which link) in ``amity_moves``, which ``verify`` shows.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Iterable, Iterator

import orjson

from amity.events.vocab import format_instant
from amity.events.wire import WireError, dumps, parse_fact
from amity.ledger.errors import AmityError, BadInput, BadLine, IntegrityError, StoreError, describe
from amity.ledger.integrity import as_bytes, chain_rows, content_hash
from amity.ledger.recording import CLOCK_SKEW
from amity.ledger.records import Records, ViewWriter
from amity.ledger.writer import NewEvent

PROOF_FIELDS = ("seq", "stream", "version", "stored_at", "stored_by", "hash")
from amity.ledger.config import CHUNK


def proof_lines(recorder: Any) -> Iterator[bytes]:
    """Every stored event as stored, with its custody and link, in chain order."""
    for row in chain_rows(recorder, after=0):
        value = orjson.loads(as_bytes(row["state"]))
        value["proof"] = {k: row[k] for k in PROOF_FIELDS}
        yield dumps(value) + b"\n"


INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")  # as the ledger writes instants


def instant(value: Any, what: str, latest: str) -> str:
    """A record or store time as the ledger writes it (UTC, microseconds), and not later than now."""
    if not isinstance(value, str) or not INSTANT.fullmatch(value):
        raise BadInput(f"{what} {str(value)[:40]!r} is not an instant as Amity writes it (YYYY-MM-DDTHH:MM:SS.ffffffZ)")
    if value > latest:
        raise BadInput(f"{what} {value} is later than now: a restore keeps times, never future ones")
    return value


def restored_event(value: Any, expected_seq: int, latest: str, previous_stored_at: str = "") -> tuple[NewEvent, tuple[str, str, str]]:
    """One line of a proof export as it will be stored, and its custody (stored_at, stored_by, link)."""
    if isinstance(value, BadLine):
        raise value
    if not isinstance(value, dict) or not isinstance(value.get("proof"), dict):
        raise BadInput("a restore takes the lines of `amity export --proof`; this line has no proof")
    proof = value.pop("proof")
    if set(proof) != set(PROOF_FIELDS) or not all(isinstance(proof[k], int if k in ("seq", "version") else str) for k in PROOF_FIELDS):
        raise BadInput(f"the proof of this line needs exactly {', '.join(PROOF_FIELDS)}")
    if proof["seq"] != expected_seq:
        raise IntegrityError(f"the proof says chain position {proof['seq']}, but this is position {expected_seq}: lines are missing or reordered")
    fact = parse_fact(value)  # validated like any fact
    if fact.id is None or fact.recorded_at is None or fact.recorded_by is None:
        raise BadInput("a restored event needs its id, recorded_at and recorded_by")
    instant(value["recorded_at"], "recorded_at", latest)
    if instant(proof["stored_at"], "stored_at", latest) < previous_stored_at:
        raise IntegrityError(f"stored_at {proof['stored_at']} is before the event before it ({previous_stored_at}): the export was edited")
    event = NewEvent(proof["stream"], proof["version"], type(fact).TOPIC, dumps(value), value["id"], content_hash(value),
                     fact.type, value["recorded_at"], value["recorded_by"])
    return event, (proof["stored_at"], proof["stored_by"], proof["hash"])


def restore(ledger: Any, lines: Iterable[tuple[int | None, Any]], *, where: str, source: str, projector: ViewWriter | None = None,
            progress: Any = None, digest: str | None = None, position: int | None = None,
            earlier_moves: list[dict[str, Any]] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    """Restore a proof export into an empty ledger, all or nothing; returns {restored, position, digest}."""
    from amity.ledger.batch import Batch, Touched
    from amity.ledger.bulk import bulk_collection

    latest = format_instant(datetime.now(UTC) + CLOCK_SKEW)
    try:
        with bulk_collection(), ledger.recorder.writer() as w:
            if w.start_top or w.head[0]:
                raise BadInput(f"a restore goes into an empty ledger; {ledger.url} already holds events")
            batch, seq, events, custody, last_stored_at = Batch(ledger, w, where, progress, False), 0, [], [], ""
            for lineno, value in lines:
                seq += 1
                try:
                    event, kept = restored_event(value, seq, latest, custody[-1][0] if custody else last_stored_at)
                except (AmityError, WireError) as exc:
                    raise type(exc)(f"{where}:{lineno}: {exc}") from None
                if position == seq and digest != kept[2]:
                    raise IntegrityError(f"{where}:{lineno}: the digest kept for position {position} does not match this export's link there")
                events.append(event)
                custody.append(kept)
                batch.touched.setdefault(event.stream, Touched(1)).lines.append(lineno or 0)
                if progress is not None:
                    progress()
                if len(events) == CHUNK:
                    w.insert(events, custody)
                    last_stored_at, events, custody = custody[-1][0], [], []
            w.insert(events, custody)
            if position is not None and position > seq:
                raise IntegrityError(f"{where}: the export ends at position {seq}, before the kept digest's position {position}")
            batch.check_rules(projector if projector is not None and projector.begin(Records(w)) else None)
            if batch.problems:
                raise batch.failure()
            if batch.projector is not None:
                batch.projector.finish(Records(w))
            for move in earlier_moves:  # the source's own moves travel with it
                if move["last_seq"] <= seq:
                    w.recorder.record_move(w.c, source, 1, move)
            if seq:
                w.recorder.record_move(w.c, source, 1)
            return {"restored": seq, "position": w.head[0], "digest": w.head[1]}
    except AmityError:
        raise
    except Exception as exc:  # the database refused (PostgreSQL checks each link and who may restore)
        raise StoreError(f"cannot restore into {ledger.url}: {describe(exc)}") from None

