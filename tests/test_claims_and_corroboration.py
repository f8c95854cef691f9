"""The rules of disputes (ledger/claims.py) and corroboration (ledger/corroboration.py), over facts, with no storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from amity.events.wire import parse_fact, to_wire
from amity.ledger import amendments
from amity.ledger.corroboration import corroborations, holds, standing

PAIR = ["Kyoto, JP", "Paris, FR"]
START = datetime(2026, 1, 1, tzinfo=UTC)


def facts(*values: dict) -> list:
    """Facts as the ledger stores them: ids, record times in order, places as given."""
    out = []
    for i, v in enumerate(values):
        out.append(parse_fact({"id": v.pop("id", None) or str(uuid4()), "recorded_at": (START + timedelta(minutes=i)).isoformat(),
                               "source": v.pop("source", {"title": f"source {i}"}), **v}))
    return out


def mou(when="2010-11-25", tier="friendship", **extra) -> dict:
    return {"type": "MoUSigned", "cities": PAIR, "date": when, "tier": tier, **extra}


def dispute(target, field="tier", value="sister", **extra) -> dict:
    return {"type": "ClaimDisputed", "cities": PAIR, "date": "2010", "target": str(target), "field": field, "value": value, **extra}


def resolve(claim, accepted, **extra) -> dict:
    return {"type": "DisputeResolved", "cities": PAIR, "date": "2011", "target": str(claim), "accepted": accepted, **extra}


def current_tiers(records) -> list[str]:
    return [f.tier for _, f in amendments.effective(records)]


# ---- disputes ---------------------------------------------------------------------------------

def test_the_target_keeps_its_own_value_while_the_dispute_is_open():
    base = facts(mou())
    records = base + facts(dispute(base[0].id))
    assert current_tiers(records) == ["friendship"]
    (item,) = amendments.amend(records)
    assert item.disputed and item.disputes[0].open


def test_a_resolution_accepting_the_disputed_value_makes_it_count_and_closes_the_dispute():
    base = facts(mou())
    claim = facts(dispute(base[0].id))
    records = base + claim + facts(resolve(claim[0].id, "disputed"))
    assert current_tiers(records) == ["sister"]
    assert not amendments.amend(records)[0].disputed


def test_a_resolution_keeping_the_original_closes_the_dispute_and_changes_nothing():
    base = facts(mou())
    claim = facts(dispute(base[0].id))
    records = base + claim + facts(resolve(claim[0].id, "original"))
    assert current_tiers(records) == ["friendship"] and not amendments.amend(records)[0].disputed


def test_the_resolution_recorded_last_decides():
    base = facts(mou())
    claim = facts(dispute(base[0].id))
    records = base + claim + facts(resolve(claim[0].id, "disputed"), resolve(claim[0].id, "original", note="on second thought"))
    assert current_tiers(records) == ["friendship"]


def test_retracting_the_resolution_reopens_the_dispute_and_retracting_the_dispute_ends_it():
    base = facts(mou())
    claim = facts(dispute(base[0].id))
    res = facts(resolve(claim[0].id, "disputed"))
    undo = facts({"type": "EventRetracted", "cities": PAIR, "target": str(res[0].id), "reason": "premature"})
    reopened = base + claim + res + undo
    assert current_tiers(reopened) == ["friendship"] and amendments.amend(reopened)[0].disputed
    ended = reopened + facts({"type": "EventRetracted", "cities": PAIR, "target": str(claim[0].id), "reason": "caption typo"})
    assert not amendments.amend(ended)[0].disputed and amendments.amend(ended)[0].disputes == []


def test_a_corrected_resolution_counts_as_corrected():
    base = facts(mou())
    claim = facts(dispute(base[0].id))
    res = facts(resolve(claim[0].id, "original"))
    fix = facts({"type": "EventCorrected", "cities": PAIR, "target": str(res[0].id), "changes": {"accepted": "disputed"}})
    assert current_tiers(base + claim + res + fix) == ["sister"]


FIELDS = st.sampled_from([("tier", "sister"), ("tier", "cooperation"), ("date", "2010-11"), ("date", "2009-02-03"),
                          ("instrument", "agreement"), ("note", "as the caption says")])


@given(FIELDS, st.integers(0, 2), st.booleans())
def test_a_resolution_accepting_the_disputed_value_equals_a_correction_to_it(change, later_corrections, retract_first):
    """Whatever else is on file, resolving for the disputed value gives exactly the facts a correction gives."""
    field, value = change
    base = facts(mou(), mou("2015", "sister", instrument="agreement"))
    target = base[int(retract_first)].id
    before = facts(*[{"type": "EventCorrected", "cities": PAIR, "target": str(base[1].id), "changes": {"note": f"n{i}"}}
                     for i in range(later_corrections)])
    claim = facts(dispute(target, field, value))
    by_resolution = base + before + claim + facts(resolve(claim[0].id, "disputed"))
    by_correction = base + before + claim + facts({"type": "EventCorrected", "cities": PAIR, "target": str(target), "changes": {field: value}})
    assert [(p, to_wire(f)) for p, f in amendments.effective(by_resolution)] == \
           [(p, to_wire(f)) for p, f in amendments.effective(by_correction)]


# ---- corroboration ------------------------------------------------------------------------------

def test_the_same_fact_from_another_source_counts_once():
    records = facts(mou(), mou(source={"title": "another page"}, note="also reported", place="Paris, FR"))
    assert [p for p, _ in amendments.effective(records)] == [0]
    assert corroborations(list(enumerate(records))) == {1: 0}


def test_the_more_precise_date_stands_and_the_other_corroborates_it():
    records = facts(mou("2010"), mou("2010-11"), mou("2010-11-25"))
    assert corroborations(list(enumerate(records))) == {0: 2, 1: 2}
    assert [str(f.date) for _, f in amendments.effective(records)] == ["2010-11-25"]


def test_facts_with_other_fields_or_dates_that_do_not_nest_are_not_the_same_fact():
    records = facts(mou("2010-11-25"), mou("2010-11-25", tier="sister"), mou("2010-05"), mou("2011"))
    assert corroborations(list(enumerate(records))) == {}


def test_retracting_the_standing_fact_lets_its_corroboration_stand():
    base = facts(mou("2010-11-25"), mou("2010"))
    records = base + facts({"type": "EventRetracted", "cities": PAIR, "target": str(base[0].id), "reason": "wrong page"})
    assert [(p, str(f.date)) for p, f in amendments.effective(records)] == [(1, "2010")]


DATES = st.sampled_from(["2010", "2010-11", "2010-11-25", "2010-11-26", "2010-05", "2011", "2010-05-01"])


@given(st.lists(st.tuples(DATES, st.sampled_from(["friendship", "sister"])), min_size=1, max_size=7))
def test_every_corroboration_points_at_a_standing_fact_it_holds_and_no_two_standing_facts_nest(items):
    records = facts(*[mou(when, tier) for when, tier in items])
    found = corroborations(list(enumerate(records)))
    kept = standing(list(enumerate(records)))
    kept_positions = {p for p, _ in kept}
    for position, held in found.items():
        assert held in kept_positions and records[position].tier == records[held].tier
        assert holds(records[position].date, records[held].date)
    for i, (p, a) in enumerate(kept):
        for q, b in kept[i + 1:]:
            assert a.tier != b.tier or not (holds(a.date, b.date) or holds(b.date, a.date))
    assert len(kept) + len(found) == len(records)
