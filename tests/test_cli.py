"""The CLI contract: one-line errors, exit codes, --json documents, help on every command."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEEDS

def all_commands() -> list[str]:
    from amity.cli.main import _register_commands, app

    _register_commands()
    return sorted(c.name or c.callback.__name__ for c in app.registered_commands)


COMMANDS = all_commands()


def test_each_command_is_found_in_the_module_the_table_names():
    """`amity COMMAND` imports only the module cli/main.py's table names: it must hold the command."""
    from amity.cli.main import COMMANDS as TABLE, app

    where = {(c.name or c.callback.__name__.replace("_", "-")): c.callback.__module__.rsplit(".", 1)[1] for c in app.registered_commands}
    assert where == TABLE


def test_every_command_is_documented_in_the_readme():
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    assert [c for c in COMMANDS if f"amity {c}" not in readme] == []


def test_version_prints_the_version_and_the_ledger_format(cli):
    r = cli("--version")
    assert r.code == 0 and r.out.startswith("amity ") and "ledger format" in r.out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(cli, command):
    r = cli(command, "--help")
    assert r.code == 0 and "Example" in r.out


@pytest.mark.parametrize("args,code,needle", [
    (["bogus"], 2, "No such command"),
    (["record"], 2, "Missing argument"),
    (["record", "MoUSigned", "--cities", "Seoul"], 2, "--cities"),
    (["record", "MoUSigned", "--cities", "Seoul", "Tashkent", "--date", "2006"], 1, "--source-title"),
    (["record", "MoUSgned", "--cities", "Seoul", "Tashkent", "--date", "2006", "--source-title", "t"], 1, "did you mean 'MoUSigned'"),
    (["record", "MoUSigned", "--cities", "Seoul", "Tashkent", "--date", "2025-02-30", "--tier", "sister", "--source-title", "t"], 1, "does not exist"),
    (["record", "MoUSigned", "--cities", "Seoul", "Valencia", "--date", "2006", "--tier", "sister", "--source-title", "t"], 1, "Valencia, ES"),
    (["record", "MoUSigned", "--cities", "Seoul", "Seoul, KR", "--date", "2006", "--tier", "sister", "--source-title", "t"], 1, "two different places"),
    (["record", "PartnershipProposed", "--cities", "Seoul", "Tashkent", "--date", "2006", "--tier", "sister", "--source-title", "t"], 1, "unknown field 'tier'"),
    (["show", "00000000-0000-0000-0000-000000000000"], 1, "no event with id"),
    (["import", "/nonexistent/file.jsonl"], 1, "cannot read"),
    (["history", "Seoul", "Atlantis, XX"], 1, "unknown country"),
    (["export", "--store", "mysql://x"], 1, "unknown store"),
])
def test_errors_are_one_line_with_the_right_exit_code(cli, store, args, code, needle):
    if not store.startswith("postgresql"):
        assert cli("init", "--store", store).code == 0
    r = cli(*(args if "--store" in args else [*args[:1], "--store", store, *args[1:]]))
    assert r.code == code, r.err
    assert r.err.count("\n") == 1 and r.err.startswith("amity: error: ")
    assert needle in r.err
    assert "Traceback" not in r.err + r.out


def test_record_then_history_as_json(cli, store):
    r = cli("record", "MoUSigned", "--cities", "Seoul", "Teheran", "--date", "2014", "--tier", "friendship",
            "--source-title", "test fixture", "--person", "Kim|Mayor|Seoul, KR", "--store", store, "--json")
    assert r.code == 0, r.err
    event = json.loads(r.out)["event"]
    assert event["cities"] == ["Seoul, KR", "Tehran, IR"] and event["recorded_by"] == "tester"
    h = json.loads(cli("history", "Tehran", "Seoul", "--store", store, "--json").out)
    assert [e["id"] for e in h["events"]] == [event["id"]]


def test_show_gives_the_event_and_its_audit_fields(cli, store):
    cli("import", str(SEEDS), "--store", store)
    first = json.loads(SEEDS.read_text().splitlines()[0])
    h = json.loads(cli("history", *first["cities"], "--store", store, "--json").out)
    event_id = h["events"][0]["id"]
    doc = json.loads(cli("show", event_id, "--store", store, "--json").out)
    assert doc["event"]["id"] == event_id and doc["stored_by"] and doc["stored_at"].endswith("Z")


def test_places_explains_how_names_resolve(cli, store):
    doc = json.loads(cli("places", "Esfahan", "--store", store, "--json").out)
    assert doc["places"][0]["canonical"] == "Isfahan, IR" and doc["places"][0]["id"].startswith("geonames:")
    amb = json.loads(cli("places", "Valencia", "--store", store, "--json").out)
    assert "ambiguous" in amb["note"] and len(amb["places"]) >= 3


def test_json_output_is_exactly_one_document(cli, store):
    cli("import", str(SEEDS), "--store", store)
    out = cli("history", "Kuala Lumpur", "Casablanca, MA", "--store", store, "--json").out
    doc, end = json.JSONDecoder().raw_decode(out)
    assert out[end:].strip() == ""  # nothing after the one document (no log line, no second document)
    assert set(doc) == {"cities", "events"} and any("Casablanca" in c for c in doc["cities"]) and doc["events"]
    assert all({"id", "type", "date", "recorded_at", "source"} <= set(e) for e in doc["events"])


def test_a_long_table_is_printed_plain_with_every_row(capsys, monkeypatch):
    from amity.cli import render

    monkeypatch.setattr(render, "RICH_ROWS", 3)
    render.table("t", ["city", "status"], [(f"City {i}", "active" if i % 2 else None) for i in range(5)])
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "t" and out[1].split() == ["city", "status"] and len(out) == 3 + 5
    assert out[3].split() == ["City", "0"] and out[4].split() == ["City", "1", "active"]


def test_a_long_table_wraps_free_text_to_the_width_in_terminal_cells(capsys, monkeypatch):
    from rich.cells import cell_len

    from amity.cli import render

    monkeypatch.setattr(render, "RICH_ROWS", 3)
    monkeypatch.setenv("COLUMNS", "60")
    long = "x" * 50 + " 서울특별시 우즈베키스탄 타슈켄트 자매결연"  # a word longer than its column, and wide characters
    rows = [("2010-01-01", f"note {i}: " + long, "MoUSigned") for i in range(5)]
    render.table("t", [render.Col("date"), render.Col("details", wrap=True), render.Col("type")], rows)
    out = capsys.readouterr().out.splitlines()
    assert max(cell_len(line) for line in out) <= 60 and len(out) > 3 + 5  # wrapped onto more lines, none too wide
    text = " ".join(out)
    assert all(f"note {i}:" in text for i in range(5)) and text.count("MoUSigned") == 5 and "x" * 10 in text and "x…" in text


def test_an_unreadable_instant_is_blamed_on_the_flag_that_gave_it(cli, tmp_path):
    store = str(tmp_path / "none.db")
    for flag in ("--since", "--until"):
        r = cli("audit", flag, "garbage", "--store", store)
        assert r.code == 1 and r.err == f"amity: error: {flag} 'garbage': use an RFC 3339 instant (2026-11-17T09:00:00Z) or a date\n", r.err
    r = cli("status", "--as-known-at", "2026-11-17T09:00:00", "--store", store)
    assert r.code == 1 and r.err.startswith("amity: error: --as-known-at '2026-11-17T09:00:00' needs a time zone"), r.err
