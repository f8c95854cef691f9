"""Recorded text that attacks the reader's terminal is printed as text: never parsed as rich markup, control
and bidi characters escaped in tables, kept exact in JSON (the hostile files of tests/corpus/)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "corpus"
HOSTILE = {k: v for k, v in json.loads((CORPUS / "expected.json").read_text()).items() if v.get("accepted")}
RAW = [chr(c) for c in range(0x20) if chr(c) != "\n"] + ["\x7f", "\x9b", "\u202e", "\u202c", "\u2067", "\u2069", "\u2028"]


def tables(cli, store, monkeypatch, columns: int) -> dict[str, str]:
    monkeypatch.setenv("COLUMNS", str(columns))
    out = {}
    for name, args in {
        "history": ["history", "Kyoto", "Lyon"], "history2": ["history", "Kyoto", "Nantes"], "audit": ["audit"],
        "anniversaries": ["anniversaries", "--year", "2025"], "status": ["status"],
    }.items():
        r = cli(*args, "--store", store)
        assert r.code == 0 and r.err == "", (name, r.err)
        out[name] = r.out
    return out


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_texts_are_shown_as_text_escaped_and_json_keeps_them_exact(cli, store, monkeypatch, name):
    r = cli("import", str(CORPUS / name), "--store", store)
    assert r.code == 0, r.err
    wide = tables(cli, store, monkeypatch, 250)
    everything = "".join(wide.values())
    for text in HOSTILE[name]["shows"]:
        assert text in everything, (text, everything)
    for ch in RAW:
        assert ch not in everything, repr(ch)
    if name == "hostile_markup.jsonl":  # a registered place's name reaches status; the suspended tie's anniversary is marked
        assert "Ville [sic], FR" in wide["status"] and "(suspended)" in wide["anniversaries"]
    for table in tables(cli, store, monkeypatch, 80).values():
        assert max(len(line) for line in table.splitlines()) <= 80
        assert not any(ch in table for ch in RAW)
    found = set()
    for c, a in [("audit", []), ("history", ["Kyoto", "Lyon"]), ("history", ["Kyoto", "Nantes"])]:
        found |= strings(json.loads(cli(c, *a, "--store", store, "--json").out))
    for text in HOSTILE[name]["exact"]:
        assert any(text in s for s in found), text


def strings(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return set().union(*(strings(v) for v in items)) if items else set()


def test_show_prints_an_event_with_hostile_text_escaped(cli, store):
    assert cli("import", str(CORPUS / "hostile_escapes.jsonl"), "--store", store).code == 0
    event_id = json.loads(cli("audit", "--store", store, "--json").out)[0]["id"]
    r = cli("show", event_id, "--store", store)
    assert r.code == 0 and not any(ch in r.out for ch in RAW)
    assert "adm\\u202eni\\u202c" in r.out and json.loads(r.out)["event"]["recorded_by"] == "adm\u202eni\u202c"
    exact = json.loads(cli("show", event_id, "--store", store, "--json").out)
    assert exact["event"]["source"]["title"] == "\x1b[2J cleared"


def test_an_error_naming_hostile_text_is_one_escaped_line(cli, store, capsys):
    r = cli("history", "Kyoto", "\x1b[2JAtlantis\u202e", "--store", store)
    assert r.code == 1 and r.err.count("\n") == 1 and "\x1b" not in r.err and "\u202e" not in r.err
    from amity.cli.main import fail

    with pytest.raises(SystemExit):
        fail("bad \x1b[2J title \u202eevil\x9b")
    err = capsys.readouterr().err
    assert err == "amity: error: bad \\x1b[2J title \\u202eevil\\x9b\n"
