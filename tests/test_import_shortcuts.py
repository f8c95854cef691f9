"""The import's shortcuts give what the rules they stand for give (issue #21, item 4).

``amendments.effective_and_notices`` amends and compares a stream's facts once for the rule check, the views
and the corroboration notices: it must equal ``effective`` and ``corroboration.notices`` computed apart, for
any stream (corrections, retractions, disputes and resolutions, facts from several sources) and any start.
``wire._may_hold_nul`` is the quick scan before the field-by-field NUL search: it may never clear a value
that holds a NUL. (That a whole file imports to the same stored events, chain, digest and views as before:
``bench/same_import.py --baseline …``.)
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from amity.events.wire import _may_hold_nul, _nul_in
from amity.ledger import amendments, corroboration
from tests.test_claims_and_corroboration import dispute, facts, mou, resolve

DATES = st.sampled_from(["2010", "2010-11", "2010-11-25", "2010-11-26", "2011", "2010-12"])
TIERS = st.sampled_from(["friendship", "sister"])


@st.composite
def streams(draw):
    """A partnership's records: MoUs from several sources, then amendments pointing at earlier records."""
    base = facts(*[mou(when, tier, source={"title": f"source {i % 3}"}) for i, (when, tier) in
                   enumerate(draw(st.lists(st.tuples(DATES, TIERS), min_size=1, max_size=6)))])
    records = list(base)
    for kind, pick, value in draw(st.lists(st.tuples(st.sampled_from(["correct", "retract", "dispute", "resolve"]),
                                                     st.integers(0, 50), TIERS), max_size=5)):
        target = records[pick % len(records)]
        if kind == "correct":
            new = {"type": "EventCorrected", "target": str(target.id), "changes": {"tier": value}}
        elif kind == "retract":
            new = {"type": "EventRetracted", "target": str(target.id), "reason": "wrong"}
        elif kind == "dispute":
            new = dispute(target.id, value=value)
        else:
            claims = [r for r in records if r.type == "ClaimDisputed"]
            if not claims:
                continue
            new = resolve(claims[pick % len(claims)].id, "disputed" if value == "sister" else "original")
        if new["type"].startswith("Event"):
            new["source"] = {"title": "desk"}
        records += facts(new)
    return records


@given(streams(), st.integers(0, 12), st.booleans())
def test_effective_and_notices_equal_effective_and_notices_apart(records, start, pass_amended):
    start = min(start, len(records))
    amended = amendments.amend(records) if pass_amended else None
    got = amendments.effective_and_notices(records, start, amended)
    assert got == (amendments.effective(records), corroboration.notices(records, start))


def test_a_network_stream_takes_the_long_way_with_the_same_answer():
    from amity.events.wire import parse_fact

    records = [parse_fact({"type": "NetworkRegistered", "network": "Generated Network", "short": "GN", "id": "596be044-7df6-5ab8-9064-57a1cb363b5c",
                           "recorded_at": "2026-01-01T00:00:00Z", "source": {"title": "t"}})]
    assert amendments.effective_and_notices(records, 0) == (amendments.effective(records), corroboration.notices(records, 0))


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=6),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=12)


@given(JSON)
def test_the_quick_nul_scan_never_clears_a_value_holding_a_nul(value):
    if _nul_in(value) is not None:
        assert _may_hold_nul(value)
