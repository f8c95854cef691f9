"""Import is all-or-nothing and idempotent; export then import is lossless."""

from __future__ import annotations

import json

import pytest

from tests.conftest import N_SEEDS, SEEDS


def test_export_then_restore_then_export_is_byte_identical(seed_ledger, tmp_path, cli):
    first = b"".join(seed_ledger.export_lines(proof=True))
    dump = tmp_path / "dump.jsonl"
    dump.write_bytes(first)
    other = str(tmp_path / "other.db")
    r = cli("import", "--restore", str(dump), "--store", other, "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["digest"] == json.loads(cli("digest", "--store", seed_url(seed_ledger)).out)["digest"]
    assert cli("export", "--proof", "--store", other).out.encode() == first
    assert cli("export", "--store", other).out.encode() == b"".join(seed_ledger.export_lines())
    assert len(first.splitlines()) == len(SEEDS.read_text().splitlines())


def test_a_plain_import_of_an_export_takes_the_ledgers_own_record_times(seed_ledger, tmp_path, cli):
    dump = tmp_path / "dump.jsonl"
    dump.write_bytes(b"".join(seed_ledger.export_lines()))
    other = str(tmp_path / "other.db")
    r = cli("import", str(dump), "--store", other, "--json")
    assert json.loads(r.out) == {"imported": N_SEEDS, "skipped": 0, "recorded_at_replaced": N_SEEDS}
    from amity.ledger.app import Ledger

    before = {json.loads(line)["id"]: json.loads(line)["recorded_at"] for line in dump.read_text().splitlines()}
    after = {json.loads(line)["id"]: json.loads(line)["recorded_at"] for line in Ledger(other).export_lines()}
    assert before.keys() == after.keys() and all(after[k] >= before[k] for k in before)


def test_importing_the_same_file_twice_is_a_no_op(store, cli):
    assert json.loads(cli("import", str(SEEDS), "--store", store, "--json").out)["skipped"] == 0
    again = json.loads(cli("import", str(SEEDS), "--store", store, "--json").out)
    assert again == {"imported": 0, "skipped": len(SEEDS.read_text().splitlines())}


def test_a_bad_line_is_reported_with_file_line_and_field_and_nothing_is_stored(store, tmp_path, cli):
    lines = SEEDS.read_text().splitlines()
    bad = json.loads(lines[2])
    bad["tier"] = "bestie"
    lines[2] = json.dumps(bad)
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    r = cli("import", str(path), "--store", store)
    assert r.code == 1
    assert r.err.count("\n") == 1 and f"{path}:3:" in r.err and "'tier'" in r.err
    assert "Traceback" not in r.err
    assert cli("export", "--store", store).out == ""


def test_dry_run_checks_everything_and_writes_nothing(store, cli):
    r = cli("import", str(SEEDS), "--store", store, "--dry-run", "--json")
    assert json.loads(r.out)["imported"] == len(SEEDS.read_text().splitlines())
    assert cli("export", "--store", store).out == ""


def test_dry_run_json_lists_every_problem(store, tmp_path, cli):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"type": "MoUSigned"}\nnot json\n{"type": "Nope"}\n')
    r = cli("import", str(path), "--store", store, "--dry-run", "--json")
    assert r.code == 1
    problems = json.loads(r.out)["problems"]
    assert [p.split(":")[1] for p in problems] == ["2"] or len(problems) >= 1


def test_every_line_problem_is_found_before_anything_is_written(ledger):
    from amity.ledger.errors import ImportProblems

    good = {"type": "MoUSigned", "cities": ["Kyoto, JP", "Paris, FR"], "date": "1958", "tier": "friendship", "source": {"title": "t"}}
    with pytest.raises(ImportProblems) as exc:
        ledger.import_events([(1, good), (2, {**good, "tier": "x"}), (3, {**good, "cities": ["Valencia", "Paris, FR"]})], where="f")
    assert [p.split(":")[1] for p in exc.value.problems] == ["2", "3"]
    assert b"".join(ledger.export_lines()) == b""


def test_a_stored_id_with_different_content_is_an_error(ledger):
    from amity.ledger.errors import ConflictingId

    good = {"type": "MoUSigned", "cities": ["Kyoto, JP", "Paris, FR"], "date": "1958", "tier": "friendship", "source": {"title": "t"}}
    fact, _ = ledger.record(good)
    with pytest.raises(ConflictingId):
        ledger.record({**good, "id": str(fact.id), "note": "changed"})
    assert ledger.record({**good, "id": str(fact.id)})[1] is False


def test_ids_are_derived_from_the_normalised_content(ledger):
    """The same fact written with other spellings of the places and keys in another order has one id."""
    a = {"type": "MoUSigned", "cities": ["Teheran", "Seoul, KR"], "date": "2014", "tier": "friendship", "source": {"title": "t", "url": None}}
    b = {"source": {"title": "t"}, "tier": "friendship", "instrument": "mou", "date": "2014", "cities": ["Seoul", "Tehran, IR"], "type": "MoUSigned"}
    fa, new_a = ledger.record(a)
    fb, new_b = ledger.record(b)
    assert new_a and not new_b and fa.id == fb.id


def test_a_utf8_bom_and_blank_lines_are_tolerated(store, tmp_path, cli):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + SEEDS.read_bytes().replace(b"\n", b"\n\n", 3))
    r = cli("import", str(path), "--store", store, "--json")
    plain = cli("import", str(SEEDS), "--store", str(tmp_path / "plain.db"), "--json")
    assert r.code == 0 and plain.code == 0, r.err
    assert json.loads(r.out) == json.loads(plain.out) and json.loads(r.out)["imported"] > 0  # every line, BOM or not


def test_an_empty_file_imports_nothing_and_succeeds(store, tmp_path, cli):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    r = cli("import", str(path), "--store", store, "--json")
    assert r.code == 0 and json.loads(r.out) == {"imported": 0, "skipped": 0}


def test_import_reads_stdin(store, cli):
    r = cli("import", "-", "--store", store, "--json", stdin=SEEDS.read_bytes())
    assert json.loads(r.out)["imported"] == len(SEEDS.read_text().splitlines())


def test_places_not_in_the_seeds_import(store, tmp_path, cli):
    path = tmp_path / "other.jsonl"
    rows = [
        {"type": "PlaceRegistered", "place": "Jung-gu, Seoul, KR", "kind": "district", "source": {"title": "test fixture"}},
        {"type": "MoUSigned", "cities": ["Jung-gu, Seoul, KR", "Syracuse, New York, US"], "date": "2001-05", "tier": "friendship", "source": {"title": "test fixture"}},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert cli("import", str(path), "--store", store).code == 0
    h = json.loads(cli("history", "Jung-gu, Seoul, KR", "Syracuse, NY, US", "--store", store, "--json").out)
    assert h["cities"] == ["Jung-gu, Seoul, KR", "Syracuse, New York, US"] and len(h["events"]) == 1


def test_a_file_is_checked_as_a_whole_whatever_the_order_of_its_lines(ledger):
    """A restoration listed before the suspension it follows is fine within one file."""
    base = {"cities": ["Kyoto, JP", "Paris, FR"], "source": {"title": "t"}}
    ledger.record({**base, "type": "MoUSigned", "date": "1951", "tier": "friendship"})
    ledger.record({**base, "type": "RelationshipSuspended", "date": "1956"})
    lines = [{**base, "type": "RelationshipRestored", "date": "1953"}, {**base, "type": "RelationshipSuspended", "date": "1952"}]
    from amity.ledger.errors import RuleViolation

    for line in lines:  # one at a time, each is refused: the other is missing
        with pytest.raises(RuleViolation):
            ledger.record(line)
    assert ledger.import_events(list(enumerate(lines, 1))).imported == 2


def test_copy_between_stores_keeps_ids_record_times_actors_and_the_digest(seed_ledger, tmp_path, cli):
    from tests.conftest import new_store

    source = seed_url(seed_ledger)
    kept = json.loads(cli("digest", "--store", source).out)
    for kind in ("sqlite", "postgresql"):
        target = new_store(kind, str(tmp_path), role="owner")  # moving a ledger in is its owner's job
        r = cli("copy", "--from", source, "--to", target, "--json")
        assert r.code == 0, r.err
        assert json.loads(r.out) == {"copied": N_SEEDS, "verified": True, **kept}
        assert cli("export", "--store", target).out.encode() == b"".join(seed_ledger.export_lines())
        check = cli("verify", "--store", target, "--digest", kept["digest"], "--position", str(kept["position"]), "--json")
        assert check.code == 0, check.err
        assert [(m["source"], m["first_seq"], m["last_seq"]) for m in json.loads(check.out)["moves"]] == [(source, 1, N_SEEDS)]
        again = cli("copy", "--from", source, "--to", target)
        assert again.code == 1 and "already holds events" in again.err


def seed_url(ledger) -> str:
    url = ledger.url
    return url.path if url.kind == "sqlite" else f"postgresql://{url.user}@{url.host}:{url.port}/{url.dbname}?schema={url.schema}"


def test_a_large_file_is_one_transaction_on_either_store(store):
    """Thousands of events in one import (several write chunks) land together and export back."""
    import sys

    from amity.ledger.app import Ledger
    from tests.conftest import ROOT

    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    lines = generate.generate(5000, 3, __import__("datetime").date(2026, 11, 23))
    ledger = Ledger(store)
    summary = ledger.import_events(list(enumerate(lines, 1)), where="generated")
    assert summary.imported == len(lines) > 4000
    assert len(list(ledger.export_lines())) == len(lines)
    ledger.close()
