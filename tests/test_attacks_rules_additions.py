"""Attacks on the rules of #18 and #19 evaded through corrections and pointers: a corrected dispute, a resolution
of a resolution, a dispute of a network or place fact, absurd counts, an answer to what is not an invitation,
membership rules through corrections and retractions, a retracted fact counting through a corroboration. Each is
refused, on SQLite and on PostgreSQL as the README's writer role."""

from __future__ import annotations

import json

import pytest

from tests.test_attacks_additions import MOU, SRC, count, lines, refused
from tests.test_integrity import verify

# ---- rules evaded through corrections and pointers ----------------------------------------------

def claim(tmp_path, cli, store, field="tier", value="sister") -> str:
    r = cli("import", lines(tmp_path, "claim.jsonl", {"type": "ClaimDisputed", "target": MOU, "field": field, "value": value, "source": SRC}),
            "--store", store)
    assert r.code == 0, r.err
    return next(d["id"] for d in json.loads(cli("disputes", "--store", store, "--json").out) if d["target"] == MOU)


@pytest.mark.parametrize("changes,needle", [({"value": "bogus"}, "tier"), ({"field": "cities"}, "cannot be disputed"),
                                            ({"field": "date"}, "not a date"), ({"value": "friendship"}, "already says"),
                                            ({"field": "type", "value": "RelationshipTerminated"}, "cannot be disputed")])
def test_a_correction_cannot_turn_a_dispute_into_one_the_rules_refuse(seed_ledger, store, tmp_path, cli, changes, needle):
    cid = claim(tmp_path, cli, store)
    refused(cli, store, tmp_path, {"type": "EventCorrected", "target": cid, "changes": changes, "source": SRC}, needle=needle)
    good = {"type": "EventCorrected", "target": cid, "changes": {"field": "date", "value": "2007"}, "source": SRC}
    assert cli("import", lines(tmp_path, "good.jsonl", good), "--store", store).code == 0  # a dispute it could be: taken
    assert verify(cli, store)[0] == 0


@pytest.mark.parametrize("fact,needle", [
    ({"type": "ClaimDisputed", "field": "tier", "value": "emperor"}, "tier"),
    ({"type": "ClaimDisputed", "field": "date", "value": "2006-13"}, "date"),
    ({"type": "ClaimDisputed", "field": "date", "value": None}, "value"),
    ({"type": "ClaimDisputed", "field": "cities", "value": ["Seoul, KR", "Tehran, IR"]}, "cannot be disputed"),
    ({"type": "DisputeResolved", "accepted": "disputed"}, "targets a ClaimDisputed"),
])
def test_disputes_and_resolutions_must_point_at_what_they_can(seed_ledger, store, tmp_path, cli, fact, needle):
    refused(cli, store, tmp_path, {**fact, "target": MOU, "source": SRC}, needle=needle)


def test_no_dispute_of_a_network_or_place_fact_and_no_resolution_of_a_resolution(seed_ledger, store, tmp_path, cli):
    audit = json.loads(cli("audit", "--store", store, "--json").out)
    member = next(e["id"] for e in audit if e["type"] == "MembershipListed")
    place = next(e["id"] for e in audit if e["type"] == "PlaceRegistered")
    refused(cli, store, tmp_path, {"type": "ClaimDisputed", "target": member, "field": "date", "value": "2020", "source": SRC},
            needle="partnership fact")
    refused(cli, store, tmp_path, {"type": "ClaimDisputed", "target": place, "field": "kind", "value": "city", "source": SRC}, needle="cannot target")
    cid = claim(tmp_path, cli, store)
    assert cli("import", lines(tmp_path, "r.jsonl", {"type": "DisputeResolved", "target": cid, "accepted": "original", "source": SRC}),
               "--store", store).code == 0
    rid = next(e["id"] for e in json.loads(cli("audit", "--store", store, "--json").out) if e["type"] == "DisputeResolved")
    refused(cli, store, tmp_path, {"type": "DisputeResolved", "target": rid, "accepted": "disputed", "source": SRC}, needle="targets a ClaimDisputed")


@pytest.mark.parametrize("counts,needle", [({"sister": -1}, "0 to"), ({"sister": 10**25}, "counts"), ({"sister": 2_000_000_000}, "0 to"),
                                           ({"emperor": 3}, "counts"), ({"sister": True}, "counts"), ({"sister": "23"}, "counts"),
                                           ({"sister": 2.5}, "counts"), ({}, "counts")])
def test_a_count_must_be_a_plausible_whole_number_of_a_known_tier(store, tmp_path, cli, counts, needle):
    refused(cli, store, tmp_path, {"type": "CountAsserted", "place": "Seoul, KR", "date": "2015", "counts": counts, "source": SRC}, needle=needle)


def test_record_refuses_an_absurd_count_in_one_line(store, cli):
    r = cli("record", "CountAsserted", "--place", "Seoul", "--count", "sister=99999999999999999999999", "--date", "2016",
            "--source-title", "t", "--store", store)
    assert r.code == 1 and "0 to 100,000" in r.err and "64-bit" not in r.err, r.err


def test_an_answer_must_not_point_at_an_event_that_is_not_an_invitation_of_its_pair(seed_ledger, store, tmp_path, cli):
    other = {"type": "InvitationExtended", "cities": ["Seoul, KR", "Tashkent, UZ"], "date": "2016", "to": "forum", "invited": "mayor", "source": SRC}
    assert cli("import", lines(tmp_path, "inv.jsonl", other), "--store", store).code == 0
    inv = next(e["id"] for e in json.loads(cli("audit", "--store", store, "--json").out) if e["type"] == "InvitationExtended"
               and "Tashkent" in json.dumps(e))
    answer = {"type": "InvitationAnswered", "cities": ["Seoul, KR", "Tehran, IR"], "date": "2016", "answer": "accepted", "source": SRC}
    refused(cli, store, tmp_path, {**answer, "invitation": MOU}, needle="is a MoUSigned")
    refused(cli, store, tmp_path, {**answer, "invitation": inv}, needle="not an invitation of")
    assert cli("import", lines(tmp_path, "gap.jsonl", {**answer, "invitation": "amf-2016"}), "--store", store).code == 0  # a gap: taken
    same = {**answer, "cities": ["Seoul, KR", "Tashkent, UZ"], "invitation": inv}
    assert cli("import", lines(tmp_path, "ok.jsonl", same), "--store", store).code == 0


NET = [{"type": "NetworkRegistered", "network": "Test Network", "short": "TN", "source": SRC},
       {"type": "MembershipJoined", "network": "TN", "member": "Seoul, KR", "date": "2001", "source": SRC},
       {"type": "MembershipLeft", "network": "TN", "member": "Seoul, KR", "date": "2005", "source": SRC},
       {"type": "MembershipJoined", "network": "TN", "member": "Seoul, KR", "date": "2008", "source": SRC},
       {"type": "MembershipLeft", "network": "TN", "member": "Seoul, KR", "date": "2012", "source": SRC}]


def test_membership_rules_hold_through_corrections_and_retractions(store, tmp_path, cli):
    assert cli("import", lines(tmp_path, "net.jsonl", *NET), "--store", store).code == 0
    ids = {(e["type"], e.get("date")): e["id"] for e in json.loads(cli("audit", "--store", store, "--json").out)}
    joined = next(i for (t, d), i in ids.items() if t == "MembershipJoined" and str(d).startswith("2008"))
    refused(cli, store, tmp_path, {"type": "EventCorrected", "target": joined, "changes": {"date": "2013"}, "source": SRC})  # left twice
    refused(cli, store, tmp_path, {"type": "EventRetracted", "target": joined, "reason": "r", "source": SRC})  # left twice
    refused(cli, store, tmp_path, {"type": "EventCorrected", "target": joined, "changes": {"member": "Tehran, IR"}, "source": SRC},
            needle="member")  # who a fact is about is never corrected: a role for a non-member cannot be made so
    role = {"type": "NetworkRoleHeld", "network": "TN", "member": "Seoul, KR", "role": "chair", "date": "2006", "source": SRC}
    refused(cli, store, tmp_path, role)  # between leaving and joining again: not a member
    assert verify(cli, store)[0] == 0


def test_a_retracted_fact_does_not_count_through_a_corroboration(seed_ledger, store, tmp_path, cli):
    a = {"type": "CommemorationHeld", "cities": ["Seoul, KR", "Tehran, IR"], "date": "2016-05-01", "what": "a", "source": {"title": "one"}}
    b = {**a, "date": "2016", "source": {"title": "two"}}
    assert cli("import", lines(tmp_path, "ab.jsonl", a, b), "--store", store).code == 0
    events = json.loads(cli("history", "Seoul", "Tehran", "--store", store, "--json").out)["events"]
    precise = next(e for e in events if e["type"] == "CommemorationHeld" and e["date"] == "2016-05-01")
    assert precise["corroborated_by"]
    r = cli("retract", precise["id"], "--reason", "wrong", "--source-title", "t", "--store", store)
    assert r.code == 0, r.err
    events = json.loads(cli("history", "Seoul", "Tehran", "--store", store, "--json").out)["events"]
    gone = next(e for e in events if e["id"] == precise["id"])
    assert gone["retracted"] and not any(precise["id"] in json.dumps(e.get("corroborated_by")) for e in events if e["id"] != precise["id"])
    last = json.loads(cli("status", "Tehran", "--store", store, "--json").out)[0]["last_activity"]
    assert last != "2016-05-01"  # the retracted date never counts
