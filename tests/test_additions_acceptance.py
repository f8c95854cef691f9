"""Acceptance: facts written from docs/format.md's additions (networks, parties, counts, disputes, invitations,
corroboration), imported on top of the seed data and asked about through the CLI, as a user would.

The facts are in tests/acceptance/*.jsonl, each quoting the seed page it comes from. Output fields that the
contract names are checked by name; elsewhere the test looks for the places and values in the JSON document.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SEEDS

HERE = Path(__file__).resolve().parent / "acceptance"


def text(doc) -> str:
    return json.dumps(doc, ensure_ascii=False)


NETWORK_TYPES = {"NetworkRegistered", "MembershipJoined", "MembershipListed", "MembershipLeft", "NetworkRoleHeld", "NetworkMeetingHeld"}


def base_seeds(tmp_path, drop) -> Path:
    """The seed data without what this test records itself (so that it answers from its own facts)."""
    base = tmp_path / "base.jsonl"
    base.write_text("".join(x + "\n" for x in SEEDS.read_text().splitlines() if not drop(json.loads(x), x)))
    return base


@pytest.fixture
def kl(cli, store, tmp_path):
    """The seed ledger's partnerships plus the network half of the Kuala Lumpur page, as written here."""
    base = base_seeds(tmp_path, lambda f, x: f["type"] in NETWORK_TYPES or any(n in x for n in ("MATRADE", "Ministry of Housing", "Malaysia External Trade")))
    for f in (base, HERE / "networks.jsonl"):
        r = cli("import", str(f), "--store", store, "--json")
        assert r.code == 0, r.err
    return store


def ask(cli, store, *args):
    r = cli(*args, "--store", store, "--json")
    assert r.code == 0, (args, r.err)
    return json.loads(r.out)


def line(cli, store, fact: dict):
    return cli("import", "-", "--store", store, stdin=(json.dumps(fact) + "\n").encode())


def test_every_network_fact_imports_and_each_network_is_listed(cli, kl):
    networks = ask(cli, kl, "networks")
    shown = text(networks)
    for short in ("C40", "ASCN", "CPTA", "UCLG ASPAC", "ASEAN SOM/MGM"):
        assert short in shown
    assert len(networks) == 5
    c40 = next(n for n in networks if "C40" in text(n))
    assert "New York" in text(c40)


def test_cpta_members_are_listed_members_now_but_not_in_2000(cli, kl):
    now = text(ask(cli, kl, "network", "CPTA"))
    for city in ("Tomsk", "Taipei", "Delhi", "Kuala Lumpur", "Tokyo"):
        assert city in now
    before = text(ask(cli, kl, "network", "CPTA", "--as-of", "2000-01-01"))
    assert "Tomsk" not in before and "Taipei" not in before


def test_roles_agencies_and_meetings(cli, kl):
    uclg = text(ask(cli, kl, "network", "UCLG ASPAC"))
    assert "Surabaya" in uclg and "president" in uclg
    ascn = text(ask(cli, kl, "network", "ASCN"))
    assert "Ministry of Housing and Local Government" in ascn and "representative" in ascn
    mgm = text(ask(cli, kl, "network", "ASEAN SOM/MGM"))
    assert "Jakarta" in mgm and "MGM 2013" in mgm


def test_matrade_osaka_is_a_partnership_with_an_agency(cli, kl):
    rows = ask(cli, kl, "status", "Osaka")
    assert any(any("MATRADE" in c for c in r["cities"]) for r in rows)


def test_city_profile_has_partnerships_and_networks(cli, kl):
    profile = text(ask(cli, kl, "city", "Kuala Lumpur"))
    for expected in ("Ankara", "Chennai", "Casablanca", "C40", "CPTA", "ASCN"):
        assert expected in profile
    r = cli("city", "Kuala Lumpur", "--store", kl)
    assert r.code == 0 and max(len(x) for x in r.out.splitlines()) <= 80


@pytest.mark.parametrize("fact", [
    {"type": "MembershipJoined", "network": "ASEAN SOM/MGM", "member": "Jakarta, ID", "date": "2014"},  # joined while a member
    {"type": "NetworkRoleHeld", "network": "UCLG ASPAC", "member": "Tokyo, JP", "role": "chair", "date": "2025"},  # not a member
])
def test_contradictions_are_one_line_and_nothing_is_written(cli, kl, fact):
    before = cli("export", "--store", kl).out
    r = line(cli, kl, {**fact, "source": {"title": "a test"}})
    assert r.code == 1 and len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
    assert cli("export", "--store", kl).out == before


def test_leaving_twice_is_refused(cli, kl):
    left = {"type": "MembershipLeft", "network": "ASEAN SOM/MGM", "member": "Jakarta, ID", "date": "2020", "reason": "a test",
            "source": {"title": "a test"}}
    assert line(cli, kl, left).code == 0
    again = line(cli, kl, {**left, "date": "2021"})
    assert again.code == 1 and len(again.err.strip().splitlines()) == 1


def test_export_import_round_trip_and_verify(cli, kl, tmp_path):
    from tests.conftest import new_store

    exported = cli("export", "--store", kl).out
    other = new_store("sqlite", str(tmp_path))
    proof = cli("export", "--proof", "--store", kl).out
    r = cli("import", "--restore", "-", "--store", other, stdin=proof.encode())
    assert r.code == 0, r.err
    assert cli("export", "--store", other).out == exported
    assert ask(cli, other, "networks") == ask(cli, kl, "networks")
    assert cli("verify", "--store", kl).code == 0


def test_network_founding_anniversary(cli, kl):
    rows = ask(cli, kl, "anniversaries", "--year", "2025")
    assert "C40" in text(rows)


# --- counts, disputes, invitations, corroboration ---

NEW_TYPES = {"CountAsserted", "ClaimDisputed", "DisputeResolved", "InvitationExtended", "InvitationAnswered"}


@pytest.fixture
def seoul(cli, store, tmp_path):
    """The seed ledger's partnerships (not its own counts, disputes and invitations) plus this test's."""
    base = base_seeds(tmp_path, lambda f, x: f["type"] in NEW_TYPES)
    for f in (base, HERE / "sources.jsonl"):
        r = cli("import", str(f), "--store", store, "--json")
        assert r.code == 0, r.err
    return store


def test_check_compares_counts_with_status_as_of(cli, seoul):
    r = cli("check", "--store", seoul, "--json")
    rows = json.loads(r.out)
    sister = next(x for x in rows if x["tier"] == "sister" and "Seoul" in x["place"])
    assert sister["asserted"] == 23
    on_file = [s for s in ask(cli, seoul, "status", "Seoul", "--as-of", "2015-12-31", "--tier", "sister")
               if s["status"] in ("active", "suspended")]
    assert sister["on_file"] == len(on_file)
    assert r.code == (0 if all(x["asserted"] == x["on_file"] for x in rows) else 1) == 1


def test_a_dispute_keeps_the_original_until_resolved(cli, seoul):
    mou = next(e for e in ask(cli, seoul, "history", "Seoul", "Kuala Lumpur")["events"] if e["type"] == "MoUSigned")
    caption = {"title": "Seoul to Promote Digital and Cultural Cooperation with Kuala Lumpur and Tashkent",
               "publisher": "The Asia Business Daily",
               "quote": "signed a sister city agreement (MOU) with Ismadi Bin Sakirin"}
    assert line(cli, seoul, {"type": "ClaimDisputed", "target": mou["id"], "field": "tier", "value": "sister", "source": caption}).code == 0
    row = next(r for r in ask(cli, seoul, "status", "Seoul") if any("Kuala Lumpur" in c for c in r["cities"]))
    assert row["tier"] == "friendship" and row["disputed"] is True
    disputes = ask(cli, seoul, "disputes")
    assert len(disputes) == 1 and "sister" in text(disputes) and "friendship" in text(disputes)
    claim = disputes[0].get("id") or disputes[0].get("dispute")
    assert claim, disputes
    r = line(cli, seoul, {"type": "DisputeResolved", "target": claim, "accepted": "disputed", "source": caption, "note": "a test"})
    assert r.code == 0, r.err
    row = next(r for r in ask(cli, seoul, "status", "Seoul") if any("Kuala Lumpur" in c for c in r["cities"]))
    assert row["tier"] == "sister"


def test_invitations_and_answers_show_in_history(cli, seoul):
    history = ask(cli, seoul, "history", "Seoul", "Tehran")["events"]
    invitations = [e for e in history if e["type"] == "InvitationExtended"]
    assert len(invitations) == 2
    first = min(invitations, key=lambda e: e["date"])
    answer = {"type": "InvitationAnswered", "invitation": first["id"], "cities": ["Seoul, KR", "Tehran, IR"], "date": "2014",
              "answer": "declined", "note": "busy schedule",
              "source": {"title": "Seoul, Tehran to expand exchanges", "quote": "could not attend due to his busy schedule"}}
    r = line(cli, seoul, answer)
    assert r.code == 0, r.err
    assert "InvitationAnswered" in text(ask(cli, seoul, "history", "Seoul", "Tehran"))


def test_the_same_fact_from_a_second_source_is_one_anniversary(cli, seoul):
    chennai = json.loads(next(x for x in SEEDS.read_text().splitlines() if "Chennai" in x and "MoUSigned" in x))
    chennai["source"] = {"title": "another source", "quote": "an MoU on 25 November 2010"}
    chennai.pop("id", None)
    r = line(cli, seoul, chennai)
    assert r.code == 0, r.err
    assert "corroborat" in (r.out + r.err).lower()
    rows = [a for a in ask(cli, seoul, "anniversaries", "--year", "2025") if any("Chennai" in c for c in a["cities"])]
    assert len(rows) == 1
