"""`amity networks`, `amity network NAME`, `amity city PLACE` on the seed ledger: the page's network half
answers right, in JSON and in 80 columns; bad input is one line."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEEDS

ASEAN_CAPITALS = {"Kuala Lumpur, MY", "Bandar Seri Begawan, BN", "Jakarta, ID", "Vientiane, LA", "Singapore, SG", "Bangkok, TH",
                  "Hanoi, VN", "Phnom Penh, KH", "Manila, PH", "Nay Pyi Taw, MM"}
CPTA = {"Kuala Lumpur, MY", "Bangkok, TH", "Delhi, IN", "Hanoi, VN", "Jakarta, ID", "Manila, PH", "Seoul, KR", "Taipei, TW", "Tomsk, RU", "Tokyo, JP"}


@pytest.fixture
def seeded(cli, tmp_path):
    store = str(tmp_path / "seeds.db")
    assert cli("import", str(SEEDS), "--store", store).code == 0
    return store


def doc(cli, *args):
    r = cli(*args, "--json")
    assert r.code == 0, r.err
    return json.loads(r.out)


def members(cli, store, name, *more):
    return {m["member"]: m for m in doc(cli, "network", name, "--store", store, *more)["members"]}


def test_the_pages_eight_networks_with_their_secretariats(cli, seeded):
    rows = {r["short"] or r["network"]: r for r in doc(cli, "networks", "--store", seeded)}
    assert set(rows) == {"ASEAN SOM/MGM", "ASCN", "C40", "CityNet", "CPTA", "GCoM", "Metropolis", "UCLG ASPAC"}
    assert {k: rows[k]["secretariat"] for k in ("C40", "CityNet", "CPTA", "GCoM", "Metropolis", "UCLG ASPAC")} == {
        "C40": "New York City, US", "CityNet": "Seoul, KR", "CPTA": "Tokyo, JP", "GCoM": "Brussels, BE", "Metropolis": "Barcelona, ES",
        "UCLG ASPAC": "Jakarta, ID"}
    assert (rows["C40"]["founded"], rows["C40"]["regional_office"]) == ("2005-10", "Singapore, SG")
    assert (rows["ASEAN SOM/MGM"]["members"], rows["CPTA"]["members"]) == (10, 10)


def test_members_roles_and_the_first_meeting(cli, seeded):
    assert set(members(cli, seeded, "ASEAN SOM/MGM")) == ASEAN_CAPITALS
    assert set(members(cli, seeded, "cpta")) == CPTA
    ascn = members(cli, seeded, "ASEAN Smart Cities Network")
    assert set(ascn) == {"Kuala Lumpur, MY", "Johor Bahru, MY", "Kuching, MY", "Kota Kinabalu, MY", "KPKT, MY"}
    assert ascn["KPKT, MY"]["roles"] == ["representative"]
    assert members(cli, seeded, "UCLG ASPAC")["Surabaya, ID"]["roles"] == ["president"]
    assert members(cli, seeded, "CityNet")["Seoul, KR"]["roles"] == ["president"]
    meetings = doc(cli, "network", "ASEAN SOM/MGM", "--store", seeded)["meetings"]
    assert [(m["date"], m["host"], m["meeting"]) for m in meetings] == [("2013", "Jakarta, ID", "SOM/MGM 2013")]


def test_a_member_listed_in_2025_is_joined_by_2025_at_the_latest_and_no_member_in_2000(cli, seeded):
    kl = members(cli, seeded, "C40")["Kuala Lumpur, MY"]
    assert (kl["since"], kl["listed"]) == ("2025", True)
    assert members(cli, seeded, "C40", "--as-of", "2000-01-01") == {}
    assert members(cli, seeded, "C40", "--as-known-at", "2000-01-01") == {}
    text = cli("network", "C40", "--store", seeded).out
    assert "by 2025" in text


def test_kuala_lumpurs_profile_has_its_partnerships_and_networks(cli, seeded):
    profile = doc(cli, "city", "Kuala Lumpur", "--store", seeded)
    assert profile["place"] == "Kuala Lumpur, MY" and profile["kind"] == "city"
    assert {r["partner"] for r in profile["partnerships"]} >= {"Ankara, TR", "Casablanca, MA", "Chennai, IN", "Osaka, JP", "Seoul, KR"}
    assert len(profile["networks"]) == 8 and all(n["listed"] and n["since"] == "2025" for n in profile["networks"])
    old = doc(cli, "city", "Kuala Lumpur", "--as-of", "1990-01-01", "--store", seeded)
    assert old["networks"] == [] and {r["partner"] for r in old["partnerships"]} == {"Ankara, TR", "Casablanca, MA", "Melaka, MY", "Osaka, JP"}
    known = doc(cli, "city", "Kuala Lumpur", "--as-known-at", "2000-01-01", "--store", seeded)
    assert known["partnerships"] == [] and known["networks"] == [] and known["anniversaries"] == []


def test_matrade_is_a_party_to_the_1994_agreement_with_osaka(cli, seeded):
    profile = doc(cli, "city", "MATRADE", "--store", seeded)
    assert profile["kind"] == "agency" and [(r["partner"], r["status"], r["since"]) for r in profile["partnerships"]] == [("Osaka, JP", "active", "1994")]


@pytest.mark.parametrize("args", [["networks"], ["network", "ASEAN SOM/MGM"], ["city", "Kuala Lumpur"], ["network", "C40", "--as-of", "2000"]])
def test_tables_fit_80_columns(cli, seeded, monkeypatch, args):
    monkeypatch.delenv("COLUMNS", raising=False)
    out = cli(*args, "--store", seeded).out
    assert out and max(len(line) for line in out.splitlines()) <= 80, out


@pytest.mark.parametrize("args,message", [
    (["network", "C41"], "unknown network 'C41'; did you mean 'C40'?"),
    (["city", "Xyzzyville, FR"], "unknown place"),
    (["networks", "--as-of", "yesterday"], "--as-of 'yesterday'"),
    (["network", "C40", "--as-known-at", "soon"], "--as-known-at 'soon'"),
])
def test_bad_input_is_one_line_and_exit_1(cli, seeded, args, message):
    r = cli(*args, "--store", seeded)
    assert r.code == 1 and r.out == "" and message in r.err and r.err.count("\n") == 1, r.err


@pytest.mark.parametrize("command", ["networks", "network", "city"])
def test_help_has_an_example(cli, command):
    r = cli(command, "--help")
    assert r.code == 0 and "Example: amity " + command in r.out
