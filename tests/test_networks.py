"""Networks on both stores: recorded, checked in valid-time order, amended, asked about as of a day and as
known at an instant, exported and imported losslessly, verified."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import orjson
import pytest

from amity.ledger.errors import ImportProblems, RuleViolation, UnknownPlace
from amity.projections.networkreader import NetworkReader
from amity.projections.reader import Reader

SRC = {"title": "test fixture"}
C40 = {"type": "NetworkRegistered", "network": "C40 Cities Climate Leadership Group", "short": "C40", "founded": "2005-10",
       "secretariat": "New York City, US", "regional_office": "Singapore", "scope": "global", "source": SRC}


def net(kind, when, **fields):
    return {"type": kind, "network": "C40", "date": when, "source": SRC, **fields}


def networks_of(ledger):
    return NetworkReader(Reader(ledger))


def members(ledger, day=date(2026, 11, 23), **kw):
    return {m["member"]: m for m in networks_of(ledger).network("C40", day, **kw)["members"]}


def now_instant():
    return datetime.now(UTC) + timedelta(microseconds=1)


def test_a_network_resolves_by_its_short_or_full_name_whatever_the_case(ledger):
    ledger.record(C40)
    ledger.record(net("MembershipJoined", "2006", member="Seoul"))
    ledger.record({**net("MembershipListed", "2025", member="Kuala Lumpur, MY"), "network": "c40 cities climate leadership group"})
    assert set(members(ledger)) == {"Seoul, KR", "Kuala Lumpur, MY"}
    doc = networks_of(ledger).network("c40", date(2026, 1, 1))
    assert (doc["network"], doc["founded"], doc["secretariat"], doc["regional_office"]) == (C40["network"], "2005-10", "New York City, US", "Singapore, SG")


def test_an_unknown_network_is_one_line_suggesting_a_close_name(ledger):
    ledger.record(C40)
    with pytest.raises(UnknownPlace, match="unknown network 'C41'; did you mean 'C40'"):
        ledger.record(net("MembershipJoined", "2006", member="Seoul"))
        ledger.record({**net("MembershipJoined", "2006", member="Seoul"), "network": "C41"})


def test_a_registration_later_in_the_file_counts_for_earlier_lines(ledger):
    lines = [(1, net("MembershipJoined", "2006", member="Seoul")), (2, C40)]
    assert ledger.import_events(lines).imported == 2


@pytest.mark.parametrize("on_file,new,message", [
    ([net("MembershipJoined", "2006", member="Seoul")], net("MembershipJoined", "2010", member="Seoul, KR"), "already a member"),
    ([net("MembershipJoined", "2006", member="Seoul"), net("MembershipLeft", "2010", member="Seoul")], net("MembershipLeft", "2012", member="Seoul"), "cannot leave twice"),
    ([], net("NetworkRoleHeld", "2025", member="Seoul", role="chair"), "not a member then"),
    ([net("MembershipJoined", "2012", member="Seoul")], net("MembershipJoined", "2008", member="Seoul"), "conflicts with a later fact"),
])
def test_a_contradiction_is_rejected_naming_the_fact_on_file_and_nothing_is_written(ledger, on_file, new, message):
    for fact in [C40, *on_file]:
        ledger.record(fact)
    before = b"".join(ledger.export_lines())
    with pytest.raises(RuleViolation, match=message):
        ledger.record(new)
    assert b"".join(ledger.export_lines()) == before


def test_a_file_with_a_contradiction_writes_nothing(ledger):
    lines = [(1, C40), (2, net("MembershipJoined", "2006", member="Seoul")), (3, net("MembershipJoined", "2008", member="Seoul"))]
    with pytest.raises(ImportProblems, match="^:?3?.*already a member"):
        ledger.import_events(lines, where="f.jsonl")
    assert b"".join(ledger.export_lines()) == b""


def test_a_member_listed_only_in_2025_is_no_member_as_of_2000_and_is_listed_by_2025(ledger):
    for fact in (C40, net("MembershipListed", "2025", member="Kuala Lumpur, MY"), net("MembershipJoined", "2006", member="Seoul")):
        ledger.record(fact)
    assert set(members(ledger, date(2000, 1, 1))) == set()
    assert set(members(ledger, date(2010, 1, 1))) == {"Seoul, KR"}
    kl = members(ledger, date(2025, 6, 1))["Kuala Lumpur, MY"]
    assert (kl["since"], kl["listed"], kl["uncertain"]) == ("2025", True, True)
    kl = members(ledger, date(2025, 12, 31))["Kuala Lumpur, MY"]
    assert (kl["listed"], kl["uncertain"]) == (True, False)
    rows = networks_of(ledger).networks(date(2000, 1, 1))
    assert rows == []  # founded 2005-10: nothing on file by 2000


def test_corrections_and_retractions_work_on_network_facts_and_as_known_at_shows_the_past(ledger):
    ledger.record(C40)
    joined, _ = ledger.record(net("MembershipJoined", "2006", member="Seoul"))
    before = now_instant()
    ledger.correct(str(joined.id), {"date": "2007-03"}, SRC)
    assert members(ledger)["Seoul, KR"]["since"] == "2007-03"
    assert members(ledger, as_known_at=before)["Seoul, KR"]["since"] == "2006"
    middle = now_instant()
    ledger.retract(str(joined.id), "wrong network", SRC)
    assert members(ledger) == {}
    assert members(ledger, as_known_at=middle)["Seoul, KR"]["since"] == "2007-03"
    shown = [r for r in Reader(ledger).ledger.export_lines()]
    assert orjson.loads(shown[-1])["network"] == C40["network"]  # the amendment takes its target's network


def test_a_correction_cannot_move_a_membership_to_another_member(ledger):
    from amity.ledger.errors import BadInput

    ledger.record(C40)
    joined, _ = ledger.record(net("MembershipJoined", "2006", member="Seoul"))
    with pytest.raises(BadInput, match="cannot change member"):
        ledger.correct(str(joined.id), {"member": "Tokyo"}, SRC)


def test_an_agency_is_a_member_and_a_party_to_a_pair(ledger):
    ledger.record({"type": "PlaceRegistered", "place": "Ministry of Housing and Local Government, MY", "kind": "agency", "source": SRC})
    ledger.record({"type": "PlaceAliased", "place": "Ministry of Housing and Local Government, MY", "alias": "KPKT, MY", "source": SRC})
    ledger.record(C40)
    ledger.record(net("MembershipListed", "2025", member="KPKT, MY"))
    ledger.record(net("NetworkRoleHeld", "2025", member="KPKT", role="representative"))
    ledger.record({"type": "MoUSigned", "cities": ["KPKT, MY", "Osaka, JP"], "date": "1994", "tier": "cooperation", "source": SRC})
    kpkt = members(ledger)["Ministry of Housing and Local Government, MY"]
    assert kpkt["roles"] == ["representative"]
    status = Reader(ledger).status(place="KPKT")
    assert [r["status"] for r in status] == ["active"]


def test_export_and_import_are_lossless_and_verify_passes(ledger, store_kind, cli):
    from tests.conftest import new_ledger

    for fact in (C40, net("MembershipJoined", "2006", member="Seoul"), net("MembershipLeft", "2010", member="Seoul", reason="budget"),
                 net("NetworkMeetingHeld", "2011-06-01", host="Tokyo", meeting="summit-2011")):
        ledger.record(fact)
    exported = b"".join(ledger.export_lines())
    other = new_ledger(store_kind)
    other.import_events([(i + 1, orjson.loads(line)) for i, line in enumerate(exported.splitlines())])
    def timeless(lines):
        return [{k: v for k, v in orjson.loads(line).items() if k != "recorded_at"} for line in lines]

    assert timeless(other.export_lines()) == timeless(exported.splitlines())
    proof = b"".join(ledger.export_lines(proof=True))
    assert len(proof.splitlines()) == 4 and all(b'"proof"' in line for line in proof.splitlines())
    a, b = networks_of(ledger).network("C40", date(2026, 1, 1)), networks_of(other).network("C40", date(2026, 1, 1))
    assert a == b and a["left"][0]["reason"] == "budget" and a["meetings"][0]["host"] == "Tokyo, JP"
    for url in (ledger.url, other.url):
        result = cli("verify", "--json", "--store", str(url))
        assert result.code == 0 and orjson.loads(result.out)["views"]["state"] == "match", result.out


def test_network_anniversaries_are_marked_and_a_member_that_left_is_left_out(ledger):
    for fact in (C40, net("MembershipJoined", "2010-03-01", member="Seoul"), net("MembershipJoined", "2010-05", member="Tokyo"),
                 net("MembershipLeft", "2015", member="Tokyo")):
        ledger.record(fact)
    rows = Reader(ledger).anniversaries(date(2025, 1, 1), date(2025, 12, 31), (15, 20), networks=True)
    got = {(r["event"], r["network"], r["member"], r["on"]) for r in rows}
    assert got == {("NetworkRegistered", C40["network"], None, "2025-10"), ("MembershipJoined", C40["network"], "Seoul, KR", "2025-03-01")}
    assert Reader(ledger).anniversaries(date(2025, 1, 1), date(2025, 12, 31), (15, 20)) == []  # the web's list: partnerships only


def test_a_proof_export_of_networks_restores_and_verifies(ledger, store_kind, cli, tmp_path):
    from tests.conftest import new_store

    for fact in (C40, net("MembershipJoined", "2006", member="Seoul"), net("NetworkRoleHeld", "2008", member="Seoul", role="chair")):
        ledger.record(fact)
    backup = tmp_path / "backup.jsonl"
    backup.write_bytes(b"".join(ledger.export_lines(proof=True)))
    target = new_store(store_kind, str(tmp_path), role="owner")
    r = cli("import", "--restore", str(backup), "--store", target, "--json")
    assert r.code == 0, r.err
    assert cli("verify", "--store", target).code == 0
    assert orjson.loads(cli("network", "C40", "--store", target, "--json").out)["roles"][0]["role"] == "chair"
