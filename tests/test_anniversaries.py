"""Anniversaries at the precision of their source dates, and their iCalendar export."""

from __future__ import annotations

import json
import random
from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from amity.events.dates import add_years
import pytest

from tests.conftest import STORES, new_ledger
from amity.projections.anniversaries import MILESTONES, rows_for, year_window
from amity.projections.reader import Reader
from tests.props.strategies import PAIRS, lifecycle


def seed_rows(cli, store, *args):
    r = cli("anniversaries", *args, "--store", store, "--json")
    assert r.code == 0, r.err
    return json.loads(r.out)


def has(rows, a, b, years):
    return any(set(r["cities"]) == {a, b} and r["years"] == years for r in rows)


def test_seeds_2025_has_tashkent_15_in_2025_and_chennai_15_on_25_november(seed_ledger, store, cli):
    rows = seed_rows(cli, store, "--year", "2025")
    tashkent = next(r for r in rows if set(r["cities"]) == {"Seoul, KR", "Tashkent, UZ"})
    assert (tashkent["years"], tashkent["on"], tashkent["event"]) == (15, "2025", "RelationshipElevated")
    chennai = next(r for r in rows if set(r["cities"]) == {"Chennai, IN", "Kuala Lumpur, MY"})
    assert (chennai["years"], chennai["on"]) == (15, "2025-11-25")


def test_seeds_2026_has_tashkent_20_and_2034_has_ankara_50(seed_ledger, store, cli):
    assert has(seed_rows(cli, store, "--year", "2026"), "Seoul, KR", "Tashkent, UZ", 20)
    ankara = [r for r in seed_rows(cli, store, "--year", "2034") if "Ankara, TR" in r["cities"]]
    assert [(r["years"], r["on"]) for r in ankara] == [(50, "2034-02-01")]


def test_a_window_includes_month_and_year_precise_anniversaries_that_overlap_it(seed_ledger, store, cli):
    rows = seed_rows(cli, store, "--from", "2025-12-01", "--days", "31")
    tashkent = [r for r in rows if "Tashkent, UZ" in r["cities"]]
    assert tashkent and all(r["partial"] for r in tashkent)
    assert not has(rows, "Chennai, IN", "Kuala Lumpur, MY", 15)


def test_retracted_events_give_none_and_corrected_dates_move_them(seed_ledger, store, cli):
    sid, _ = seed_ledger.pair("Kuala Lumpur", "Chennai")
    mou = seed_ledger.stream(sid)[0]
    seed_ledger.correct(str(mou.id), {"date": "2011-03-01"}, {"title": "test"})
    assert not has(seed_rows(cli, store, "--year", "2025"), "Chennai, IN", "Kuala Lumpur, MY", 15)
    assert any(r["on"] == "2026-03-01" for r in seed_rows(cli, store, "--year", "2026") if "Chennai, IN" in r["cities"])
    seed_ledger.retract(str(mou.id), "test", {"title": "test"})
    assert not any("Chennai, IN" in r["cities"] for r in seed_rows(cli, store, "--year", "2026"))


def test_terminated_partnerships_are_left_out_unless_all(ledger, store, cli):
    base = {"cities": ["Kyoto, JP", "Paris, FR"], "source": {"title": "t"}}
    ledger.record({**base, "type": "MoUSigned", "date": "2000-05-05", "tier": "friendship"})
    ledger.record({**base, "type": "RelationshipTerminated", "date": "2010"})
    assert seed_rows(cli, store, "--year", "2025") == []
    assert [r["years"] for r in seed_rows(cli, store, "--year", "2025", "--all")] == [25]


def test_29_february_falls_on_28_february_in_a_common_year():
    rows = rows_for([{"event_id": "x", "type": "MoUSigned", "date": "2004-02-29", "cities": ["A", "B"], "source": {}}], (1, 4), *year_window(2005))
    assert [(r["years"], r["on"]) for r in rows] == [(1, "2005-02-28")]
    rows = rows_for([{"event_id": "x", "type": "MoUSigned", "date": "2004-02-29", "cities": ["A", "B"], "source": {}}], (4,), *year_window(2008))
    assert [r["on"] for r in rows] == ["2008-02-29"]


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2025, 12, 31)), st.sampled_from(MILESTONES))
def test_a_day_precise_anniversary_is_the_date_plus_m_years(d, m):
    rows = rows_for([{"event_id": "x", "type": "MoUSigned", "date": d.isoformat(), "cities": ["A", "B"], "source": {}}], (m,), *year_window(d.year + m))
    assert [r["on"] for r in rows] == [add_years(d, m).isoformat()]


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2025, 12, 31)), st.sampled_from(["year", "month", "day"]), st.integers(1950, 2130))
def test_year_y_returns_exactly_the_milestones_m_equal_to_y_minus_the_event_year(d, precision, y):
    text = {"year": f"{d.year}", "month": f"{d.year}-{d.month:02d}", "day": d.isoformat()}[precision]
    rows = rows_for([{"event_id": "x", "type": "MoUSigned", "date": text, "cities": ["A", "B"], "source": {}}], MILESTONES, *year_window(y))
    assert [r["years"] for r in rows] == ([y - d.year] if y - d.year in MILESTONES else [])
    assert all(r["precision"] == precision for r in rows)


@pytest.mark.parametrize("kind", STORES)
@settings(max_examples=6, deadline=None)
@given(history=lifecycle(PAIRS[0]), seed=st.integers(0, 2**32))
def test_anniversaries_do_not_depend_on_record_order(kind, history, seed):
    def run(order):
        ledger = new_ledger(kind)
        for f in order:
            try:
                ledger.record(f)
            except Exception:
                pass  # a temporary contradiction: the fact is completed with the rest below
        ledger.import_events(list(enumerate(order)))
        return [(r["cities"], r["years"], r["on"], r["event_id"]) for r in Reader(ledger).anniversaries(date(1950, 1, 1), date(2100, 12, 31), MILESTONES, True)]

    shuffled = list(history)
    random.Random(seed).shuffle(shuffled)
    assert run(history) == run(shuffled)


def test_the_ics_parses_back_with_stable_uids_and_the_expected_dates(seed_ledger, store, cli, tmp_path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    rows = seed_rows(cli, store, "--year", "2025", "--ics", str(first))
    seed_rows(cli, store, "--year", "2025", "--ics", str(second))
    cal = Calendar.from_ical(first.read_bytes())
    events = cal.walk("VEVENT")
    assert len(events) == len(rows) == 3
    by_summary = {str(e["SUMMARY"]): e for e in events}
    chennai = next(e for s, e in by_summary.items() if "Chennai" in s)
    assert chennai.decoded("DTSTART") == date(2025, 11, 25) and str(chennai["X-AMITY-PRECISION"]) == "day"
    tashkent = next(e for s, e in by_summary.items() if "Tashkent" in s)
    assert tashkent.decoded("DTSTART") == date(2025, 1, 1) and str(tashkent["X-AMITY-PRECISION"]) == "year"
    assert "RelationshipElevated of 2010" in str(tashkent["DESCRIPTION"]) and "Seoul Mayor Park" in str(tashkent["DESCRIPTION"])
    uids = sorted(str(e["UID"]) for e in events)
    assert uids == sorted(str(e["UID"]) for e in Calendar.from_ical(second.read_bytes()).walk("VEVENT"))
    assert len(set(uids)) == 3
    c40 = next(e for s, e in by_summary.items() if "C40" in s)  # a network's founding, marked as such
    assert "network founded" in str(c40["SUMMARY"]) and "network" in [str(c) for c in c40["CATEGORIES"].cats]
    assert c40.decoded("DTSTART") == date(2025, 10, 1) and str(c40["X-AMITY-PRECISION"]) == "month"


def test_a_month_precise_anniversary_spans_its_month_in_the_calendar():
    from amity.projections.calendar import to_ics

    rows = rows_for([{"event_id": "x", "type": "MoUSigned", "date": "1989-01", "cities": ["A", "B"], "source": {"title": "t"}}], (40,), *year_window(2029))
    ev = Calendar.from_ical(to_ics(rows)).walk("VEVENT")[0]
    assert ev.decoded("DTSTART") == date(2029, 1, 1) and ev.decoded("DTEND") == date(2029, 2, 1)


@pytest.mark.parametrize("today, suspended", [("2005-01-01", True), ("2026-11-23", False), ("2000-03-03", True), ("2000-03-02", False)])
def test_suspended_is_the_status_today_also_before_the_day_the_standing_by_every_fact_begins(ledger, monkeypatch, today, suspended):
    """The view keeps each partnership's standing by every fact (restored, from 2010-06-06): a day before it is
    answered from the partnership's timeline."""
    base = {"cities": ["Kyoto, JP", "Paris, FR"], "source": {"title": "t"}}
    ledger.record({**base, "type": "MoUSigned", "date": "1990-03-03", "tier": "friendship"})
    ledger.record({**base, "type": "RelationshipSuspended", "date": "2000-03-03"})
    ledger.record({**base, "type": "RelationshipRestored", "date": "2010-06-06"})
    monkeypatch.setenv("AMITY_TODAY", today)
    rows = Reader(ledger).anniversaries(date(2000, 3, 3), date(2000, 3, 3), (10,))
    assert [(r["event_date"], r["suspended"]) for r in rows] == [("1990-03-03", suspended)]


CITIES = ["Seoul, KR", "Tashkent, UZ", "Kuala Lumpur, MY", "Ankara, TR", "Tehran, IR", "Osaka, JP", "Paris, FR", "Kyoto, JP",
          "Chennai, IN", "Casablanca, MA", "Bishkek, KG", "Berlin, DE", "Madrid, ES", "Rome, IT", "Cairo, EG", "Lima, PE"]


@pytest.fixture(scope="module")
def dated_ledger():
    """120 MoUs dated on the edges a window's prefilter cuts at: the first and last days of months, 28 and 29 February
    of leap years, month-only and year-only dates."""
    from amity.ledger.app import Ledger

    from tests.conftest import new_store

    rng, ledger = random.Random(21), Ledger(new_store("sqlite"))
    pairs = [(a, b) for i, a in enumerate(CITIES) for b in CITIES[i + 1 :]][:120]
    edges = ["1996-02-29", "2000-02-29", "2016-02-29", "2020-02-29", "2004-02-29", "1976-02-28", "2015-12-31", "2016-01-01",
             "2000-11-30", "2016-03-01", "2000-02", "2016"]
    for (a, b), edge in zip(pairs, edges):
        ledger.record({"type": "MoUSigned", "cities": [a, b], "date": edge, "tier": "friendship", "source": {"title": "t"}})
    for a, b in pairs[len(edges) :]:
        year = rng.choice([1928, 1948, 1976, 1996, 2000, 2004, 2015, 2016, 2019, 2020])
        month = rng.randint(1, 12)
        day = rng.choice([1, 2, 15, 27, 28, 29, 30, 31]) if month != 2 else rng.choice([1, 27, 28, 29] if year % 4 == 0 else [1, 27, 28])
        day = min(day, 30) if month in (4, 6, 9, 11) else day
        text = rng.choice([f"{year}-{month:02d}-{day:02d}"] * 4 + [f"{year}-{month:02d}", f"{year}"])
        ledger.record({"type": "MoUSigned", "cities": [a, b], "date": text, "tier": "friendship", "source": {"title": "t"}})
    Reader(ledger).catch_up()
    yield ledger
    ledger.close()


@settings(max_examples=150, deadline=None)
@given(start=st.dates(min_value=date(2023, 1, 1), max_value=date(2029, 12, 31)), days=st.integers(1, 400))
@example(start=date(2025, 2, 1), days=28)  # ends on 28 February of a common year: a 29 February falls on it
@example(start=date(2026, 2, 28), days=1)
@example(start=date(2028, 2, 29), days=1)
@example(start=date(2025, 11, 30), days=40)  # across the new year
@example(start=date(2026, 6, 15), days=1)
def test_the_views_prefilter_by_month_and_day_keeps_every_event_a_window_has_an_anniversary_of(dated_ledger, start, days):
    """The fast path (candidates read by year, month and day) equals the slow path (every event of the candidate
    years, each date tried)."""
    from amity.projections import anniversaries as ann
    from amity.projections.anniversaryview import events_in

    view, (first, last) = Reader(dated_ledger).view, ann.day_window(start, days)
    window = ann.Window(MILESTONES, first, last)
    years, keep = ann.candidate_years(first, last, MILESTONES), (lambda text: bool(window.of(text)))
    fast = events_in(view, years, True, keep=keep, months=window.months(), bounds=window.bounds())
    slow = events_in(view, years, True, keep=keep)
    assert sorted(e["event_id"] for e in fast) == sorted(e["event_id"] for e in slow)
    if (start, days) == (date(2025, 2, 1), 28):  # the 25th of 2000-02-29 falls on 2025-02-28
        assert "2000-02-29" in {e["date"] for e in fast}
