"""Checking option values: enumerated options against their choices, partial dates read as days, instants."""

from __future__ import annotations

import difflib
import sys
from datetime import UTC, date, datetime
from typing import Iterable, get_args

from amity.events.vocab import ForumFormat, Instrument, PlaceKind, Tier
from amity.ledger.errors import BadInput

STATUSES = ("none", "proposed", "approved", "intent", "active", "suspended", "terminated")
TIERS: tuple[str, ...] = get_args(Tier)
CHOICES: dict[str, tuple[str, ...]] = {
    "--status": STATUSES, "--tier": TIERS, "--to-tier": TIERS, "--from-tier": TIERS,
    "--instrument": get_args(Instrument), "--format": get_args(ForumFormat), "--kind": get_args(PlaceKind),
}


def choose(option: str, value: str | None, choices: Iterable[str] | None = None) -> str | None:
    """``value`` if it is one of the option's choices (None passes); else a one-line error with the choices."""
    allowed = tuple(choices or CHOICES[option])
    if value is None or value in allowed:
        return value
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise BadInput(f"{option} {value!r}{hint}: use one of {', '.join(allowed)}")


def day_option(text: str, option: str, *, end: bool) -> date:
    """A day from YYYY-MM-DD, or from a partial date YYYY / YYYY-MM read as its last day (``end``) or its first.

    A partial date is reported on stderr (one line), so the reader knows which day was used.
    """
    from amity.events.dates import PartialDate

    try:
        d = PartialDate.parse(text)
    except ValueError:
        raise BadInput(f"{option} {text!r}: use a date YYYY-MM-DD (or YYYY, YYYY-MM)") from None
    if d.precision == "day":
        return d.earliest()
    day = d.latest() if end else d.earliest()
    which = "last" if end else "first"
    sys.stderr.write(f"amity: note: {option} {text} is read as {day.isoformat()}, the {which} day of {text}\n")
    return day


def instant(text: str | None, option: str = "--as-known-at") -> datetime | None:
    """An RFC 3339 instant, or a date meaning 00:00 UTC of that day (None passes); errors name ``option``."""
    if text is None:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise BadInput(f"{option} {text!r}: use an RFC 3339 instant (2026-11-17T09:00:00Z) or a date") from None
    if moment.tzinfo is None:
        raise BadInput(f"{option} {text!r} needs a time zone, e.g. 2026-11-17T09:00:00Z")
    return moment.astimezone(UTC)
