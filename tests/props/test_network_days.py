"""`amity networks` from the views' row by day equals the fold of the network's facts on every day.

``networkdays.day_row`` folds a network's facts once and keeps its member count as steps of the day;
``networks.document`` folds the facts visible on one day. Any facts, consistent or not (the read-side fold is
total), at any precision, undated registrations included: on every day where something changes, the day
before it, and far before and after, the two give the same row (or both none).
"""

from __future__ import annotations

from datetime import date, timedelta

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from amity.events.wire import parse_fact
from amity.projections import networkdays, networks

SRC = {"title": "generated"}
MEMBERS = ["Kyoto, JP", "Paris, FR", "Seoul, KR", "Tashkent, UZ"]


@st.composite
def partial_dates(draw) -> str:
    day = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2026, 11, 23)))
    return day.isoformat()[: draw(st.sampled_from([4, 7, 10]))]


@st.composite
def network_facts(draw) -> list[tuple[int, object]]:
    """Facts of one network as amended: (record position, fact), in any order."""
    out = []
    for _ in range(draw(st.integers(0, 2))):  # registrations: dated, founded only, or neither
        reg = {"type": "NetworkRegistered", "network": "Generated Cities Network", "short": "GCN", "source": SRC,
               "secretariat": draw(st.one_of(st.none(), st.sampled_from(MEMBERS))), "scope": draw(st.one_of(st.none(), st.just("global")))}
        when = draw(st.sampled_from(["date", "founded", None]))
        if when:
            reg[when] = draw(partial_dates())
        out.append(reg)
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.sampled_from(["MembershipJoined", "MembershipListed", "MembershipLeft", "NetworkRoleHeld", "NetworkMeetingHeld"]))
        fact = {"type": kind, "network": "GCN", "date": draw(partial_dates()), "source": SRC}
        if kind == "NetworkMeetingHeld":
            fact["host"] = draw(st.sampled_from(MEMBERS))
        else:
            fact["member"] = draw(st.sampled_from(MEMBERS))
        if kind == "NetworkRoleHeld":
            fact["role"] = "chair"
        out.append(fact)
    facts = [parse_fact(f) for f in draw(st.permutations(out))]
    return list(enumerate(facts))


def days_to_ask(facts) -> list[date]:
    days = {date(1900, 1, 1), date(2030, 1, 1)}
    for _, f in facts:
        for d in (f.date, getattr(f, "founded", None)):
            if d is not None:
                days |= {d.earliest(), d.earliest() - timedelta(days=1), d.latest(), d.latest() + timedelta(days=1)}
    return sorted(days)


@settings(max_examples=300, deadline=None)
@given(network_facts())
def test_the_row_by_day_is_the_fold_of_the_facts_visible_that_day(facts):
    if not facts:
        return
    _, text = networkdays.day_row("s", facts)
    for day in days_to_ask(facts):
        doc = networks.document(facts, day)
        assert networkdays.summary_on(orjson.loads(text), day) == (networks.summary(doc) if doc is not None else None), day
