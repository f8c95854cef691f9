"""Record time: what the ledger knew at an instant (``--as-known-at``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Sequence

from amity.events.partnership import Fact
from amity.ledger.errors import BadInput


def parse_instant(text: str) -> datetime:
    """An RFC 3339 instant, or a date meaning 00:00 UTC of that day."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise BadInput(f"--as-known-at {text!r}: use an RFC 3339 instant (2026-11-17T09:00:00Z) or a date") from None
    if moment.tzinfo is None:
        raise BadInput(f"--as-known-at {text!r} needs a time zone, e.g. 2026-11-17T09:00:00Z")
    return moment.astimezone(UTC)


def known_at(records: Sequence[Fact], instant: str | datetime) -> list[Fact]:
    """The records recorded at or before ``instant`` (in record order)."""
    moment = parse_instant(instant) if isinstance(instant, str) else instant
    return [f for f in records if f.recorded_at is not None and f.recorded_at <= moment]
