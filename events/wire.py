"""The JSON Lines wire format: one event per line, parsed into models and written back canonically.

``parse_fact`` turns a decoded JSON value into a ``Fact`` or raises ``WireError`` naming the field
and the fix (unknown fields get a "did you mean" hint). ``to_wire`` is the canonical form: nulls
dropped, defaults filled, keys sorted, so writing a parsed line again gives the same bytes.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

import orjson

if TYPE_CHECKING:  # the models and pydantic are imported by what parses; writing and hashing stored forms needs neither
    from pydantic import ValidationError

    from amity.events.partnership import Fact

# Fixed namespace of derived event ids (documented in the README). Never change it.
EVENT_ID_NAMESPACE = UUID("5b0c7e0a-4d1f-5c8e-9a1e-0a3e1d7a2f10")
RECORD_FIELDS = ("id", "recorded_at", "recorded_by")
# Kept with an event but not part of what identifies it: the places as the source spelt them.
NOT_CONTENT = (*RECORD_FIELDS, "as_written")


class WireError(ValueError):
    """Raised when a line of the wire format is not a valid event; ``field`` names the culprit."""

    def __init__(self, message: str, field: str | None = None, hint: str | None = None):
        super().__init__(message + (f" ({hint})" if hint else ""))
        self.message, self.field, self.hint = message, field, hint


def _hint(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def parse_fact(value: Any) -> Fact:
    """Validate one decoded JSON value as an event."""
    from pydantic import ValidationError

    from amity.events.partnership import FACT_TYPES

    if not isinstance(value, dict):
        raise WireError(f"an event must be a JSON object, not {type(value).__name__}")
    kind = value.get("type")
    if not isinstance(kind, str):
        raise WireError("missing field 'type' (e.g. \"MoUSigned\")", "type")
    cls = FACT_TYPES.get(kind)
    if cls is None:
        raise WireError(f"unknown event type {kind!r}", "type", _hint(kind, list(FACT_TYPES)))
    where = _nul_in(value) if _may_hold_nul(value) else None
    if where is not None:
        raise WireError(f"field {where!r} contains a NUL character (\\u0000), which no store keeps; remove it", where.split(".")[0])
    try:
        return cls.model_validate(value)
    except ValidationError as exc:
        raise _wire_error(exc, cls) from None


def _may_hold_nul(value: Any) -> bool:
    """Whether any text of ``value`` may hold a NUL: JSON escapes every NUL as ``\\u0000``, so one scan of its
    encoding (in C) clears nearly every line; a hit (or a value orjson cannot encode) is looked at field by field."""
    try:
        return b"\\u0000" in orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError
        return True


def _nul_in(value: Any, path: str = "") -> str | None:
    """The path of the first text (key or value) holding a NUL character, if any."""
    if isinstance(value, str):
        return (path or "event") if "\x00" in value else None
    if isinstance(value, dict):
        for k, v in value.items():
            here = f"{path}.{k}" if path else str(k)
            if "\x00" in str(k):
                return here
            found = _nul_in(v, here)
            if found:
                return found
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found = _nul_in(v, f"{path}.{i}")
            if found:
                return found
    return None


def _wire_error(exc: ValidationError, cls: type[Fact]) -> WireError:
    errors = exc.errors()
    err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])  # a typo explains a "missing" field
    where = ".".join(str(p) for p in err["loc"]) or "event"
    field = str(err["loc"][0]) if err["loc"] else None
    if err["type"] == "extra_forbidden":
        return WireError(f"unknown field {where!r} for {cls.__name__}", field, _hint(str(err["loc"][-1]), list(cls.model_fields)))
    if err["type"] == "missing":
        return WireError(f"missing field {where!r} for {cls.__name__}", field)
    msg = err["msg"].removeprefix("Value error, ")
    return WireError(f"field {where!r}: {msg}", field)


def to_wire(fact: Fact) -> dict[str, Any]:
    """The canonical JSON-ready dict of a fact (nulls dropped, defaults filled).

    A fact replayed from the store (``amity.ledger.mapping.trusted_fact``) gives its stored bytes, decoded:
    they were written as this dict (keys sorted), so nothing is serialised again. ``warnings=False``: such a
    fact carries its source as the stored dict.
    """
    private = fact.__pydantic_private__
    if private and private.get("_stored") is not None:
        kept = private["_stored"]  # bytes, or a view's dict (copied through JSON: the caller may change what it gets)
        stored = orjson.loads(orjson.dumps(kept) if isinstance(kept, dict) else kept)
        ordered = {k: stored[k] for k in _field_order(type(fact)) if k in stored}  # the models' order, as a dump gives it
        return ordered if len(ordered) == len(stored) else {**ordered, **stored}
    return fact.model_dump(mode="json", exclude_none=True, warnings=False)


@lru_cache(maxsize=None)
def _field_order(cls: type) -> tuple[str, ...]:
    return tuple(cls.model_fields)


def dumps(data: dict[str, Any]) -> bytes:
    """Canonical bytes: keys sorted, no spaces."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def content_of(wire: dict[str, Any]) -> dict[str, Any]:
    """The part of an event that identifies it: everything but ``id``, ``recorded_*`` and ``as_written``."""
    return {k: v for k, v in wire.items() if k not in NOT_CONTENT}


def derive_id(content: bytes) -> UUID:
    """An event's id: the UUIDv5 of its canonical content (``dumps(content_of(wire))``), in ``EVENT_ID_NAMESPACE``."""
    return uuid5(EVENT_ID_NAMESPACE, content.decode())
