"""The lifecycle fold on its own: every row of the lifecycle table (README, docs/format.md), no store.

Facts are built from their wire form and folded with ``ledger/lifecycle.py`` alone, in valid-time order
whatever order they are given in (both record orders are tried).
"""

from __future__ import annotations

from datetime import date

import pytest

from amity.events.wire import parse_fact
from amity.ledger import lifecycle
from amity.ledger.errors import RuleViolation

TODAY = date(2026, 11, 23)
SOURCE = {"title": "a unit test"}


def fact(kind: str, day: str, **fields):
    return parse_fact({"type": kind, "cities": ["Seoul, KR", "Tashkent, UZ"], "date": day, "source": SOURCE, **fields})


def fold(*facts):
    """The standing after ``facts`` (checked), given in this order and in the reverse order: both must agree."""
    forward = lifecycle.validate(list(enumerate(facts)), TODAY)
    backward = lifecycle.validate(list(enumerate(reversed(facts))), TODAY)
    assert (forward.status, forward.tier, forward.events) == (backward.status, backward.tier, backward.events)
    return forward


def refused(*facts) -> str:
    for order in (facts, tuple(reversed(facts))):
        with pytest.raises(RuleViolation) as info:
            lifecycle.validate(list(enumerate(order)), TODAY)
    return str(info.value)


@pytest.mark.parametrize("kind, status", [("PartnershipProposed", "proposed"), ("ProposalApproved", "approved"),
                                          ("LetterOfIntentSigned", "intent")])
def test_early_steps_move_forward(kind, status):
    assert fold(fact(kind, "1990")).status == status


def test_early_steps_never_move_an_active_tie_back():
    s = fold(fact("MoUSigned", "1990", tier="friendship"), fact("PartnershipProposed", "1995"))
    assert (s.status, s.tier) == ("active", "friendship")


def test_an_mou_makes_the_tie_active_at_its_tier():
    s = fold(fact("PartnershipProposed", "1988"), fact("MoUSigned", "1990", tier="friendship"))
    assert (s.status, s.tier, s.events) == ("active", "friendship", 2)


def test_an_mou_at_a_higher_tier_while_active_acts_as_an_elevation():
    s = fold(fact("MoUSigned", "1990", tier="friendship"), fact("MoUSigned", "2000", tier="sister"))
    assert (s.status, s.tier) == ("active", "sister")


@pytest.mark.parametrize("ending", ["RelationshipSuspended", "RelationshipTerminated"])
def test_an_mou_while_suspended_or_terminated_re_establishes_the_tie(ending):
    s = fold(fact("MoUSigned", "1990", tier="sister"), fact(ending, "1995"), fact("MoUSigned", "2000", tier="sister"))
    assert (s.status, s.tier) == ("active", "sister")


@pytest.mark.parametrize("ending", [None, "RelationshipSuspended"])
def test_an_mou_below_the_tier_of_an_active_or_suspended_tie_is_refused(ending):
    facts = [fact("MoUSigned", "1990", tier="sister")] + ([fact(ending, "1995")] if ending else [])
    assert "tier" in refused(*facts, fact("MoUSigned", "2000", tier="friendship"))


def test_an_elevation_raises_the_tier():
    s = fold(fact("MoUSigned", "1990", tier="friendship"), fact("RelationshipElevated", "2000", to_tier="sister"))
    assert (s.status, s.tier) == ("active", "sister")


def test_an_elevation_that_does_not_raise_the_tier_is_refused():
    refused(fact("MoUSigned", "1990", tier="sister"), fact("RelationshipElevated", "2000", to_tier="friendship"))


def test_an_elevation_of_a_terminated_tie_is_refused():
    refused(fact("MoUSigned", "1990", tier="friendship"), fact("RelationshipTerminated", "1995"),
            fact("RelationshipElevated", "2000", to_tier="sister"))


def test_a_suspension_suspends():
    assert fold(fact("MoUSigned", "1990", tier="sister"), fact("RelationshipSuspended", "1995")).status == "suspended"


@pytest.mark.parametrize("before", ["RelationshipSuspended", "RelationshipTerminated"])
def test_a_suspension_of_a_suspended_or_terminated_tie_is_refused(before):
    refused(fact("MoUSigned", "1990", tier="sister"), fact(before, "1995"), fact("RelationshipSuspended", "2000"))


def test_a_restoration_after_a_suspension_makes_the_tie_active_again():
    s = fold(fact("MoUSigned", "1970", tier="sister"), fact("RelationshipSuspended", "1979"), fact("RelationshipRestored", "1991"))
    assert (s.status, s.tier) == ("active", "sister")


def test_a_restoration_after_a_lull_of_five_years_is_accepted():
    assert fold(fact("MoUSigned", "1970", tier="sister"), fact("RelationshipRestored", "1991")).status == "active"


def test_a_restoration_of_an_active_tie_with_recent_activity_is_refused():
    refused(fact("MoUSigned", "1990-01-01", tier="sister"), fact("RelationshipRestored", "1992-01-01"))


def test_a_restoration_of_a_terminated_tie_is_refused():
    refused(fact("MoUSigned", "1970", tier="sister"), fact("RelationshipTerminated", "1980"), fact("RelationshipRestored", "1991"))


def test_a_termination_terminates_and_a_second_is_refused():
    assert fold(fact("MoUSigned", "1990", tier="sister"), fact("RelationshipTerminated", "2000")).status == "terminated"
    refused(fact("MoUSigned", "1990", tier="sister"), fact("RelationshipTerminated", "2000"), fact("RelationshipTerminated", "2005"))


@pytest.mark.parametrize("activity", [("CommemorationHeld", {}), ("VisitStarted", {}), ("ForumScheduled", {}), ("ForumHeld", {"forum": "f1"})])
def test_activities_leave_the_status_and_count_as_activity(activity):
    kind, fields = activity
    s = fold(fact("MoUSigned", "1990", tier="sister"), fact(kind, "2010-05-01", **fields))
    assert (s.status, s.tier, str(s.last_activity)) == ("active", "sister", "2010-05-01")


def test_a_visit_ending_before_it_starts_is_refused():
    refused(fact("VisitStarted", "2010-05-10", visit="v1"), fact("VisitEnded", "2010-05-01", visit="v1"))


def test_a_forum_held_after_it_was_cancelled_is_refused():
    refused(fact("ForumCancelled", "2010-05-01", forum="f1"), fact("ForumHeld", "2010-06-01", forum="f1"))


def test_a_visit_and_a_forum_that_agree_are_accepted():
    s = fold(fact("VisitStarted", "2010-05-01", visit="v1"), fact("VisitEnded", "2010-05-10", visit="v1"),
             fact("ForumScheduled", "2011-01-01", forum="f1"), fact("ForumHeld", "2011-02-01", forum="f1"))
    assert (s.status, s.events, str(s.last_activity)) == ("none", 4, "2011-02-01")
