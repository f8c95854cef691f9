"""A network's roll, rule by rule, without storage: each valid case folds, each contradiction is named in one
line; as-of semantics of joined and listed members."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, strategies as st

from amity.events.wire import parse_fact
from amity.ledger.errors import FutureDate, RuleViolation
from amity.ledger import membership

NET = "C40 Cities Climate Leadership Group"
SRC = {"title": "test fixture"}
TODAY = date(2026, 11, 23)


def f(kind: str, when: str | None = None, **fields):
    value = {"type": kind, "network": NET, "source": SRC, **fields}
    if when is not None:
        value["date"] = when
    return parse_fact(value)


def joined(m, when):
    return f("MembershipJoined", when, member=m)


def listed(m, when):
    return f("MembershipListed", when, member=m)


def left(m, when):
    return f("MembershipLeft", when, member=m)


def role(m, when, name="president", **more):
    return f("NetworkRoleHeld", when, member=m, role=name, **more)


REG = f("NetworkRegistered", short="C40", founded="2005-10")


def positions(facts):
    return list(enumerate(facts))


VALID = [
    ("joins after founding", [REG, joined("Seoul, KR", "2006")]),
    ("listed only", [REG, listed("Kuala Lumpur, MY", "2025")]),
    ("listed, then the earlier joining found", [REG, listed("Seoul, KR", "2025"), joined("Seoul, KR", "2006")]),
    ("joins, leaves, joins again", [REG, joined("Seoul, KR", "2006"), left("Seoul, KR", "2010"), joined("Seoul, KR", "2012")]),
    ("a role for a listed member", [REG, listed("Seoul, KR", "2025"), role("Seoul, KR", "2025")]),
    ("a role for a joined member, ended", [REG, joined("Seoul, KR", "2006"), role("Seoul, KR", "2008", until="2010")]),
    ("a listing that may fall after the joining", [REG, listed("Seoul, KR", "2013"), joined("Seoul, KR", "2013-05")]),
    ("a meeting ahead", [REG, f("NetworkMeetingHeld", "2027-05-01", host="Seoul, KR", meeting="summit-2027")]),
    ("no registration date", [f("NetworkRegistered", short="C40"), joined("Seoul, KR", "1990")]),
]

REJECTED = [
    ("joining while a member", [REG, joined("Seoul, KR", "2006")], joined("Seoul, KR", "2010"), "already a member", "MembershipJoined of 2006"),
    ("joining after being listed", [REG, listed("Seoul, KR", "2008")], joined("Seoul, KR", "2010"), "listed as a member earlier", "MembershipListed of 2008"),
    ("leaving twice", [REG, joined("Seoul, KR", "2006"), left("Seoul, KR", "2010")], left("Seoul, KR", "2012"), "cannot leave twice", "MembershipLeft of 2010"),
    ("leaving without joining", [REG], left("Seoul, KR", "2012"), "is not a member by then", "Seoul, KR in C40"),
    ("a role for a non-member", [REG], role("Surabaya, ID", "2025"), "not a member then", "'president'"),
    ("a role after leaving", [REG, joined("Seoul, KR", "2006"), left("Seoul, KR", "2010")], role("Seoul, KR", "2012"), "it left", "MembershipLeft of 2010"),
    ("a role ending before it starts", [REG, joined("Seoul, KR", "2006")], role("Seoul, KR", "2012", until="2010"), "before it starts", "2012"),
    ("joining before the founding", [REG], joined("Seoul, KR", "2001"), "before", "founded (2005-10"),
    ("registering twice", [REG], f("NetworkRegistered", "2006", short="C40"), "already registered", "NetworkRegistered of 2005-10"),
]


@pytest.mark.parametrize("name,facts", VALID, ids=[v[0] for v in VALID])
def test_valid_case_folds(name, facts):
    roll = membership.validate(positions(facts), TODAY)
    assert roll.events == len(facts)


@pytest.mark.parametrize("name,on_file,new,message,names", REJECTED, ids=[r[0] for r in REJECTED])
def test_contradiction_is_named_in_one_line(name, on_file, new, message, names):
    facts = positions(on_file + [new])
    with pytest.raises(RuleViolation) as err:
        membership.validate(facts, TODAY, new={len(on_file)})
    text = str(err.value)
    assert message in text and names in text and "\n" not in text


@pytest.mark.parametrize("name,on_file,new,message,names", REJECTED, ids=[r[0] for r in REJECTED])
def test_contradiction_is_found_whatever_the_record_order(name, on_file, new, message, names):
    facts = positions([new] + on_file)
    with pytest.raises(RuleViolation):
        membership.validate(facts, TODAY)


def test_a_fact_after_today_is_refused_but_a_meeting_is_not():
    with pytest.raises(FutureDate):
        membership.validate(positions([REG, joined("Seoul, KR", "2027")]), TODAY)
    membership.validate(positions([REG, f("NetworkMeetingHeld", "2027", host="Seoul, KR")]), TODAY)


def test_a_member_listed_only_in_2025_is_not_a_member_as_of_2000():
    facts = positions([REG, listed("Kuala Lumpur, MY", "2025"), joined("Seoul, KR", "2006")])
    assert "Kuala Lumpur, MY" not in membership.roll_of(facts, date(2000, 1, 1)).members
    on = membership.roll_of(facts, date(2025, 12, 31)).members["Kuala Lumpur, MY"]
    assert (on.state, str(on.since)) == ("listed", "2025")


def test_a_member_is_not_a_member_after_leaving():
    facts = positions([REG, joined("Seoul, KR", "2006"), left("Seoul, KR", "2010-03")])
    assert membership.roll_of(facts, date(2009, 1, 1)).members["Seoul, KR"].is_member
    assert not membership.roll_of(facts, date(2010, 4, 1)).members["Seoul, KR"].is_member


def test_joining_turns_a_listed_member_into_a_joined_one():
    facts = positions([REG, listed("Seoul, KR", "2025"), joined("Seoul, KR", "2006")])
    s = membership.roll_of(facts).members["Seoul, KR"]
    assert (s.state, str(s.since)) == ("joined", "2006")


def test_the_registration_date_defaults_to_the_founding():
    assert str(REG.date) == "2005-10"


MEMBERS = ["Seoul, KR", "Tokyo, JP"]
step = st.tuples(st.sampled_from(["MembershipJoined", "MembershipListed", "MembershipLeft", "NetworkRoleHeld"]),
                 st.sampled_from(MEMBERS), st.integers(2006, 2020))


@given(st.lists(step, max_size=8), st.randoms(use_true_random=False))
def test_record_order_never_changes_the_verdict_or_the_roll(steps, rnd):
    facts = [REG] + [f(k, str(y), member=m, **({"role": "chair"} if k == "NetworkRoleHeld" else {})) for k, m, y in steps]
    shuffled = list(enumerate(facts))
    rnd.shuffle(shuffled)

    def verdict(items):
        try:
            r = membership.validate(items, TODAY)
        except RuleViolation as exc:
            return str(exc)
        return {m: (s.state, str(s.since)) for m, s in r.members.items()}

    assert verdict(list(enumerate(facts))) == verdict(shuffled) or all(isinstance(v, str) for v in (verdict(list(enumerate(facts))), verdict(shuffled)))
