"""Counts, disputes, invitations and corroboration through the CLI, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json

from tests.conftest import N_SEEDS, SEEDS

KL_SEOUL_MOU = "55a9c5be-1ffd-5dd2-9919-4b73a4b35bb3"  # the seed MoU of 2025-07-23 (its derived id)
SRC = ["--source-title", "desk review"]


def seeded(cli, store):
    assert cli("import", str(SEEDS), "--store", store).code == 0


def as_json(cli, *args):
    r = cli(*args, "--json")
    assert r.code in (0, 1), r.err
    return json.loads(r.out)


def test_check_compares_each_count_with_the_ledger_as_of_its_date_and_exits_1_when_one_does_not_hold(cli, store):
    seeded(cli, store)
    r = cli("check", "--store", store, "--json")
    assert r.code == 1
    rows = {row["tier"]: row for row in json.loads(r.out)}
    assert rows["sister"] | {"source": None} == rows["sister"] | {
        "place": "Seoul, KR", "date": "2014", "tier": "sister", "asserted": 23, "on_file": 1, "missing": 22,
        "holds": False, "partnerships": ["Tashkent, UZ"], "source": None}
    assert rows["friendship"]["on_file"] == 0 and rows["friendship"]["missing"] == 28  # Kuala Lumpur came in 2025
    assert "23 cities" in rows["sister"]["source"]["quote"]
    text = cli("check", "--store", store)
    assert text.code == 1 and "+22" in text.out and "2 of 2 counts do not hold" in text.out


def test_a_count_that_holds_exits_0_and_a_later_count_sees_the_later_ledger(cli, store):
    seeded(cli, store)
    ok = cli("record", "CountAsserted", "--place", "Kuala Lumpur", "--date", "1990", "--count", "twin=2", *SRC, "--store", store)
    assert ok.code == 0, ok.err
    rows = as_json(cli, "check", "Kuala Lumpur", "--store", store)
    assert [(r["tier"], r["on_file"], r["holds"]) for r in rows] == [("twin", 2, True)]  # Casablanca came in 1992, Chennai in 2010
    assert sorted(rows[0]["partnerships"]) == ["Ankara, TR", "Melaka, MY"]
    assert cli("check", "Kuala Lumpur", "--store", store).code == 0


def test_an_import_never_fails_because_of_a_count(cli, store, tmp_path):
    path = tmp_path / "count.jsonl"
    path.write_text(json.dumps({"type": "CountAsserted", "place": "Seoul, KR", "date": "2025", "counts": {"sister": 999},
                                "source": {"title": "an exaggeration"}}) + "\n")
    assert cli("import", str(path), "--store", store).code == 0
    assert cli("check", "--store", store).code == 1


def test_counts_are_corrected_and_retracted_like_any_fact(cli, store):
    seeded(cli, store)
    (count_id,) = {r["id"] for r in as_json(cli, "check", "--store", store)}
    assert cli("correct", count_id[:8], "--set", 'counts={"sister": 1}', *SRC, "--store", store).code == 0
    assert cli("check", "--store", store).code == 0
    assert cli("retract", count_id[:8], "--reason", "undated article", *SRC, "--store", store).code == 0
    assert as_json(cli, "check", "--store", store) == []


def test_disputes_show_both_sides_and_mark_every_row_the_disputed_fact_feeds(cli, store):
    seeded(cli, store)
    (d,) = as_json(cli, "disputes", "--store", store)
    assert d["target"] == KL_SEOUL_MOU and d["field"] == "tier" and d["status"] == "open"
    assert (d["original"]["value"], d["disputed"]["value"], d["counts"]) == ("friendship", "sister", "friendship")
    assert "caption" in d["disputed"]["source"]["title"] and "caption" not in d["original"]["source"]["title"]
    (row,) = [r for r in as_json(cli, "status", "Kuala Lumpur", "--store", store) if "Seoul, KR" in r["cities"]]
    assert row["disputed"] and row["tier"] == "friendship"
    assert not any(r["disputed"] for r in as_json(cli, "status", "Tashkent", "--store", store))
    assert not [r for r in as_json(cli, "status", "Kuala Lumpur", "--as-of", "2025-07-01", "--store", store) if r["disputed"]]
    history = as_json(cli, "history", "Seoul", "Kuala Lumpur", "--store", store)["events"]
    assert [e["type"] for e in history if e["disputed"]] == ["MoUSigned"]
    ann = as_json(cli, "anniversaries", "--from", "2026-07-01", "--days", "60", "--store", store)
    assert [a["disputed"] for a in ann if "Seoul, KR" in a["cities"] and "Kuala Lumpur, MY" in a["cities"]] == [True]
    assert "status" in cli("status", "--store", store).out and "disputed" in cli("status", "--store", store).out


def test_a_resolution_for_the_disputed_value_counts_like_a_correction_and_as_known_at_shows_the_dispute_as_it_stood(cli, store):
    seeded(cli, store)
    before = as_json(cli, "audit", "--store", store)[-1]["recorded_at"]
    (d,) = as_json(cli, "disputes", "--store", store)
    r = cli("record", "DisputeResolved", "--target", d["id"][:8], "--accepted", "disputed", "--note", "the city's own list says sister",
            *SRC, "--store", store)
    assert r.code == 0, r.err
    (now,) = as_json(cli, "disputes", "--store", store)
    assert now["status"] == "disputed accepted" and now["counts"] == "sister" and now["resolution"]["note"].startswith("the city")
    (then,) = as_json(cli, "disputes", "--as-known-at", before, "--store", store)
    assert then["status"] == "open" and then["resolution"] is None
    row = [r for r in as_json(cli, "status", "Seoul", "--store", store) if "Kuala Lumpur, MY" in r["cities"]][0]
    assert row["tier"] == "sister" and not row["disputed"]
    assert as_json(cli, "disputes", "--open", "--store", store) == []
    assert cli("verify", "--store", store).code == 0  # the views, updated as it was recorded, equal a rebuild


def test_disputes_that_say_nothing_new_or_point_at_the_wrong_thing_are_refused_in_one_line(cli, store):
    seeded(cli, store)
    for args, words in (
        (["ClaimDisputed", "--target", KL_SEOUL_MOU[:8], "--field", "tier", "--value", "friendship"], "corroboration"),
        (["ClaimDisputed", "--target", KL_SEOUL_MOU[:8], "--field", "colour", "--value", "red"], "colour"),
        (["ClaimDisputed", "--target", KL_SEOUL_MOU[:8], "--field", "cities", "--value", "x"], "cannot be disputed"),
        (["DisputeResolved", "--target", KL_SEOUL_MOU[:8], "--accepted", "original"], "targets a ClaimDisputed"),
        (["DisputeResolved", "--target", KL_SEOUL_MOU[:8], "--accepted", "maybe"], "original, disputed"),
    ):
        r = cli("record", *args, *SRC, "--store", store)
        assert r.code == 1 and r.err.count("\n") == 1 and words in r.err and "Traceback" not in r.err, (args, r.err)
    assert len(as_json(cli, "audit", "--store", store)) == N_SEEDS


def test_invitations_are_in_the_history_and_count_as_activity(cli, store):
    seeded(cli, store)
    history = as_json(cli, "history", "Seoul", "Tehran", "--store", store)["events"]
    invitations = [e for e in history if e["type"].startswith("Invitation")]
    assert [(e["type"], e["date"]) for e in invitations] == [
        ("InvitationExtended", "2013"), ("InvitationAnswered", "2013"), ("InvitationExtended", "2014"), ("InvitationAnswered", "2014")]
    assert invitations[0]["details"]["inviter"] == "Tehran, IR" and invitations[3]["details"]["answer"] == "delegated"
    assert invitations[1]["details"]["invitation"] == invitations[0]["id"]
    r = cli("record", "InvitationExtended", "--cities", "Seoul", "Tehran", "--date", "2024-05", "--to", "Seoul Smart City Forum",
            "--invited", "Mayor of Tehran", *SRC, "--store", store)
    assert r.code == 0, r.err
    (row,) = [r for r in as_json(cli, "status", "Tehran", "--store", store)]
    assert row["last_activity"] == "2024-05" and not row["dormant"]
    history = as_json(cli, "history", "Seoul", "Tehran", "--store", store)["events"]
    assert [e["details"]["inviter"] for e in history if e["date"] == "2024-05"] == ["Seoul, KR"]
    answered = cli("record", "InvitationAnswered", "--cities", "Seoul", "Tehran", "--date", "2024-06", "--invitation", "unknown-one",
                   "--answer", "accepted", *SRC, "--store", store)
    assert answered.code == 0  # an answer whose invitation is not on file is a gap, not a contradiction


def test_the_same_fact_from_another_source_is_kept_said_once_and_counted_once(cli, store, tmp_path):
    seeded(cli, store)
    r = cli("record", "MoUSigned", "--cities", "Chennai", "Kuala Lumpur", "--date", "2010-11-25", "--tier", "twin",
            "--source-title", "The Hindu", "--store", store)
    said = " ".join(r.out.split())  # the notice is wrapped to the terminal's width
    assert r.code == 0 and said.count("corroborates") == 1 and "corroborates MoUSigned" in said and "counts once" in said
    path = tmp_path / "more.jsonl"
    path.write_text(json.dumps({"type": "MoUSigned", "cities": ["Kuala Lumpur, MY", "Chennai, IN"], "date": "2010", "tier": "twin",
                                "source": {"title": "a year book"}}) + "\n")
    imp = cli("import", str(path), "--store", store)
    assert imp.code == 0 and imp.out.count("\n") == 1 and "1 corroborates a fact" in imp.out
    assert len(as_json(cli, "audit", "--store", store)) == N_SEEDS + 2  # append-only: both kept
    (row,) = [r for r in as_json(cli, "status", "Chennai", "--store", store)]
    assert row["events"] == 1 and row["established"] == "2010-11-25"
    (event,) = as_json(cli, "history", "Chennai", "Kuala Lumpur", "--store", store)["events"]
    assert [s["title"] for s in event["sources"]] == ["International Network & Twin Cities", "The Hindu", "a year book"]
    ann = [a for a in as_json(cli, "anniversaries", "--year", "2025", "--store", store) if "Chennai, IN" in a["cities"]]
    assert len(ann) == 1
    ics = tmp_path / "a.ics"
    assert cli("anniversaries", "--year", "2025", "--ics", str(ics), "--store", store).code == 0
    assert len([e for e in ics.read_text().split("BEGIN:VEVENT")[1:] if "Chennai" in e]) == 1  # one reminder


def test_the_new_events_travel_through_export_import_restore_and_rebuild(cli, store, tmp_path):
    seeded(cli, store)
    exported = cli("export", "--store", store).out
    assert {json.loads(x)["type"] for x in exported.splitlines()} >= {
        "CountAsserted", "ClaimDisputed", "InvitationExtended", "InvitationAnswered"}
    copy = str(tmp_path / "copy.db")
    assert cli("import", "-", "--store", copy, stdin=exported.encode()).code == 0
    assert cli("export", "--store", copy).out.replace("\n", "").count('"type"') == N_SEEDS
    assert [(d["target"], d["status"]) for d in as_json(cli, "disputes", "--store", copy)] == [(KL_SEOUL_MOU, "open")]
    assert [r["missing"] for r in as_json(cli, "check", "--store", copy)] == [r["missing"] for r in as_json(cli, "check", "--store", store)]
    proof = tmp_path / "proof.jsonl"
    proof.write_text(cli("export", "--proof", "--store", store).out)
    restored = str(tmp_path / "restored.db")
    assert cli("import", "--restore", str(proof), "--store", restored).code == 0
    assert cli("export", "--store", restored).out == exported
    assert cli("rebuild", "--store", store).code == 0 and cli("verify", "--store", store).code == 0


def test_a_resolution_accepting_a_value_that_contradicts_the_facts_on_file_is_refused_like_that_correction(ledger):
    from amity.ledger.errors import AmityError

    pair = ["Kyoto, JP", "Paris, FR"]
    mou, _ = ledger.record({"type": "MoUSigned", "cities": pair, "date": "2000", "tier": "friendship", "source": {"title": "a"}})
    ledger.record({"type": "RelationshipElevated", "cities": pair, "date": "2005", "to_tier": "sister", "source": {"title": "a"}})
    claim, new = ledger.record({"type": "ClaimDisputed", "target": str(mou.id), "field": "tier", "value": "sister", "source": {"title": "b"}})
    assert new  # a dispute changes nothing that counts: it is always kept
    before = b"".join(ledger.export_lines())
    for change in ({"type": "DisputeResolved", "target": str(claim.id), "accepted": "disputed", "source": {"title": "c"}},
                   {"type": "EventCorrected", "target": str(mou.id), "changes": {"tier": "sister"}, "source": {"title": "c"}}):
        try:
            ledger.record(change)
            raise AssertionError(f"{change['type']} was accepted")
        except AmityError as exc:
            assert "does not raise the tier" in str(exc)
    assert b"".join(ledger.export_lines()) == before
