"""Hostile input: every bad file is refused whole with one line naming the file, the line and the fault;
the ledger stays byte-for-byte the same and its hash chain still verifies."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SEEDS, import_killed

CORPUS = ROOT / "tests" / "corpus"
EXPECTED = {k: v for k, v in json.loads((CORPUS / "expected.json").read_text()).items() if not v.get("accepted")}


def snapshot(cli, store) -> str:
    return cli("export", "--store", store).out


def assert_untouched(cli, store, before):
    assert snapshot(cli, store) == before
    assert cli("verify", "--store", store).code == 0


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_is_refused_whole_with_one_line(seed_ledger, store, cli, name):
    before = snapshot(cli, store)
    path = CORPUS / name
    r = cli("import", str(path), "--store", store)
    assert r.code == 1
    assert r.err.count("\n") == 1 and r.err.startswith("amity: error: ")
    assert f"{path}:{EXPECTED[name]['line']}:" in r.err, r.err
    assert EXPECTED[name]["says"] in r.err, r.err
    assert "Traceback" not in r.err + r.out and "internal error" not in r.err
    assert_untouched(cli, store, before)


def test_a_line_of_ten_megabytes_is_refused(seed_ledger, store, cli, tmp_path):
    path = tmp_path / "huge.jsonl"
    good = json.dumps({"type": "CommemorationHeld", "cities": ["Kyoto, JP", "Paris, FR"], "date": "2000", "source": {"title": "t"}})
    huge = json.dumps({"type": "CommemorationHeld", "cities": ["Kyoto, JP", "Paris, FR"], "date": "2001", "source": {"title": "t"}, "note": "x" * 10_000_000})
    path.write_text(good + "\n" + huge + "\n")
    before = snapshot(cli, store)
    r = cli("import", str(path), "--store", store)
    assert r.code == 1 and f"{path}:2:" in r.err and "at most" in r.err
    assert_untouched(cli, store, before)


def test_a_bad_record_option_writes_nothing(seed_ledger, store, cli):
    before = snapshot(cli, store)
    r = cli("record", "MoUSigned", "--cities", "Kyoto", "Paris", "--date", "2025-02-30", "--tier", "sister", "--source-title", "t", "--store", store)
    assert r.code == 1 and "'date'" in r.err
    assert_untouched(cli, store, before)


# ---- fuzzing -----------------------------------------------------------------------------

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3), max_leaves=8)
FIELDS = ["type", "cities", "date", "source", "tier", "to_tier", "instrument", "id", "recorded_at", "people", "target", "changes", "visit"]
VALID = {"type": "MoUSigned", "cities": ["Kyoto, JP", "Paris, FR"], "date": "1958", "tier": "friendship", "source": {"title": "fuzz"}}


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory):
    from amity.ledger.app import Ledger

    path = str(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    Ledger(path).close()
    return path


def check_import(cli, store, data: bytes, tmp_path) -> None:
    before = snapshot(cli, store)
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(data)
    r = cli("import", str(path), "--store", store, "--json")
    assert r.code in (0, 1), r.err
    assert "Traceback" not in r.err and "internal error" not in r.err, r.err
    after = snapshot(cli, store)
    if r.code == 1:
        assert r.err.count("\n") == 1
        assert after == before  # all or nothing
    else:
        summary = json.loads(r.out)
        assert len(after.splitlines()) == len(before.splitlines()) + summary["imported"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=JSON)
def test_fuzz_a_field_of_a_valid_event_with_any_json(fuzz_store, cli, tmp_path, field, value):
    line = {**VALID, field: value}
    check_import(cli, fuzz_store, json.dumps(line).encode() + b"\n", tmp_path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.binary(max_size=60) | JSON.map(lambda v: json.dumps(v).encode()), max_size=4))
def test_fuzz_lines_of_random_bytes_and_values(fuzz_store, cli, tmp_path, lines):
    check_import(cli, fuzz_store, b"\n".join(x.replace(b"\n", b" ") for x in lines), tmp_path)


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=15)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["MoUSigned", "RelationshipElevated", "VisitStarted", "Bogus", ""]), a=TEXT, b=TEXT, date=TEXT, tier=TEXT, title=TEXT)
def test_fuzz_record_options(fuzz_store, cli, kind, a, b, date, tier, title):
    before = snapshot(cli, fuzz_store)
    r = cli("record", kind, "--cities", a, b, "--date", date, "--tier", tier, "--source-title", title, "--store", fuzz_store)
    assert r.code in (0, 1, 2) and "Traceback" not in r.err and "internal error" not in r.err, r.err
    if r.code:
        assert r.err.count("\n") == 1 and snapshot(cli, fuzz_store) == before


# ---- crashes, concurrency, read-only and full stores -------------------------------------

def generated(tmp_path, n: int, seed: int):
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    from datetime import date

    lines = generate.generate(n, seed, date(2026, 11, 23))
    path = tmp_path / f"world-{seed}.jsonl"
    path.write_bytes(b"".join(json.dumps(x).encode() + b"\n" for x in lines))
    return path, len(lines)


AMITY = [sys.executable, "-c", "from amity.cli.main import run; run()"]


def test_an_import_killed_at_random_moments_leaves_none_or_all_and_completes_once(tmp_path, cli):
    path, n = generated(tmp_path, 6000, 11)
    store = str(tmp_path / "crash.db")
    env = {**os.environ, "AMITY_TODAY": "2026-11-23"}
    kill_points, outcomes = [], []
    for delay in import_killed(path, store, tmp_path, (0.35, 0.45, 0.5, 0.55, 0.6, 0.7)):
        kill_points.append(delay)
        count = len(cli("export", "--store", store).out.splitlines())
        assert count in (0, n), f"killed after {delay}s: {count} of {n} events stored"
        assert not os.path.exists(store) or cli("verify", "--store", store).code == 0  # killed before it made the store: nothing to check
        if count:  # the views catch up on the next command
            assert sum(r["events"] for r in json.loads(cli("status", "--store", store, "--json").out)) > 0
        outcomes.append(count)
    r = subprocess.run([*AMITY, "import", str(path), "--store", store, "--json"], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["imported"] + summary["skipped"] == n
    assert len(cli("export", "--store", store).out.splitlines()) == n  # exactly once
    print(f"\nkill points {kill_points}: stored after each kill {outcomes}; final import {summary}")


def test_two_processes_importing_into_one_sqlite_file_lose_nothing(tmp_path, cli):
    """Two files about different partnerships (one generated world split in two) go in at the same time."""
    from amity.ledger.gazetteer import Gazetteer

    world, _ = generated(tmp_path, 5000, 21)
    pair_of, halves, gaz = {}, ([], []), Gazetteer()
    for raw in world.read_text().splitlines():
        line = json.loads(raw)  # places may be written several ways: split by the places they resolve to
        if "cities" in line:
            pair = tuple(sorted(gaz.resolve(c).id for c in line["cities"]))
        elif "network" in line:  # a network's facts name it by its short name (its registration by both)
            pair = ("network", line.get("short") or line["network"])
        else:
            pair = pair_of[line["target"]]
        pair_of[line["id"]] = pair
        halves[hash(pair) % 2].append(raw)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("\n".join(halves[0]) + "\n")
    b.write_text("\n".join(halves[1]) + "\n")
    na, nb = len(halves[0]), len(halves[1])
    store = str(tmp_path / "two.db")
    env = {**os.environ, "AMITY_TODAY": "2026-11-23"}
    procs = [subprocess.Popen([*AMITY, "import", str(p), "--store", store], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for p in (a, b)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for code, err in results:
        assert code == 0 or ("busy" in err and err.count("\n") == 1), err
    stored = len(cli("export", "--store", store).out.splitlines())
    expected = sum(n for (code, _), n in zip(results, (na, nb)) if code == 0)
    assert stored == expected and cli("verify", "--store", store).code == 0


def test_a_read_only_store_gives_a_clear_message(tmp_path, cli):
    """Opened read-only through SQLite's mode=ro URI (tests run as root, where file modes do not stop writes)."""
    store = str(tmp_path / "ro.db")
    assert cli("import", str(SEEDS), "--store", store).code == 0
    ro = f"file:{store}?mode=ro"
    assert cli("history", "Seoul", "Tashkent", "--store", ro).code == 0
    r = cli("record", "CommemorationHeld", "--cities", "Seoul", "Tashkent", "--date", "2026", "--source-title", "t", "--store", ro)
    assert r.code == 1 and "readonly" in r.err.replace("read-only", "readonly") and r.err.count("\n") == 1


def _limit_file_size():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))


def test_a_full_disk_gives_a_clear_message_and_keeps_what_was_stored(tmp_path, cli):
    store = str(tmp_path / "full.db")
    assert cli("import", str(SEEDS), "--store", store).code == 0
    before = cli("export", "--store", store).out
    path, _ = generated(tmp_path, 3000, 31)
    env = {**os.environ, "AMITY_TODAY": "2026-11-23"}
    r = subprocess.run([*AMITY, "import", str(path), "--store", store], env=env, capture_output=True, text=True, timeout=300, preexec_fn=_limit_file_size)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "full" in r.stderr.lower(), r.stderr
    assert cli("export", "--store", store).out == before and cli("verify", "--store", store).code == 0
