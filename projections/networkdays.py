"""A network's row of `amity networks` on any day, kept in the views (``amity_network_days``).

`amity networks` prints, per network, its name, its details (merged from every registration) and how many
members it has on the day. The member count is a step function of the day: the facts that may have happened by
day D are a prefix of the valid-time order (it sorts by earliest day first, undated facts before all), so the
roll only changes where a fact's earliest day starts, and one fold gives every step. The view keeps the steps;
a question is a bisection, not a fold of every network's facts (``projections.networks.document``, which a
property holds this equal to on every day).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import Any, Sequence

from amity.events.wire import dumps


def day_row(stream: str, effective: Sequence[tuple[int, Any]]) -> tuple:
    """The ``amity_network_days`` row of one network (facts as amended): its summary and its member count as steps
    ``[valid_from, members]`` (ISO days; an undated fact makes the first step start on 0001-01-01)."""
    from amity.ledger import membership
    from amity.projections.networks import details_of, name_of

    ordered = membership.in_valid_time(effective)
    roll, steps, count, i = membership.Roll(), [], 0, 0
    while i < len(ordered):
        day = _earliest(ordered[i][1])
        while i < len(ordered) and _earliest(ordered[i][1]) == day:
            fact = ordered[i][1]
            member = getattr(fact, "member", None)
            before = roll.members.get(member) if member else None
            membership.evolve(roll, fact)
            after = roll.members.get(member) if member else None
            count += _is_member(after) - _is_member(before)
            i += 1
        if not steps or steps[-1][1] != count:
            steps.append([day.isoformat(), count])
    name = name_of(effective)
    return stream, dumps({"network": name, "details": details_of(effective), "members": steps}).decode()


def summary_on(value: dict[str, Any], day: date) -> dict[str, Any] | None:
    """`amity networks`' row of one network on ``day`` (as ``networks.summary(document(facts, day))``), from its
    decoded summary, or None when nothing about it may have happened by then."""
    from amity.projections.networks import DETAILS

    steps = value["members"]
    i = bisect_right(steps, day.isoformat(), key=_valid_from) - 1
    if i < 0:
        return None
    details = value["details"]  # stored with keys sorted: given back in the order of the fold's rows
    return {"network": value["network"], "name": value["network"], **{k: details[k] for k in DETAILS}, "members": steps[i][1]}


def _earliest(fact: Any) -> date:
    return date.min if fact.date is None else fact.date.earliest()


def _is_member(standing: Any) -> int:
    return int(standing is not None and standing.is_member)


def _valid_from(step: list[Any]) -> str:
    return step[0]
