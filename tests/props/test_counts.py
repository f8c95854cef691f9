"""`amity check`'s "on file" is the number of `status --as-of` rows of the place at that tier, active or suspended."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from amity.projections.counts import check_rows
from amity.projections.reader import Reader
from amity.projections.status import status_row
from tests.conftest import new_ledger
from tests.props.strategies import lifecycle

PLACE = "Seoul, KR"
OTHERS = [(PLACE, "Tashkent, UZ"), (PLACE, "Tehran, IR"), (PLACE, "Bishkek, KG"), (PLACE, "Kuala Lumpur, MY")]
TIERS = ("cooperation", "friendship", "sister", "twin")


def by_hand(ledger, day: date, tier: str) -> int:
    """Counted from each partnership's own fold (not the views): rows active or suspended at the tier."""
    n = 0
    for pair in OTHERS:
        stream, _ = ledger.pair(*pair)
        row = status_row(ledger.stream(stream), on=day)
        if row and row["status"] in ("active", "suspended") and (row["tier"] == tier or {row["tier"], tier} == {"sister", "twin"}):
            n += 1
    return n


def check_on_file(histories, when, counts, kind):
    ledger = new_ledger(kind)
    ledger.import_events(list(enumerate(f for h in histories for f in h)))
    ledger.record({"type": "CountAsserted", "place": "Seoul", "date": when, "counts": counts, "source": {"title": "generated"}})
    rows = check_rows(Reader(ledger))
    assert sorted(r["tier"] for r in rows) == sorted(counts)
    for r in rows:
        day = date.fromisoformat(r["as_of"])
        assert r["on_file"] == by_hand(ledger, day, r["tier"]) == len(
            [s for s in Reader(ledger).status(place=PLACE, as_of=day) if s["status"] in ("active", "suspended")
             and (s["tier"] == r["tier"] or {s["tier"], r["tier"]} == {"sister", "twin"})])
        assert r["missing"] == counts[r["tier"]] - r["on_file"] and r["holds"] == (r["missing"] == 0)


HISTORIES = st.tuples(*(lifecycle(pair) for pair in OTHERS))
WHEN = st.sampled_from(["1960", "1975-06", "1990-12-31", "2005", "2026-11-23"])
COUNTS = st.dictionaries(st.sampled_from(TIERS), st.integers(0, 4), min_size=1)


@settings(max_examples=12, deadline=None)
@given(HISTORIES, WHEN, COUNTS)
def test_check_on_file_equals_counting_status_as_of_rows_sqlite(histories, when, counts):
    check_on_file(histories, when, counts, "sqlite")


@settings(max_examples=3, deadline=None)
@given(HISTORIES, WHEN, COUNTS)
def test_check_on_file_equals_counting_status_as_of_rows_postgresql(histories, when, counts):
    check_on_file(histories, when, counts, "postgresql")
