"""Tamper evidence: one hash chain over every stored event, in record order.

Each stored event gets an ordinal ``seq`` (1, 2, 3 … with no gaps, unlike database row ids) and
``hash = sha256(previous hash ‖ canonical bytes of the row)``, where the row is the stored event (stream,
version, topic, a hash of its state) and its index entry (event id, type, record and store times and
actors). The links are computed inside the writing transaction, after the writers' lock is taken
(SQLite's write lock; the library's EXCLUSIVE table lock on PostgreSQL), so concurrent writers still
build one chain. ``verify`` streams the chain in pages, so memory stays flat. See docs/integrity.md.
"""

from __future__ import annotations

from hashlib import sha256
from dataclasses import dataclass
from typing import Any, Iterator

import orjson

from amity.events.partnership import FACT_TYPES
from amity.events.wire import content_of, dumps
from amity.ledger.errors import AmityError
from amity.ledger.mapping import KNOWN_TOPICS

GENESIS = "0" * 64
PAGE = 5000


def content_hash(state: dict[str, Any]) -> str:
    """The hash of an event's content (what a copy of the same event has too)."""
    body = {k: v for k, v in content_of(state).items() if k != "class_version"}
    return sha256(dumps(body)).hexdigest()


def as_bytes(value: Any) -> bytes:
    """Stored state as bytes, whatever type a tampered row now holds."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return bytes(value)


def link(prev: str, row: dict[str, Any], state: bytes, topic: str) -> str:
    """The hash of one chain link."""
    return link_values(prev, row["seq"], row["event_id"], row["content_hash"], row["stream"], row["version"], row["type"],
                       row["recorded_at"], row["recorded_by"], row["stored_at"], row["stored_by"], topic, state)


def link_values(prev: str, seq: int, event_id: str, content_hash: str, stream: str, version: int, type_: str,
                recorded_at: str, recorded_by: str, stored_at: str, stored_by: str, topic: str, state: bytes) -> str:
    """``link`` of the row's values, as the writer has them."""
    body = orjson.dumps([seq, event_id, content_hash, stream, version, type_, recorded_at, recorded_by, stored_at, stored_by,
                         topic, sha256(as_bytes(state)).hexdigest()])
    return sha256(prev.encode() + body).hexdigest()


class IntegrityFailure(AmityError):
    """Raised when the store's hash chain is broken or does not match a kept digest."""

    def __init__(self, message: str, report: dict[str, Any]):
        super().__init__(message)
        self.report = report


FIRST = -(2**62)  # the chain walk starts below any seq a forged row could carry


def chain_rows(recorder: Any, after: int = FIRST) -> Iterator[dict[str, Any]]:
    """Index rows with their stored events, in chain order, a page at a time (memory stays flat)."""
    while page := recorder.chain_page(after, PAGE):
        yield from page
        after = page[-1]["seq"]


@dataclass
class Verifier:
    """Re-checks the chain, page by page, against the stored events, one to one."""

    recorder: Any

    def run(self, digest: str | None = None, position: int | None = None) -> dict[str, Any]:
        from amity.ledger.soundness import Soundness

        prev, seq, last_position = GENESIS, 0, None
        sound = Soundness()
        for row in self._rows():
            seq += 1
            reason = self._check(row, seq, prev, last_position)
            reason = reason or sound.event(row, row["decoded"])
            if reason:
                return self._fail(row, seq, reason)
            prev, last_position = row["hash"], row["position"]
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

    @staticmethod
    def _check(row: dict[str, Any], seq: int, prev: str, last_position: int | None) -> str | None:
        """Why one index row and its stored event break the chain at ordinal ``seq``, or None."""
        if not isinstance(row["seq"], int) or not isinstance(row["position"], int):
            return "its index row holds a position that is not a whole number: the index was edited"
        if row["seq"] != seq:
            if row["seq"] < seq:
                return f"an index row claims chain position {row['seq']}, outside the chain: it was inserted behind the ledger's back"
            return f"chain position {seq} is missing (next on file is {row['seq']}): an event was deleted"
        if row["state"] is None:
            return "its stored event is missing: it was deleted or moved"
        if row["notification_id"] != row["position"] or (last_position is not None and row["position"] <= last_position):
            return "its record position is not where the chain puts it: events were reordered"
        if KNOWN_TOPICS.get(row["topic"]) is None or KNOWN_TOPICS[row["topic"]] is not FACT_TYPES.get(row["type"]):
            return f"its stored topic {str(row['topic'])[:60]!r} is not the topic of a {row['type']}: the event was edited"
        state = as_bytes(row["state"])
        try:
            d = orjson.loads(state)
        except orjson.JSONDecodeError:
            d = {}
        d = row["decoded"] = d if isinstance(d, dict) else {}
        if (d.get("id"), d.get("type"), d.get("recorded_at"), d.get("recorded_by")) != (row["event_id"], row["type"], row["recorded_at"], row["recorded_by"]) \
                or content_hash(d) != row["content_hash"]:
            return "its stored bytes do not match its index entry: the event was edited or swapped"
        if link(prev, row, state, row["topic"]) != row["hash"]:
            return "its hash does not follow from the chain before it: an event was edited, inserted or reordered"
        return None

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

    def _rows(self) -> Iterator[dict[str, Any]]:
        return chain_rows(self.recorder)

    @staticmethod
    def _fail(row: dict[str, Any], seq: int, reason: str) -> dict[str, Any]:
        cities = None
        if row.get("state") is not None:
            try:
                cities = orjson.loads(as_bytes(row["state"])).get("cities")
            except (orjson.JSONDecodeError, AttributeError):
                cities = None
        return {"ok": False, "events": seq - 1, "first_bad": {"seq": row["seq"] if isinstance(row["seq"], int) and row["seq"] < seq else seq,
                                                               "event_id": row["event_id"], "partnership": cities, "reason": reason}}


def digest_of(recorder: Any) -> dict[str, Any]:
    head = recorder.chain_head()
    return {"position": head[0], "digest": head[1]}
