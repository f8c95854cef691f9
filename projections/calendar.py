"""Anniversaries as an RFC 5545 calendar, written with the ``icalendar`` library.

One all-day event per anniversary, with a UID derived from (partnership, event, milestone), so that
importing the file again updates a calendar instead of duplicating it. A day-precise anniversary is
that day. A month-precise one spans its whole month (a banner over the month, where the office will
look). A year-precise one ("in 2025") is an all-day event on 1 January of its year, titled "sometime
in 2025", so it is seen when the year's plans are made without shading every day of the year. None is
dropped; each carries X-AMITY-PRECISION.

So that calendar clients update an event they already hold (RFC 5545, 3.8.7): DTSTAMP is when the
file was written, LAST-MODIFIED the record time of the event's latest correction (or of the event),
and SEQUENCE the number of corrections it has had (retracting one counts too), so a correction that
moves a date bumps SEQUENCE. An anniversary of a tie suspended now is marked in its title and
categories and carries STATUS:TENTATIVE.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, Sequence
from uuid import UUID, uuid5

from amity.events.dates import PartialDate

UID_NAMESPACE = UUID("c7d1e4a2-1b3f-5a9e-8c2d-6f0b4e3a1d95")


def uid_of(row: dict[str, Any]) -> str:
    key = "|".join([*row["cities"], row["event_id"], str(row["years"])])
    return f"{uuid5(UID_NAMESPACE, key)}@amity"


def about(row: dict[str, Any]) -> str:
    """The pair of a partnership's anniversary; for a network's, the member in the network (or its founding)."""
    if row.get("network"):
        return f"{row['member']} in {row['network']}" if row.get("member") else f"{row['network']} (network founded)"
    return " – ".join(row["cities"])


def span(on: PartialDate) -> tuple[date, date]:
    """(first day, day after the last day) of the all-day event."""
    if on.precision == "year":
        start = date(on.year, 1, 1)
        return start, start + timedelta(days=1)
    return on.earliest(), on.latest() + timedelta(days=1)


def to_ics(rows: Sequence[dict[str, Any]], revisions: dict[str, tuple[int, str]] | None = None, now: datetime | None = None) -> bytes:
    """The calendar of anniversary rows; ``revisions``: (SEQUENCE, LAST-MODIFIED) by event id (``Reader.revisions``)."""
    from icalendar import Calendar, Event

    stamp = (now or datetime.now(UTC)).replace(microsecond=0)

    cal = Calendar()
    cal.add("prodid", "-//Amity//city diplomacy ledger//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Amity anniversaries")
    for row in rows:
        on = PartialDate.parse(row["on"])
        start, end = span(on)
        pair = about(row)
        when = {"day": "", "month": f" (in {on}, day unknown)", "year": f" (sometime in {on}, date unknown)"}[on.precision]
        source = row.get("source") or {}
        ev = Event()
        sequence, modified = (revisions or {}).get(row["event_id"], (0, None))
        ev.add("uid", uid_of(row))
        ev.add("dtstamp", stamp)
        ev.add("sequence", sequence)
        if modified:
            ev.add("last-modified", datetime.fromisoformat(modified.replace("Z", "+00:00")).replace(microsecond=0))
        ev.add("dtstart", start)
        ev.add("dtend", end)
        mark = (" (tie suspended)" if row.get("suspended") else "") + (" (DISPUTED: sources disagree)" if row.get("disputed") else "")
        ev.add("summary", f"{pair}: {row['years']} years{when}{mark}")
        ev.add("description", (
            f"{row['years']} years since {row['event']} of {row['event_date']} ({pair}).\n"
            f"Source: {source.get('title', '')}" + (f" — {source['publisher']}" if source.get("publisher") else "")
            + (f" {source['url']}" if source.get("url") else "")))
        ev.add("categories", ["Amity", "anniversary", *(["network"] if row.get("network") else []), *(["suspended"] if row.get("suspended") else []),
                              *(["disputed"] if row.get("disputed") else [])])
        if mark:
            ev.add("status", "TENTATIVE")
        ev.add("transp", "TRANSPARENT")
        ev.add("x-amity-precision", on.precision)
        ev.add("x-amity-event-id", row["event_id"])
        cal.add_component(ev)
    return cal.to_ical()
