"""A partnership's timeline as a picture: the geometry of an SVG drawn on the server.

Status bands come from the status projection's own step function (``projections.status.intervals``):
one band per run of the same status and tier, from the day it began to the day it changed. Every
event is a mark over its whole period: a day-precise date is a thin line, "1989-01" covers January
1989, "2010" the whole year, never a false day. The template only draws what this module measures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Sequence

from amity.events.dates import PartialDate
from amity.events.partnership import Fact
from amity.projections.status import intervals

WIDTH, LEFT, RIGHT = 960, 16, 16
BAND_Y, BAND_H, MARK_Y, MARK_H, AXIS_Y = 8, 30, 46, 18, 82
HEIGHT = 100


@dataclass(frozen=True)
class Band:
    x: float
    w: float
    status: str
    tier: str | None
    start: date
    end: date | None
    uncertain: bool


@dataclass(frozen=True)
class Mark:
    x: float
    w: float
    type: str
    date: str
    precision: str
    retracted: bool


@dataclass
class Timeline:
    bands: list[Band] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    ticks: list[tuple[float, int]] = field(default_factory=list)
    day_x: float | None = None
    width: int = WIDTH
    height: int = HEIGHT


def runs(steps: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Adjacent intervals of the same status, tier and certainty merged into one.

    An uncertain run is the period of a partial date that began it ("1989-01": the January in which the
    tie may or may not yet have been proposed); it is drawn lighter than the certain run after it.
    """
    out: list[dict[str, Any]] = []
    for s in steps:
        if out and [out[-1][k] for k in ("status", "tier", "uncertain")] == [s[k] for k in ("status", "tier", "uncertain")]:
            out[-1] = {**out[-1], "valid_to": s["valid_to"]}
        else:
            out.append(dict(s))
    return out


def timeline(records: Sequence[Fact], history: Sequence[dict[str, Any]], day: date) -> Timeline:
    """The picture of one partnership: its records (for the bands), its history rows (for the marks), and the day asked about."""
    periods = [PartialDate.parse(r["date"]) for r in history]
    if not periods:
        return Timeline()
    first = min(p.earliest() for p in periods)
    last = max([day, *(p.latest() for p in periods)])
    start, end = date(first.year, 1, 1), date(last.year + 1, 1, 1)
    scale = (WIDTH - LEFT - RIGHT) / (end - start).days

    def x(d: date) -> float:
        return round(LEFT + (min(max(d, start), end) - start).days * scale, 2)

    t = Timeline(day_x=x(day) if start <= day <= end else None)
    for s in runs(intervals(records)):
        if s["status"] == "none":
            continue
        stop = s["valid_to"]
        t.bands.append(Band(x(s["valid_from"]), max(x(stop or end) - x(s["valid_from"]), 1), s["status"], s["tier"],
                            s["valid_from"], stop, bool(s["uncertain"])))
    for row, p in zip(history, periods):
        x0 = x(p.earliest())
        t.marks.append(Mark(x0, max(x(p.latest() + timedelta(days=1)) - x0, 2), row["type"], row["date"], p.precision, bool(row["retracted"])))
    years = end.year - start.year
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if years / s <= 12)
    t.ticks = [(x(date(y, 1, 1)), y) for y in range(start.year, end.year + 1) if y % step == 0]
    return t
