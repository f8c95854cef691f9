"""A timeline's step on a day: reading the last step alone (today's question: the view's ``last_step``, its ``steps``
not even read) equals bisecting every step; a timeline marked disputed from a day answers every day as before, disputed
exactly from that day on."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

import orjson
import pytest
from hypothesis import given, strategies as st

from amity.projections.timeline import STEP_FIELDS, disputed_steps, step_on, stored

days = st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31))
statuses = st.sampled_from(["none", "proposed", "approved", "intent", "active", "suspended", "terminated"])
tiers = st.one_of(st.none(), st.sampled_from(["cooperation", "friendship", "sister", "twin", "business_partner"]))


@st.composite
def timelines(draw) -> list[list]:
    starts = sorted(set(draw(st.lists(days, min_size=1, max_size=12))))
    return [[d.isoformat(), draw(statuses), draw(tiers), draw(st.one_of(st.none(), days.map(date.isoformat))), None,
             draw(st.integers(0, 1)), draw(st.one_of(st.none(), st.just(d.isoformat()[:7]))), i + 1, draw(st.integers(0, 1)), 0]
            for i, d in enumerate(starts)]


def on(steps: list[list], key: str) -> list | None:
    """``step_on`` as the view reads a row: ``steps`` only when the last step starts after the day (SQL's CASE)."""
    last_from, last_step, blob = stored(steps)
    return step_on(last_from, last_step, blob if last_from > key else None, key)


@given(timelines(), days)
def test_the_step_on_a_day_is_the_last_one_started_by_then(steps, day):
    key = day.isoformat()
    i = bisect_right([s[0] for s in steps], key) - 1
    assert on(steps, key) == (steps[i] if i >= 0 else None)
    last_from, last_step, blob = stored(steps)
    assert step_on(last_from, last_step, blob, key) == on(steps, key)  # with the steps read whatever the day: the same
    assert len(steps[0]) == len(STEP_FIELDS)


@given(timelines())
def test_the_first_and_the_last_day_of_a_step_find_it(steps):
    for i, step in enumerate(steps):
        assert on(steps, step[0]) == step
        end = date.fromisoformat(steps[i + 1][0]) - timedelta(days=1) if i + 1 < len(steps) else date(9999, 12, 31)
        assert on(steps, end.isoformat()) == step


@given(timelines(), st.one_of(st.none(), days), days)
def test_a_timeline_marked_disputed_from_a_day_differs_only_in_the_mark_from_that_day_on(steps, since, day):
    key = day.isoformat()
    before = on(steps, key)
    marked = disputed_steps([list(s) for s in steps], since)
    after = on(marked, key)
    assert (after is None) == (before is None)
    if before is not None:
        assert after[1:-1] == before[1:-1]  # the same standing (a split step starts later: its valid_from is the mark's day)
        assert before[0] <= after[0] <= key
        assert after[-1] == int(since is not None and since <= day)
    assert len(marked) - len(steps) <= 1  # at most the step that holds the day is split


@given(timelines(), days)
def test_a_row_whose_last_step_is_not_its_steps_last_is_damaged(steps, day):
    last_from, last_step, blob = stored(steps)
    with pytest.raises(ValueError):
        step_on(last_from, orjson.dumps(steps[-1][:-1]), blob, day.isoformat())  # a field short
    if len(steps) > 1:
        with pytest.raises(ValueError):
            step_on(steps[0][0], last_step, blob, day.isoformat())  # last_from edited behind Amity's back
