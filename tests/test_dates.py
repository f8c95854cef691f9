"""Partial dates keep their precision, reject impossible days and order consistently with the calendar."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amity.events.dates import PartialDate


@st.composite
def partial_dates(draw):
    day = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    return {"year": PartialDate(day.year), "month": PartialDate(day.year, day.month), "day": PartialDate.of(day)}[precision]


@given(partial_dates())
def test_printing_a_parsed_date_gives_back_the_same_text(d):
    assert str(PartialDate.parse(str(d))) == str(d)
    assert PartialDate.parse(str(d)) == d


@pytest.mark.parametrize("text", ["2025-02-30", "2023-02-29", "2025-13", "2025-00", "25", "2025-1-1", "2025/01/01", ""])
def test_impossible_or_malformed_dates_are_rejected(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_leap_day_exists_only_in_leap_years():
    assert str(PartialDate.parse("2024-02-29")) == "2024-02-29"


@given(partial_dates(), partial_dates(), partial_dates())
def test_ordering_is_a_total_preorder(a, b, c):
    assert a <= b or b <= a
    if a <= b and b <= c:
        assert a <= c


@given(partial_dates(), partial_dates())
def test_ordering_agrees_with_the_calendar(a, b):
    if a.latest() < b.earliest():
        assert a < b
    if a.precision == b.precision == "day":
        assert (a < b) == (a.earliest() < b.earliest())


@given(partial_dates())
def test_a_date_spans_from_its_earliest_to_its_latest_day(d):
    assert d.earliest() <= d.latest()
    assert d.covers(d.earliest()) and d.covers(d.latest())
    assert not d.covers(d.latest() + timedelta(days=1))


def test_a_more_precise_date_starting_the_same_day_sorts_first():
    assert PartialDate.parse("2010-01-01") < PartialDate.parse("2010-01") < PartialDate.parse("2010")
    assert PartialDate.parse("2010") < PartialDate.parse("2010-02")
