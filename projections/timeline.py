"""A partnership's timeline row (``amity_timelines``): its status as steps, written and read.

``last_from`` and ``last_step`` are the last step's first day and the step (JSON) alone: a question about a day on or
after it (today, mostly) reads neither ``steps`` nor its ~3 KB. ``steps`` is a JSON array of [valid_from, status, tier, since, established, implied_agreement,
last_activity, events, uncertain, disputed], each valid until the next one's valid_from. ``disputed``: a fact
folded by then is under an open dispute (``projections/disputes.py``), so a status read needs no replay to say so.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import Any, Sequence

import orjson


STEP_FIELDS = ("valid_from", "status", "tier", "since", "established", "implied_agreement", "last_activity", "events", "uncertain",
               "disputed")


def timeline_row(stream: str, items: Sequence[dict[str, Any]], disputed_from: date | None = None) -> tuple:
    """The ``amity_timelines`` row of one partnership's intervals (``status.intervals_of``); ``disputed_from``: the
    earliest day of the facts under an open dispute (a step starts there if none does)."""
    steps = [[it["valid_from"].isoformat(), it["status"], it["tier"], it["since"], it["established"], int(it["implied_agreement"]),
              it["last_activity"], it["events"], int(it["uncertain"]), 0] for it in items]
    return (stream, items[0]["cities"][0], items[0]["cities"][1], *stored(disputed_steps(steps, disputed_from)))


def stored(steps: list[list[Any]]) -> tuple[str, bytes, bytes]:
    """(last_from, last_step, steps): how a timeline's steps are stored."""
    return steps[-1][0], orjson.dumps(steps[-1]), orjson.dumps(steps)


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


def step_on(last_from: str, last_step: bytes, steps: bytes | None, key: str) -> list[Any] | None:
    """The step of a timeline row valid on day ``key`` (ISO), or None before the first: the last step (``last_step``) when
    it is valid on the day (``last_from`` <= ``key``), else a bisection of every step (``steps``, read only then).
    A row that does not decode raises ``ValueError`` (a last activity that is no date: ``statusrows.from_steps``)."""
    last = orjson.loads(last_step)
    if len(last) != len(STEP_FIELDS) or not isinstance(last[0], str) or last[0] != last_from:
        raise ValueError("not a step")
    if last_from <= key:
        return last
    if steps is None:
        raise ValueError("no steps")
    every = orjson.loads(steps)
    i = bisect_right(every, key, key=_valid_from) - 1
    return every[i] if i >= 0 else None


def _valid_from(step: list[Any]) -> str:
    return step[0]


