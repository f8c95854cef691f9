"""The timeline's geometry: status bands from the status projection's step function, marks over whole periods."""

from __future__ import annotations

from datetime import date

import pytest

from amity.projections.history import history_rows
from amity.web.timeline import HEIGHT, LEFT, RIGHT, WIDTH, timeline
from tests.conftest import new_ledger

SOURCE = {"title": "city council minutes"}


def a_tie_that_was_suspended_restored_and_terminated():
    ledger = new_ledger("sqlite")
    for type_, day, extra in [("MoUSigned", "2000-05-10", {"tier": "sister", "instrument": "mou"}),
                              ("RelationshipSuspended", "2005-03", {}),
                              ("RelationshipRestored", "2008-06-01", {}),
                              ("RelationshipTerminated", "2012", {})]:
        ledger.record({"type": type_, "cities": ["Lyon, FR", "Porto, PT"], "date": day, "source": SOURCE, **extra})
    return ledger.stream(ledger.pair("Lyon", "Porto")[0])


def test_bands_follow_the_lifecycle_and_a_partial_date_is_drawn_lighter_over_its_period():
    records = a_tie_that_was_suspended_restored_and_terminated()
    t = timeline(records, history_rows(records), date(2026, 11, 23))
    assert [(b.status, b.tier, str(b.start), str(b.end), b.uncertain) for b in t.bands] == [
        ("active", "sister", "2000-05-10", "2005-03-01", False),
        ("suspended", "sister", "2005-03-01", "2005-03-31", True),
        ("suspended", "sister", "2005-03-31", "2008-06-01", False),
        ("active", "sister", "2008-06-01", "2012-01-01", False),
        ("terminated", "sister", "2012-01-01", "2012-12-31", True),
        ("terminated", "sister", "2012-12-31", "None", False),
    ]
    assert all(LEFT <= b.x and b.x + b.w <= WIDTH - RIGHT + 0.01 for b in t.bands)
    assert t.bands[-1].x + t.bands[-1].w == WIDTH - RIGHT  # the last status runs to the end of the picture


def test_marks_cover_their_whole_period_and_the_axis_has_readable_years():
    records = a_tie_that_was_suspended_restored_and_terminated()
    t = timeline(records, history_rows(records), date(2026, 11, 23))
    widths = {m.date: m.w for m in t.marks}
    year = widths["2012"]
    assert widths["2005-03"] == pytest.approx(year * 31 / 366, rel=0.05)
    assert widths["2000-05-10"] == 2  # a day is a thin line
    assert [y for _, y in t.ticks] == list(range(2000, 2028, 5)) and len(t.ticks) <= 12
    assert t.day_x is not None and t.height == HEIGHT


def test_a_partnership_with_nothing_on_file_has_no_picture():
    assert timeline([], [], date(2026, 11, 23)).bands == []
