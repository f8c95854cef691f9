"""Tamper evidence: one hash chain over every stored event, in record order.

Each stored event gets an ordinal ``seq`` (1, 2, 3 … with no gaps, unlike database row ids) and
``hash = sha256(previous hash ‖ canonical bytes of the row)``, where the row is the stored event (stream,
version, topic, a hash of its stored bytes) and its index entry (event id, type, record and store times and
actors). The links are computed inside the writing transaction, after the writers' lock is taken
(SQLite's write lock; the library's EXCLUSIVE table lock on PostgreSQL), so concurrent writers still
build one chain. ``verify`` streams the chain in pages of plain tuples (``CHAIN_COLUMNS``), so memory stays
flat; each row is decoded once, and its stored bytes are hashed as they are. See docs/integrity.md.
"""

from __future__ import annotations

from hashlib import sha256
from dataclasses import dataclass
from typing import Any, Iterator

import orjson

from amity.events.wire import NOT_CONTENT, dumps
from amity.ledger.errors import AmityError

GENESIS = "0" * 64
PAGE = 5000
# A chain page's columns, in order: the index row's, then its stored event's (None when it is missing).
CHAIN_COLUMNS = ("seq", "position", "event_id", "content_hash", "stream", "version", "type", "recorded_at", "recorded_by",
                 "stored_at", "stored_by", "hash", "notification_id", "topic", "state")
NOT_HASHED = frozenset((*NOT_CONTENT, "class_version"))
_TOPIC_OF: dict[str, str] = {}  # each type's one topic (``mapping.KNOWN_TOPICS`` inverted), filled by ``topic_of``


def topic_of() -> dict[str, str]:
    """Each event type's one topic (the models are imported when a chain is first checked, not by every write)."""
    if not _TOPIC_OF:
        from amity.ledger.mapping import known_topics

        _TOPIC_OF.update({cls.__name__: topic for topic, cls in known_topics().items()})
    return _TOPIC_OF


def __getattr__(name: str) -> Any:
    if name == "TOPIC_OF":
        return topic_of()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def content_hash(state: dict[str, Any]) -> str:
    """The hash of an event's content (what a copy of the same event has too)."""
    return sha256(dumps({k: v for k, v in state.items() if k not in NOT_HASHED})).hexdigest()


def as_bytes(value: Any) -> bytes:
    """Stored state as bytes, whatever type a tampered row now holds."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return bytes(value)


def link_values(prev: str, seq: int, event_id: str, content_hash: str, stream: str, version: int, type_: str,
                recorded_at: str, recorded_by: str, stored_at: str, stored_by: str, topic: str, state: bytes) -> str:
    """The hash of one chain link, from the row's values (docs/integrity.md, "What is chained")."""
    body = orjson.dumps([seq, event_id, content_hash, stream, version, type_, recorded_at, recorded_by, stored_at, stored_by,
                         topic, sha256(as_bytes(state)).hexdigest()])
    return sha256(prev.encode() + body).hexdigest()


class IntegrityFailure(AmityError):
    """Raised when the store's hash chain is broken or does not match a kept digest."""

    def __init__(self, message: str, report: dict[str, Any]):
        super().__init__(message)
        self.report = report


FIRST = -(2**62)  # the chain walk starts below any seq a forged row could carry


def chain_pages(recorder: Any, after: int = FIRST) -> Iterator[list[tuple]]:
    """Pages of chain rows (tuples of ``CHAIN_COLUMNS``), in chain order (memory stays flat)."""
    while page := recorder.chain_page(after, PAGE):
        yield page
        after = page[-1][0]


def chain_rows(recorder: Any, after: int = FIRST) -> Iterator[dict[str, Any]]:
    """Index rows with their stored events, as dicts, in chain order, a page at a time."""
    for page in chain_pages(recorder, after):
        for row in page:
            yield dict(zip(CHAIN_COLUMNS, row))


def check_row(row: tuple, seq: int, prev: str, last_position: int | None) -> tuple[str | None, Any]:
    """(why one chain row breaks the chain at ordinal ``seq``, or None; its stored state decoded, or {})."""
    (rseq, position, event_id, chash, stream, version, type_, recorded_at, recorded_by, stored_at, stored_by, hash_,
     notification_id, topic, state) = row
    if not isinstance(rseq, int) or not isinstance(position, int):
        return "its index row holds a position that is not a whole number: the index was edited", {}
    if rseq != seq:
        if rseq < seq:
            return f"an index row claims chain position {rseq}, outside the chain: it was inserted behind the ledger's back", {}
        return f"chain position {seq} is missing (next on file is {rseq}): an event was deleted", {}
    if state is None:
        return "its stored event is missing: it was deleted or moved", {}
    if notification_id != position or (last_position is not None and position <= last_position):
        return "its record position is not where the chain puts it: events were reordered", {}
    if (_TOPIC_OF or topic_of()).get(type_) != topic or topic is None:
        return f"its stored topic {str(topic)[:60]!r} is not the topic of a {type_}: the event was edited", {}
    if type(state) is not bytes:
        state = as_bytes(state)
    try:
        d = orjson.loads(state)
    except orjson.JSONDecodeError:
        d = {}
    if type(d) is not dict:
        d = {}
    if (d.get("id") != event_id or d.get("type") != type_ or d.get("recorded_at") != recorded_at or d.get("recorded_by") != recorded_by
            or content_hash(d) != chash):
        return "its stored bytes do not match its index entry: the event was edited or swapped", d
    if link_values(prev, seq, event_id, chash, stream, version, type_, recorded_at, recorded_by, stored_at, stored_by, topic, state) != hash_:
        return "its hash does not follow from the chain before it: an event was edited, inserted or reordered", d
    return None, d


@dataclass
class Verifier:
    """Re-checks the chain, page by page, against the stored events, one to one."""

    recorder: Any

    def run(self, digest: str | None = None, position: int | None = None) -> dict[str, Any]:
        from amity.ledger.bulk import bulk_collection

        with bulk_collection():  # a walk allocates an object or more per row and keeps almost none
            return self._run(digest, position)

    def _run(self, digest: str | None, position: int | None) -> dict[str, Any]:
        from amity.ledger.soundness import Soundness

        prev, seq, last_position = GENESIS, 0, None
        sound = Soundness()
        for page in chain_pages(self.recorder):
            for row in page:
                seq += 1
                reason, d = check_row(row, seq, prev, last_position)
                reason = reason or sound.event(row, d)
                if reason:
                    return self._fail(row, seq, reason)
                prev, last_position = row[11], row[1]
                if position == seq and digest is not None and digest != prev:
                    return self._fail(row, seq, f"the digest kept for position {position} does not match: history up to there was rewritten")
        extra = self._unchained(seq)
        if extra is not None:
            return {"ok": False, "events": seq, "first_bad": extra}
        planted, unresolved = sound.streams()
        if planted is not None:
            return {"ok": False, "events": seq, "first_bad": {"seq": None, "event_id": None, "partnership": list(sound.pairs[planted]),
                                                                "reason": f"stream {planted} is not the stream its places give: its events were planted there"}}
        if position is not None and position > seq:
            return {"ok": False, "events": seq, "first_bad": {"seq": position, "event_id": None, "partnership": None,
                                                                 "reason": f"the chain ends at {seq}, before position {position}: history was truncated"}}
        return {"ok": True, "events": seq, "first_bad": None} | ({"unresolved_pairs": unresolved} if unresolved else {})

    def _unchained(self, seq: int) -> dict[str, Any] | None:
        """After a chain of ``seq`` links verified: every stored event has exactly one index row, and each id is one event."""
        counts = self.recorder.chain_counts()
        if counts["events"] > seq:
            orphan = self.recorder.first_unindexed_event() or {}
            return {"seq": None, "event_id": orphan.get("id"), "partnership": orphan.get("cities"),
                    "reason": "a stored event is not in the chain: it was inserted behind the ledger's back"}
        if counts["ids"] != seq:
            return {"seq": None, "event_id": None, "partnership": None,
                    "reason": "two index rows name the same stored event or the same id: the index was forged"}
        return None

    @staticmethod
    def _fail(row: tuple, seq: int, reason: str) -> dict[str, Any]:
        rseq, event_id, state = row[0], row[2], row[14]
        cities = None
        if state is not None:
            try:
                cities = orjson.loads(as_bytes(state)).get("cities")
            except (orjson.JSONDecodeError, AttributeError):
                cities = None
        return {"ok": False, "events": seq - 1, "first_bad": {"seq": rseq if isinstance(rseq, int) and rseq < seq else seq,
                                                               "event_id": event_id, "partnership": cities, "reason": reason}}


def digest_of(recorder: Any) -> dict[str, Any]:
    head = recorder.chain_head()
    return {"position": head[0], "digest": head[1]}
