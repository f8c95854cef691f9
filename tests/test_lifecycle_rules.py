"""The lifecycle table of the design notes, row by row: each valid case is accepted and each
contradiction rejected, in valid-time order and when the facts are recorded late."""

from __future__ import annotations

import pytest

from amity.ledger.errors import FutureDate, RuleViolation
from amity.projections.status import status_row
from datetime import date

A, B = "Kyoto, JP", "Paris, FR"
SRC = {"title": "test fixture"}


def fact(kind: str, when: str, **fields) -> dict:
    return {"type": kind, "cities": [A, B], "date": when, "source": SRC, **fields}


def mou(when, tier="friendship"):
    return fact("MoUSigned", when, tier=tier)


def record_all(ledger, facts):
    for f in facts:
        ledger.record(f)


def standing(ledger):
    stream_id, _ = ledger.pair(A, B)
    return status_row(ledger.stream(stream_id), on=date(2026, 11, 23))


def exported(ledger):
    return b"".join(ledger.export_lines())


# (name, facts on file, the fact that is checked, expected status and tier when accepted)
VALID = [
    ("proposal moves forward", [fact("PartnershipProposed", "1999")], fact("ProposalApproved", "2000"), ("approved", None)),
    ("letter of intent moves forward", [fact("ProposalApproved", "1999")], fact("LetterOfIntentSigned", "2000", tier="sister"), ("intent", "sister")),
    ("a proposal never moves an active tie back", [mou("2000")], fact("PartnershipProposed", "2005"), ("active", "friendship")),
    ("an MoU makes the tie active", [fact("LetterOfIntentSigned", "1999")], mou("2000", "sister"), ("active", "sister")),
    ("a higher MoU acts as an elevation", [mou("2000")], mou("2005", "sister"), ("active", "sister")),
    ("an MoU re-establishes a suspended tie", [mou("2000"), fact("RelationshipSuspended", "2003")], mou("2005"), ("active", "friendship")),
    ("an MoU re-establishes a terminated tie", [mou("2000", "sister"), fact("RelationshipTerminated", "2003")], mou("2005", "cooperation"), ("active", "cooperation")),
    ("an elevation raises the tier", [mou("2000")], fact("RelationshipElevated", "2010", to_tier="sister"), ("active", "sister")),
    ("business partner ranks below friendship", [mou("2000", "business_partner")], fact("RelationshipElevated", "2010", to_tier="friendship"), ("active", "friendship")),
    ("a suspension suspends", [mou("2000")], fact("RelationshipSuspended", "2005"), ("suspended", "friendship")),
    ("a restoration follows a suspension", [mou("2000"), fact("RelationshipSuspended", "2003")], fact("RelationshipRestored", "2004"), ("active", "friendship")),
    ("a restoration follows a lull", [mou("2000")], fact("RelationshipRestored", "2010"), ("active", "friendship")),
    ("a termination terminates", [mou("2000")], fact("RelationshipTerminated", "2010"), ("terminated", "friendship")),
    ("a termination with no agreement implies one", [], fact("RelationshipTerminated", "2010"), ("terminated", None)),
    ("activities leave the status alone", [mou("2000")], fact("CommemorationHeld", "2001", what="a street named"), ("active", "friendship")),
    ("a forum may be scheduled ahead", [mou("2000")], fact("ForumScheduled", "2027-05-01", forum="f1"), ("active", "friendship")),
]

REJECTED = [
    ("an MoU below the current tier", [mou("2000", "sister")], mou("2005", "friendship"), "below the current tier", "MoUSigned of 2000"),
    ("an MoU below the tier of a suspended tie", [mou("2000", "sister"), fact("RelationshipSuspended", "2002")], mou("2005", "friendship"), "below the current tier", "MoUSigned of 2000"),
    ("an elevation that does not raise", [mou("2000", "sister")], fact("RelationshipElevated", "2005", to_tier="friendship"), "does not raise", "MoUSigned of 2000"),
    ("twin ranks as sister", [mou("2000", "sister")], fact("RelationshipElevated", "2005", to_tier="twin"), "does not raise", "MoUSigned of 2000"),
    ("an elevation from the wrong tier", [mou("2000", "cooperation")], fact("RelationshipElevated", "2005", from_tier="friendship", to_tier="sister"), "says from", "MoUSigned of 2000"),
    ("an elevation of a terminated tie", [mou("2000"), fact("RelationshipTerminated", "2003")], fact("RelationshipElevated", "2005", to_tier="sister"), "follows the termination", "RelationshipTerminated of 2003"),
    ("a suspension of a suspended tie", [mou("2000"), fact("RelationshipSuspended", "2003")], fact("RelationshipSuspended", "2005"), "already suspended", "RelationshipSuspended of 2003"),
    ("a suspension of a terminated tie", [mou("2000"), fact("RelationshipTerminated", "2003")], fact("RelationshipSuspended", "2005"), "follows the termination", "RelationshipTerminated of 2003"),
    ("a restoration of a terminated tie", [mou("2000"), fact("RelationshipTerminated", "2003")], fact("RelationshipRestored", "2010"), "follows the termination", "RelationshipTerminated of 2003"),
    ("a restoration of a tie active in the last five years", [mou("2000"), fact("VisitStarted", "2007")], fact("RelationshipRestored", "2010"), "activity in the 5 years", "VisitStarted of 2007"),
    ("a second termination", [mou("2000"), fact("RelationshipTerminated", "2003")], fact("RelationshipTerminated", "2005"), "follows the termination", "RelationshipTerminated of 2003"),
    ("a visit ending before it starts", [fact("VisitStarted", "2005-03-10", visit="v1")], fact("VisitEnded", "2005-03-01", visit="v1"), "visit 'v1'", "2005-03"),
    ("a forum held after it was cancelled", [fact("ForumScheduled", "2005-03-01", forum="f1"), fact("ForumCancelled", "2005-02-01", forum="f1")], fact("ForumHeld", "2005-03-01", forum="f1"), "already cancelled", "ForumCancelled of 2005-02"),
]


@pytest.mark.parametrize("name,on_file,new,expected", VALID, ids=[v[0] for v in VALID])
def test_valid_case_is_accepted_in_valid_time_order(ledger, name, on_file, new, expected):
    record_all(ledger, on_file + [new])
    row = standing(ledger)
    assert (row["status"], row["tier"]) == expected


@pytest.mark.parametrize("name,on_file,new,expected", VALID, ids=[v[0] for v in VALID])
def test_valid_case_is_accepted_when_recorded_late(ledger, name, on_file, new, expected):
    """The earliest fact on file arrives last (a 1984 proclamation typed in after the 1990 MoU)."""
    record_all(ledger, on_file[1:] + [new] + on_file[:1])
    row = standing(ledger)
    assert (row["status"], row["tier"]) == expected


@pytest.mark.parametrize("name,on_file,new,message,names", REJECTED, ids=[r[0] for r in REJECTED])
def test_contradiction_is_rejected_in_valid_time_order(ledger, name, on_file, new, message, names):
    record_all(ledger, on_file)
    before = exported(ledger)
    with pytest.raises(RuleViolation) as exc:
        ledger.record(new)
    assert message in str(exc.value) and names in str(exc.value)
    assert "\n" not in str(exc.value)
    assert exported(ledger) == before


@pytest.mark.parametrize("name,on_file,new,message,names", REJECTED, ids=[r[0] for r in REJECTED])
def test_contradiction_is_rejected_when_recorded_late(ledger, name, on_file, new, message, names):
    """The later fact goes in first; then the earlier facts arrive and one of them must be refused."""
    record_all(ledger, [new])
    before = exported(ledger)
    with pytest.raises(RuleViolation):
        record_all(ledger, on_file)
    assert len(exported(ledger).splitlines()) < len(on_file) + 1
    assert exported(ledger).startswith(before)


def test_an_agreement_dated_after_today_is_rejected(ledger):
    with pytest.raises(FutureDate, match="after today"):
        ledger.record(mou("2026-11-24"))
    assert exported(ledger) == b""


def test_a_year_that_has_begun_is_not_in_the_future(ledger):
    ledger.record(mou("2026"))
    assert standing(ledger)["status"] == "active"


def test_a_proclamation_recorded_after_a_later_mou_is_accepted(ledger):
    ledger.record(mou("1990-06-25", "twin"))
    ledger.record({**mou("1984-02-01", "twin"), "instrument": "proclamation"})
    row = standing(ledger)
    assert row["established"] == "1984-02-01" and row["since"] == "1984-02-01"


def test_an_elevation_with_no_agreement_on_file_implies_one(ledger):
    ledger.record(fact("RelationshipElevated", "2010", to_tier="sister"))
    row = standing(ledger)
    assert row["status"] == "active" and row["implied_agreement"] and row["established"] is None


def test_the_message_names_the_missing_fact_in_a_temporary_contradiction(ledger):
    """A 2010 termination recorded after a 2015 suspension, before the 2012 MoU between them."""
    ledger.record(fact("RelationshipSuspended", "2015"))
    with pytest.raises(RuleViolation, match="record the agreement that re-established the tie"):
        ledger.record(fact("RelationshipTerminated", "2010"))
    ledger.record(mou("2012"))
    ledger.record(fact("RelationshipTerminated", "2010"))
    assert standing(ledger)["status"] == "suspended"
