"""The README's tour runs, and the benchmark scripts run at a small size (never timed here)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from tests.conftest import ROOT


def test_the_readme_tour_commands_run(tmp_path, cli):
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^\$ amity (.+?)(?:\s+#.*)?$", readme, flags=re.M)
    assert len(commands) >= 6
    store = str(tmp_path / "tour.db")
    ran = 0
    for command in commands:
        args, _, redirect = command.partition(" > ")
        if "<id>" in args:
            continue
        argv = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', args)]
        argv = [str(ROOT / a) if (ROOT / a).is_file() else str(tmp_path / a) if a.endswith((".jsonl", ".db", ".ics")) else a for a in argv]
        r = cli(*argv, *([] if "--store" in argv else ["--store", store]))
        assert r.code == 0, (command, r.err)
        if redirect:
            (tmp_path / redirect.split()[0]).write_text(r.out)
        ran += 1
    assert ran >= 6


def test_the_benchmark_runs_at_a_small_size(tmp_path):
    out = tmp_path / "results.json"
    env = {**os.environ, "AMITY_TODAY": "2026-11-23"}
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--events", "2k", "--repeats", "2", "--out", str(out)],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    results = json.loads(out.read_text())
    assert results["events"] > 1500 and results["rebuild_events_per_s"] > 0 and results["partnerships"] > 10
    assert results["verify_ok"] == "True" and results["import_peak_rss_mb"] > 0
    for key in ("import_ratio_to_a", "import_ratio_to_b", "catch_up_last_1pct_events_per_s", "cli_status_all_as_of_ms", "anniversaries_year_2025_ms"):
        assert results[key] > 0, key


def test_the_generator_is_deterministic_and_writes_places_several_ways(tmp_path):
    def generated() -> bytes:
        return subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--events", "3k"], capture_output=True, check=True,
                              env={**os.environ, "AMITY_TODAY": "2026-11-23"}, timeout=120).stdout

    first = generated()
    assert first == generated()
    lines = [json.loads(x) for x in first.splitlines()]
    names = {c for line in lines for c in line.get("cities", ())}
    assert any(n.count(",") == 0 for n in names)  # a bare name ("Shanghai")
    assert any(n.count(",") == 1 for n in names)  # "Name, CC"
    assert {line["type"] for line in lines} >= {"MoUSigned", "EventCorrected", "EventRetracted"}
    assert all(line.get("date", "2026") <= "2026" for line in lines)
