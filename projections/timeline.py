"""A partnership's timeline row (``amity_timelines``): its status as steps, written and read.

``steps`` is a JSON array of [valid_from, status, tier, since, established, implied_agreement,
last_activity, events, uncertain, disputed], each valid until the next one's valid_from. ``disputed``: a fact
folded by then is under an open dispute (``projections/disputes.py``), so a status read needs no replay to say so.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import Any, Sequence

import orjson

from amity.events.dates import PartialDate

STEP_FIELDS = ("valid_from", "status", "tier", "since", "established", "implied_agreement", "last_activity", "events", "uncertain",
               "disputed")


def timeline_row(stream: str, items: Sequence[dict[str, Any]], disputed_from: date | None = None) -> tuple:
    """The ``amity_timelines`` row of one partnership's intervals (``status.intervals_of``); ``disputed_from``: the
    earliest day of the facts under an open dispute (a step starts there if none does)."""
    steps = [[it["valid_from"].isoformat(), it["status"], it["tier"], it["since"], it["established"], int(it["implied_agreement"]),
              it["last_activity"], it["events"], int(it["uncertain"]), 0] for it in items]
    return (stream, items[0]["cities"][0], items[0]["cities"][1], orjson.dumps(disputed_steps(steps, disputed_from)))


def disputed_steps(steps: list[list[Any]], disputed_from: date | None) -> list[list[Any]]:
    """The steps marked disputed from ``disputed_from`` on: the step that holds that day is split there."""
    if disputed_from is None:
        return steps
    key = disputed_from.isoformat()
    i = bisect_right(steps, key, key=_valid_from) - 1
    if i >= 0 and steps[i][0] != key:
        steps.insert(i + 1, [key, *steps[i][1:]])
        i += 1
    for step in steps[max(i, 0):]:
        step[-1] = 1
    return steps


def step_on(blob: bytes, key: str) -> list[Any] | None:
    """The step of a timeline (``steps``' stored JSON) valid on day ``key`` (ISO), or None before the first.

    Most questions are about today, which the last step answers: it alone is decoded when it is valid on the
    day (the steps are arrays of dates, names and numbers, so "],[" only ever separates two of them); else
    every step, and a bisection. A row that does not decode raises ``ValueError``."""
    cut = blob.rfind(b"],[")
    last = orjson.loads(blob[cut + 2 : -1] if cut >= 0 else blob[1:-1])
    if len(last) != len(STEP_FIELDS) or not isinstance(last[0], str):
        raise ValueError("not a step")
    if last[0] <= key:
        steps = [last]
    else:
        steps = orjson.loads(blob)
    if steps[-1][6]:
        PartialDate.parse(steps[-1][6])  # a damaged row is found here rather than printed
    i = bisect_right(steps, key, key=_valid_from) - 1
    return steps[i] if i >= 0 else None


def _valid_from(step: list[Any]) -> str:
    return step[0]


