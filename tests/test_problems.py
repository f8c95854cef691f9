"""Problems are values until the CLI prints them: `import --dry-run --json` gives objects, text stays one line each."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amity.cli.problems import as_json, one_line
from amity.events.partnership import MoUSigned
from amity.events.wire import WireError, parse_fact
from amity.ledger.errors import BadInput
from amity.ledger.problems import Problem

MOU = {"type": "MoUSigned", "cities": ["Kyoto, JP", "Paris, FR"], "date": "2000", "tier": "sister", "source": {"title": "t"}}
KEYS = {"file", "line", "field", "message", "hint", "text"}


def dry_run(cli, store, path, lines):
    path.write_text("\n".join(lines) + "\n")
    r = cli("import", str(path), "--store", store, "--dry-run", "--json")
    assert r.code == 1 and "Traceback" not in r.err
    return json.loads(r.out)["problems"]


def test_line_problems_are_objects_with_field_and_hint(store, tmp_path, cli):
    path = tmp_path / "bad.jsonl"
    typo = {k: v for k, v in MOU.items() if k != "date"} | {"dat": "2000"}
    problems = dry_run(cli, store, path, [json.dumps(MOU), json.dumps(typo), json.dumps(MOU | {"date": "2001-13-45"}), "not json"])
    assert all(set(p) == KEYS for p in problems)
    assert [(p["file"], p["line"]) for p in problems] == [(str(path), 2), (str(path), 3), (str(path), 4)]
    typo_p, date_p, json_p = problems
    assert (typo_p["field"], typo_p["message"], typo_p["hint"]) == ("dat", "unknown field 'dat' for MoUSigned", "did you mean 'date'?")
    assert typo_p["text"] == f"{path}:2: unknown field 'dat' for MoUSigned (did you mean 'date'?)"
    assert date_p["field"] == "date" and date_p["message"].startswith("field 'date': ") and date_p["hint"] is None
    assert date_p["text"] == f"{path}:3: {date_p['message']}"
    assert json_p["field"] is None and json_p["message"].startswith("invalid JSON: ") and json_p["hint"] is None
    text = cli("import", str(path), "--store", store)
    assert text.code == 1 and text.err.splitlines()[1:] == [f"  {p['text']}" for p in problems]


def test_a_contradiction_names_the_fact_on_file(store, tmp_path, cli):
    on_file = tmp_path / "on_file.jsonl"
    on_file.write_text(json.dumps(MOU) + "\n")
    assert cli("import", str(on_file), "--store", store).code == 0
    [p] = dry_run(cli, store, tmp_path / "new.jsonl", [json.dumps(MOU | {"date": "2005", "tier": "friendship"})])
    assert p["line"] == 1 and p["field"] is None and p["hint"] is None
    assert "below the current tier" in p["message"] and "MoUSigned of 2000" in p["message"]
    r = cli("import", str(tmp_path / "new.jsonl"), "--store", store)
    assert r.err == f"amity: error: {p['text']}\n" and p["text"] == f"{tmp_path / 'new.jsonl'}:1: {p['message']}"


def test_a_problem_without_a_line_or_a_file():
    exc = BadInput("cannot read x", field="f", hint="try y", joint="; {}")
    assert one_line(Problem.of("", None, exc)) == "cannot read x; try y" == str(exc)
    assert one_line(Problem.of("in.jsonl", 0, exc)) == "in.jsonl: cannot read x; try y"
    assert as_json(Problem.of("in.jsonl", 7, exc)) == {"file": "in.jsonl", "line": 7, "field": "f", "message": "cannot read x",
                                                       "hint": "try y", "text": "in.jsonl:7: cannot read x; try y"}


@settings(max_examples=60, deadline=None)
@given(key=st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=12).filter(lambda k: k not in MoUSigned.model_fields and k.isidentifier()),
       line=st.integers(1, 10**6))
def test_an_unknown_field_is_named_and_the_one_line_form_is_message_then_hint(key, line):
    with pytest.raises(WireError) as caught:
        parse_fact(MOU | {key: 1})
    exc = caught.value
    p = Problem.of("f.jsonl", line, BadInput(exc.message, field=exc.field, hint=exc.hint))
    assert p.field == key and p.message == f"unknown field {key!r} for MoUSigned"
    assert one_line(p) == f"f.jsonl:{line}: {exc}" == f"f.jsonl:{line}: {p.message}" + (f" ({p.hint})" if p.hint else "")
