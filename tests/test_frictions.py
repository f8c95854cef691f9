"""What a newcomer stumbles on: id prefixes, places and visitors checked, enumerated options validated,
partial dates for --as-of, tables that fit 80 columns, CSV, suspended anniversaries marked, calendars that
update, audit that says what a correction changed, --recorded-by on corrections and retractions."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from tests.conftest import SEEDS

AMITY = [sys.executable, "-c", "from amity.cli.main import run; run()"]
SRC = {"title": "t"}
PAIR = ["Kyoto, JP", "Paris, FR"]


def history_ids(cli, store, a="Seoul", b="Tashkent"):
    return [e["id"] for e in json.loads(cli("history", a, b, "--store", store, "--json").out)["events"]]


def test_show_correct_and_retract_take_a_unique_id_prefix_and_recorded_by(seed_ledger, store, cli):
    first = history_ids(cli, store)[0]
    assert json.loads(cli("show", first[:8], "--store", store, "--json").out)["event"]["id"] == first
    r = cli("correct", first[:6], "--set", "date=2006-05", "--source-title", "desk", "--recorded-by", "desk@seoul", "--store", store, "--json")
    assert r.code == 0, r.err
    fix = json.loads(r.out)["event"]
    assert fix["target"] == first and fix["recorded_by"] == "desk@seoul"
    r = cli("retract", fix["id"][:8], "--reason", "wrong", "--source-title", "desk", "--recorded-by", "chief@seoul", "--store", store, "--json")
    assert r.code == 0 and json.loads(r.out)["event"]["recorded_by"] == "chief@seoul", r.err


def test_an_ambiguous_or_short_or_unknown_prefix_says_so(ledger, store, cli):
    for n, day in ((1, "2001"), (2, "2002")):
        ledger.record({"type": "CommemorationHeld", "cities": PAIR, "date": day, "source": SRC, "id": f"6b1f3c2e-0000-4000-8000-00000000000{n}"})
    for args, needle in ((["show", "6b1f3c2e"], "ambiguous: 2 events"), (["show", "6b1"], "at least 4"), (["show", "ffff0000"], "no event id starts with"),
                         (["correct", "6b1f3c2e-0000", "--set", "date=2003", "--source-title", "t"], "ambiguous")):
        r = cli(*args, "--store", store)
        assert r.code == 1 and needle in r.err and r.err.count("\n") == 1, (args, r.err)
    assert cli("show", "6b1f3c2e-0000-4000-8000-000000000002", "--store", store).code == 0


@pytest.mark.parametrize("args,needle", [
    (["status", "--tier", "sisterr"], "did you mean 'sister'"),
    (["status", "--status", "actve"], "did you mean 'active'"),
    (["record", "MoUSigned", "--cities", "Seoul", "Tashkent", "--date", "2006", "--tier", "frendship", "--source-title", "t"], "did you mean 'friendship'"),
    (["record", "ForumScheduled", "--cities", "Seoul", "Tashkent", "--date", "2026", "--format", "zoom", "--source-title", "t"], "--format 'zoom'"),
    (["record", "VisitStarted", "--cities", "Seoul", "Tashkent", "--date", "2025-07", "--visitor", "Bishkek", "--source-title", "t"], "not one of the pair"),
    (["status", "--as-of", "2010-13"], "--as-of '2010-13'"),
])
def test_wrong_but_valid_looking_options_are_refused_in_one_line(store, cli, args, needle):
    r = cli(*args, "--store", store)
    assert r.code == 1 and needle in r.err and r.err.count("\n") == 1, r.err


def test_as_of_takes_a_partial_date_read_as_its_last_day(seed_ledger, store, cli):
    year = cli("status", "--as-of", "2010", "--store", store, "--json")
    assert year.code == 0 and "read as 2010-12-31" in year.err
    assert json.loads(year.out) == json.loads(cli("status", "--as-of", "2010-12-31", "--store", store, "--json").out)
    month = cli("status", "--as-of", "2010-02", "--store", store, "--json")
    assert "read as 2010-02-28" in month.err and json.loads(month.out) == json.loads(cli("status", "--as-of", "2010-02-28", "--store", store, "--json").out)


def test_tables_fit_80_columns_when_piped_with_dates_words_and_ids_whole(seed_ledger, store, cli, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)  # stdout is not a terminal here, as when piped
    for args in (["status"], ["history", "Kuala Lumpur", "Osaka"], ["audit"], ["anniversaries", "--year", "2025"], ["status", "--as-of", "2000-01-01"]):
        out = cli(*args, "--store", store).out
        assert out and max(len(line) for line in out.splitlines()) <= 80, (args, out)
        doc = json.loads(cli(*args, "--store", store, "--json").out)
        rows = doc["events"] if isinstance(doc, dict) else doc
        for row in rows:
            for key in ("since", "established", "last_activity", "date", "on"):
                if row.get(key):
                    assert row[key] in out, (args, key, row[key], out)
            if "id" in row:
                assert row["id"][:8] in out
    status = cli("status", "--store", store).out
    assert "partnership" in status and "Tashkent, UZ" in status and "business" in status
    n = len(json.loads(cli("status", "--store", store, "--json").out))
    assert len(status.splitlines()) <= 3 + 2 * n  # title, header, rule; two lines a row at most


def test_a_table_piped_from_a_process_is_80_columns_wide(seed_ledger, store):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | {"AMITY_TODAY": "2026-11-23"}
    out = subprocess.run([*AMITY, "audit", "--store", store], env=env, capture_output=True, text=True, timeout=60).stdout
    assert 70 <= max(len(line) for line in out.splitlines()) <= 80  # not 200, not the width of some terminal


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_on_history_audit_anniversaries_and_implied_agreement_in_status(seed_ledger, store, cli):
    hist = read_csv(cli("history", "Seoul", "Tashkent", "--store", store, "--csv").out)
    assert [r["date"] for r in hist] == ["2006", "2010", "2025-07", "2025-07"] and hist[0]["type"] == "MoUSigned"
    audit = read_csv(cli("audit", "--store", store, "--csv").out)
    assert len(audit) == len(SEEDS.read_text().splitlines()) and audit[0]["recorded_at"].endswith("Z")
    ann = read_csv(cli("anniversaries", "--year", "2025", "--store", store, "--csv").out)
    assert {(r["city_a"], r["city_b"], r["years"]) for r in ann} >= {("Seoul, KR", "Tashkent, UZ", "15")}
    status = read_csv(cli("status", "--store", store, "--csv").out)
    tehran = next(r for r in status if r["city_b"] == "Tehran, IR")
    assert tehran["implied_agreement"] == "True" and tehran["established"] == ""


def test_audit_shows_what_each_correction_changed(seed_ledger, store, cli):
    sid, _ = seed_ledger.pair("Kuala Lumpur", "Chennai")
    mou = seed_ledger.stream(sid)[0]
    seed_ledger.correct(str(mou.id), {"date": "2011-03-01"}, SRC)
    seed_ledger.correct(str(mou.id), {"date": "2011-04-01"}, SRC)
    rows = [r for r in json.loads(cli("audit", "--store", store, "--json").out) if r["type"] == "EventCorrected"]
    assert [r["changed"] for r in rows] == [{"date": {"from": "2010-11-25", "to": "2011-03-01"}}, {"date": {"from": "2011-03-01", "to": "2011-04-01"}}]
    out = cli("audit", "--store", store, "--csv").out
    assert "date: 2010-11-25 → 2011-03-01" in out and "date: 2011-03-01 → 2011-04-01" in out


def test_a_suspended_ties_anniversary_is_marked_in_table_json_and_calendar(ledger, store, cli, tmp_path):
    ledger.record({"type": "MoUSigned", "cities": PAIR, "date": "2000-05-05", "tier": "friendship", "source": SRC})
    ledger.record({"type": "RelationshipSuspended", "cities": PAIR, "date": "2020", "source": SRC})
    rows = json.loads(cli("anniversaries", "--year", "2025", "--store", store, "--json").out)
    assert [(r["years"], r["suspended"]) for r in rows] == [(25, True)]
    assert "(suspended)" in cli("anniversaries", "--year", "2025", "--store", store).out
    ics = tmp_path / "a.ics"
    cli("anniversaries", "--year", "2025", "--ics", str(ics), "--store", store)
    event = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")[0]
    assert "suspended" in str(event["SUMMARY"]) and str(event["STATUS"]) == "TENTATIVE"


def test_the_calendar_follows_rfc_5545_so_a_moved_date_updates_clients(ledger, store, cli, tmp_path):
    mou, _ = ledger.record({"type": "MoUSigned", "cities": PAIR, "date": "2000-05-05", "tier": "friendship", "source": SRC})

    def event():
        ics = tmp_path / "a.ics"
        before = datetime.now(UTC).replace(microsecond=0)
        assert cli("anniversaries", "--year", "2025", "--ics", str(ics), "--store", store).code == 0
        after = datetime.now(UTC)
        [ev] = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
        assert before <= ev.decoded("DTSTAMP") <= after  # when the file was written, not a fixed date
        return ev

    first = event()
    assert int(first["SEQUENCE"]) == 0 and first.decoded("LAST-MODIFIED") == mou.recorded_at.replace(microsecond=0)
    fix = ledger.correct(str(mou.id), {"date": "2000-06-01"}, SRC)
    moved = event()
    assert str(moved["UID"]) == str(first["UID"]) and moved.decoded("DTSTART") == date(2025, 6, 1)
    assert int(moved["SEQUENCE"]) == 1 and moved.decoded("LAST-MODIFIED") == fix.recorded_at.replace(microsecond=0)
