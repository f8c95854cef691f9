"""Frictions a newcomer met with networks, profiles, counts, disputes, invitations and corroboration (issues #18, #19):
every line fits 80 columns, a legend only for marks that are shown, each `record` example in --help works as written,
ids in `history` cut to what `amity show` takes, the sources of a dispute told apart."""

from __future__ import annotations

import json
import shlex

import pytest

from tests.conftest import SEEDS

INVITATION_2014 = "d81e41fe"  # the seed invitation of 2014 to the Asia Mayors Forum (its derived id)


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")


def seeded(cli, store):
    assert cli("import", str(SEEDS), "--store", store).code == 0


def fits(text: str) -> None:
    long = [line for line in text.splitlines() if len(line) > 80]
    assert not long, long


def test_check_and_disputes_fit_80_columns_and_keep_a_place_and_a_dispute_id_whole(cli, store):
    seeded(cli, store)
    check = cli("check", "--store", store)
    fits(check.out)
    assert "Seoul, KR 2014" in check.out  # the place is never split over two lines
    disputes = cli("disputes", "--store", store).out
    fits(disputes)
    head = disputes.splitlines()[1]
    assert head.startswith("dispute d3f7011e, open: tier of MoUSigned 55a9c5be")
    assert "  Kuala Lumpur, MY – Seoul, KR" in disputes.splitlines()


def test_the_profile_shows_both_values_of_a_dispute_and_says_where_the_sources_are(cli, store):
    seeded(cli, store)
    out = cli("city", "Kuala Lumpur", "--store", store).out
    fits(out)
    row = next(line for line in out.splitlines() if line.startswith("Kuala Lumpur, MY – Seoul, KR:"))
    assert row.split()[-4:] == ["tier", "friendship", "sister", "d3f7011e"]
    assert "both sources of each: amity disputes" in out


def test_the_legend_is_printed_only_for_marks_the_page_shows(cli, store):
    seeded(cli, store)
    listed = cli("city", "Kuala Lumpur", "--store", store).out
    assert "by 2025" in listed and listed.rstrip().endswith("by D: listed on D, joined by then at the latest")
    for args in (("city", "MATRADE"), ("city", "Seoul", "--as-of", "2000-01-01"), ("network", "C40", "--as-of", "2000-01-01")):
        out = cli(*args, "--store", store).out
        assert "by D" not in out and "?:" not in out, args
    joined = cli("record", "MembershipJoined", "--network", "C40", "--member", "Seoul", "--date", "2006",
                 "--source-title", "desk review", "--store", store)
    assert joined.code == 0, joined.err
    assert "by D" not in cli("network", "C40", "--as-of", "2010-01-01", "--store", store).out  # joined in 2006: no mark


def test_every_record_example_in_help_works_as_written_on_the_seed_ledger(cli, store):
    seeded(cli, store)
    text = cli("record", "--help").out
    fits(text)
    block = text.split("More (every one also needs --source-title):")[1].split("Arguments:")[0]
    examples: list[str] = []
    for line in filter(None, (line.strip() for line in block.splitlines())):
        if line.startswith("--"):
            examples[-1] += " " + line  # an example continued on the next line
        else:
            examples.append(line)
    assert [e.split()[0] for e in examples] == ["CountAsserted", "ClaimDisputed", "DisputeResolved", "InvitationExtended",
                                                "InvitationAnswered", "MembershipJoined", "NetworkRoleHeld"]
    for example in examples:
        r = cli("record", *shlex.split(example), "--source-title", "desk review", "--store", store)
        assert r.code == 0, (example, r.err)
    assert "agency, organisation" in " ".join(text.split())  # --kind names the parties that are not places


def test_history_cuts_ids_to_8_digits_puts_the_answer_first_and_joins_lists(cli, store):
    seeded(cli, store)
    out = cli("history", "Seoul", "Tehran", "--csv", "--store", store).out  # the table's details, one cell each
    flat = out
    assert f"answer=delegated, invitation={INVITATION_2014}" in flat
    assert f"invitation={INVITATION_2014}-" not in flat
    assert "as_written=Seoul, KR; Teheran, IR" in flat and "['" not in out


def test_the_corroboration_notice_is_wrapped_to_80_columns(cli, store):
    seeded(cli, store)
    r = cli("record", "MoUSigned", "--cities", "Seoul, KR", "Kuala Lumpur, MY", "--date", "2025-07-23", "--tier", "friendship",
            "--source-title", "another paper", "--store", store)
    assert r.code == 0, r.err
    fits(r.out)
    assert "corroborates MoUSigned 55a9c5be" in " ".join(r.out.split())


def test_the_profile_shows_a_dispute_only_from_the_date_of_the_disputed_fact_like_a_count(cli, store):
    seeded(cli, store)
    before = cli("city", "Seoul", "--as-of", "2025-07-22", "--store", store, "--json")
    after = cli("city", "Seoul", "--as-of", "2025-07-23", "--store", store, "--json")
    assert json.loads(before.out)["disputes"] == []  # the MoU of 2025-07-23 was not signed yet
    assert [d["id"][:8] for d in json.loads(after.out)["disputes"]] == ["d3f7011e"]
    assert "open disputes: none" in cli("city", "Seoul", "--as-of", "2000-01-01", "--store", store).out


@pytest.mark.parametrize(("written", "meant"), [("C4O", "C40"), ("uclg", "UCLG ASPAC"), ("citynett", "CityNet")])
def test_an_unknown_network_suggests_the_one_meant_whatever_its_case_or_a_name_cut_short(cli, store, written, meant):
    seeded(cli, store)
    r = cli("network", written, "--store", store)
    assert r.code != 0 and not r.out
    assert f"unknown network {written!r}; did you mean {meant!r}?" in r.err and len(r.err.strip().splitlines()) == 1
