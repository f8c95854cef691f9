"""A timeline's step on a day: reading the last step alone (today's question) equals bisecting every step."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

import orjson
from hypothesis import given, strategies as st

from amity.projections.timeline import STEP_FIELDS, step_on

days = st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31))
statuses = st.sampled_from(["none", "proposed", "approved", "intent", "active", "suspended", "terminated"])
tiers = st.one_of(st.none(), st.sampled_from(["cooperation", "friendship", "sister", "twin", "business_partner"]))


@st.composite
def timelines(draw) -> list[list]:
    starts = sorted(set(draw(st.lists(days, min_size=1, max_size=12))))
    return [[d.isoformat(), draw(statuses), draw(tiers), draw(st.one_of(st.none(), days.map(date.isoformat))), None,
             draw(st.integers(0, 1)), draw(st.one_of(st.none(), st.just(d.isoformat()[:7]))), i + 1, draw(st.integers(0, 1))]
            for i, d in enumerate(starts)]


@given(timelines(), days)
def test_the_step_on_a_day_is_the_last_one_started_by_then(steps, day):
    key = day.isoformat()
    i = bisect_right([s[0] for s in steps], key) - 1
    assert step_on(orjson.dumps(steps), key) == (steps[i] if i >= 0 else None)
    assert len(steps[0]) == len(STEP_FIELDS)


@given(timelines())
def test_the_first_and_the_last_day_of_a_step_find_it(steps):
    blob = orjson.dumps(steps)
    for i, step in enumerate(steps):
        assert step_on(blob, step[0]) == step
        end = date.fromisoformat(steps[i + 1][0]) - timedelta(days=1) if i + 1 < len(steps) else date(9999, 12, 31)
        assert step_on(blob, end.isoformat()) == step
