"""Places through the CLI (issue 17): the ledger's places first, display names, the spelling of each
source kept, look-alike names refused, and names stored by 0.1.0 still finding their partnership."""

from __future__ import annotations

import json

import pytest

from tests.conftest import N_SEEDS, SEEDS

SOURCE = {"title": "test fixture"}


@pytest.fixture
def seeded(cli, store) -> str:
    """The seed ledger, on each store."""
    assert cli("import", str(SEEDS), "--store", store).code == 0
    return store


def _import(cli, store, tmp_path, rows, name="more.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return cli("import", str(path), "--store", store)


def test_places_rows_always_carry_the_region_and_list_the_others(cli, seeded):
    doc = json.loads(cli("places", "Sapporo", "--store", seeded, "--json").out)
    assert doc["places"][0]["region"] == "Hokkaido"
    doc = json.loads(cli("places", "Nagasaki, JP", "--store", seeded, "--json").out)
    assert doc["places"][0]["id"] == "geonames:1856177"
    assert doc["places"][0]["also"] == [{"canonical": "Nagasaki, Tokyo, JP", "id": "geonames:8573184"}]
    out = cli("places", "Nagasaki", "--store", seeded).out
    assert "also: Nagasaki, Tokyo, JP (geonames:8573184)" in out


def test_read_commands_resolve_against_the_places_on_file_first(cli, seeded):
    r = cli("history", "Kuala Lumpur", "Casablanca", "--store", seeded, "--json")
    assert r.code == 0 and json.loads(r.out)["cities"] == ["Casablanca, MA", "Kuala Lumpur, MY"]
    rows = json.loads(cli("status", "Casablanca", "--store", seeded, "--json").out)
    assert [row["cities"] for row in rows] == [["Casablanca, MA", "Kuala Lumpur, MY"]]
    assert [row["place_ids"] for row in rows] == [["geonames:2553604", "geonames:1735161"]]
    r = cli("record", "VisitStarted", "--cities", "Casablanca", "Seoul", "--date", "2020", "--source-title", "t", "--store", seeded)
    assert r.code == 1 and "ambiguous" in r.err  # writing still needs the place said in full


def test_a_preferred_alias_is_shown_everywhere_and_ids_do_not_change(cli, seeded, tmp_path):
    before = json.loads(cli("status", "Kuala Lumpur", "--store", seeded, "--json").out)
    rows = [{"type": "PlaceAliased", "place": "Malacca, MY", "alias": "Melaka", "preferred": True, "source": SOURCE}]
    assert _import(cli, seeded, tmp_path, rows).code == 0
    after = json.loads(cli("status", "Kuala Lumpur", "--store", seeded, "--json").out)
    assert ["Kuala Lumpur, MY", "Melaka, MY"] in [r["cities"] for r in after]
    assert sorted(map(sorted, (r["place_ids"] for r in before))) == sorted(map(sorted, (r["place_ids"] for r in after)))
    h = json.loads(cli("history", "Kuala Lumpur", "Melaka", "--store", seeded, "--json").out)
    assert h["cities"] == ["Kuala Lumpur, MY", "Melaka, MY"] and len(h["events"]) == 1


def test_each_event_keeps_the_spelling_of_its_source(cli, seeded):
    h = json.loads(cli("history", "Seoul", "Tehran", "--store", seeded, "--json").out)
    restored = next(e for e in h["events"] if e["type"] == "RelationshipRestored")
    assert restored["details"]["as_written"] == ["Seoul, KR", "Teheran, IR"]
    shown = json.loads(cli("show", restored["id"], "--store", seeded, "--json").out)
    assert shown["event"]["cities"] == ["Seoul, KR", "Tehran, IR"] and shown["event"]["as_written"] == ["Seoul, KR", "Teheran, IR"]
    assert json.loads(cli("import", str(SEEDS), "--store", seeded, "--json").out) == {"imported": 0, "skipped": N_SEEDS}


def test_a_look_alike_place_is_refused_unless_forced(cli, seeded, tmp_path):
    line = {"type": "PlaceRegistered", "place": "\u0420\u0430ris, FR", "kind": "city", "source": SOURCE}
    r = _import(cli, seeded, tmp_path, [line])
    assert r.code == 1 and "looks like Paris, FR" in r.err and len(r.err.strip().splitlines()) == 1
    assert _import(cli, seeded, tmp_path, [{**line, "force": True}], "forced.jsonl").code == 0
    r = _import(cli, seeded, tmp_path, [{**line, "place": "Paris\nLyon, FR"}], "newline.jsonl")
    assert r.code == 1 and "control character" in r.err


def test_districts_registered_with_a_region_import_even_where_geonames_knows_the_name(cli, seeded, tmp_path):
    rows = [{"type": "PlaceRegistered", "place": p, "kind": "district", "source": SOURCE}
            for p in ("Gangnam-gu, Seoul, KR", "Shinjuku, Tokyo, JP", "Nagasaki, Nagasaki, JP")]
    rows.append({"type": "MoUSigned", "cities": ["Gangnam-gu, Seoul, KR", "Shinjuku, Tokyo, JP"], "date": "2001",
                 "tier": "friendship", "source": SOURCE})
    r = _import(cli, seeded, tmp_path, rows)
    assert r.code == 0, r.err


def test_an_unknown_place_error_suggests_the_real_place_before_registering(cli, seeded):
    r = cli("record", "VisitStarted", "--cities", "Seoul, JP", "Tashkent", "--date", "2020", "--source-title", "t", "--store", seeded)
    assert r.code == 1 and "did you mean 'Seoul, KR'?" in r.err and r.err.index("Seoul, KR") < r.err.index("PlaceRegistered")


def test_a_name_stored_by_0_1_0_lands_in_the_same_partnership(cli, seeded, tmp_path):
    base = {"type": "VisitStarted", "date": "2019", "source": SOURCE}
    rows = [{**base, "cities": ["Nagasaki, Osaka, JP", "Seoul, KR"]}, {**base, "date": "2020", "cities": ["Nagasaki, JP", "Seoul, KR"]}]
    assert _import(cli, seeded, tmp_path, rows).code == 0
    h = json.loads(cli("history", "Nagasaki, Nagasaki, JP", "Seoul", "--store", seeded, "--json").out)
    assert h["cities"] == ["Nagasaki, Nagasaki, JP", "Seoul, KR"] and len(h["events"]) == 2


def test_registering_a_known_place_by_another_name_confirms_it(cli, seeded, tmp_path):
    rows = [{"type": "PlaceRegistered", "place": p, "kind": "province", "source": SOURCE} for p in ("Gyeonggi Province, KR", "Melaka, MY")]
    rows.append({"type": "VisitStarted", "cities": ["Gyeonggi Province, KR", "Seoul, KR"], "date": "2001", "source": SOURCE})
    assert _import(cli, seeded, tmp_path, rows).code == 0
    doc = json.loads(cli("places", "Gyeonggi-do, KR", "--store", seeded, "--json").out)
    assert doc["places"][0]["id"] == "iso:KR-41"
    exported = [json.loads(line) for line in cli("export", "--store", seeded).out.splitlines()]
    seeds = {"Ministry of Housing and Local Government, MY", "Malaysia External Trade Development Corporation, MY"}  # the seeds' agencies
    assert {e["place"] for e in exported if e["type"] == "PlaceRegistered"} - seeds == {"iso:KR-41", "geonames:1734759"}
    h = json.loads(cli("history", "Gyeonggi-do", "Seoul", "--store", seeded, "--json").out)
    assert len(h["events"]) == 1


def test_councils_counties_and_agencies_register_with_their_own_kinds(cli, seeded, tmp_path):
    kinds = {"Kuala Lumpur City Hall, MY": "council", "Jongno-gu, Seoul, KR": "ward", "MATRADE, MY": "agency",
             "Hwaseong, Gyeonggi-do, KR": "municipality", "Miaoli, Taiwan": "county"}
    rows = [{"type": "PlaceRegistered", "place": p, "kind": k, "source": SOURCE} for p, k in kinds.items()]
    rows.append({"type": "MoUSigned", "cities": ["MATRADE, MY", "Osaka, JP"], "date": "1994", "tier": "cooperation", "source": SOURCE})
    r = _import(cli, seeded, tmp_path, rows)
    assert r.code == 0, r.err


def test_a_council_named_after_its_province_is_a_place_of_its_own(cli, seeded, tmp_path):
    rows = [{"type": "PlaceRegistered", "place": "Istanbul Metropolitan Municipality, Türkiye", "kind": "municipality", "source": SOURCE},
            {"type": "PlaceRegistered", "place": "Osaka Prefecture, JP", "kind": "prefecture", "source": SOURCE}]
    assert _import(cli, seeded, tmp_path, rows).code == 0
    found = {r["query"]: r["id"] for q in ("Istanbul Metropolitan Municipality, TR", "Osaka Prefecture, JP")
             for r in json.loads(cli("places", q, "--store", seeded, "--json").out)["places"]}
    assert found == {"Istanbul Metropolitan Municipality, TR": "amity:istanbul-metropolitan-municipality/tr",
                     "Osaka Prefecture, JP": "iso:JP-27"}

