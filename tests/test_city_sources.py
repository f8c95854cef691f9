"""`amity city PLACE` carries what the sources say about the place: its official counts and its open disputes."""

from __future__ import annotations

import json

from tests.conftest import SEEDS


def test_the_profile_has_the_counts_and_open_disputes_of_the_place(cli, store):
    assert cli("import", str(SEEDS), "--store", store).code == 0
    profile = json.loads(cli("city", "Seoul", "--store", store, "--json").out)
    check = json.loads(cli("check", "Seoul", "--store", store, "--json").out)
    assert profile["counts"] == check and {r["tier"] for r in check} == {"sister", "friendship"}
    disputes = json.loads(cli("disputes", "--open", "--store", store, "--json").out)
    assert profile["disputes"] == [d for d in disputes if "Seoul, KR" in d["cities"]] and profile["disputes"]
    kl = next(r for r in profile["partnerships"] if r["partner"].startswith("Kuala Lumpur"))
    assert kl["disputed"] is True
    shown = cli("city", "Seoul", "--store", store).out
    assert "official counts (2)" in shown and "open disputes (1)" in shown and "disputed" in shown
    assert max(len(line) for line in shown.splitlines()) <= 80
    # a place with neither says so, and a count dated after the day asked about is not shown then
    assert json.loads(cli("city", "Seoul", "--as-of", "2013-12-31", "--store", store, "--json").out)["counts"] == []
    assert "official counts: none on file" in cli("city", "Tashkent", "--store", store).out
