"""Checking option values: enumerated options against their choices, partial dates read as days."""

from __future__ import annotations

import difflib
import sys
from datetime import date
from typing import Iterable, get_args

from amity.events.partnership import ForumFormat, Instrument, PlaceKind, Tier
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
