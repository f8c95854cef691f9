"""The README's tour runs, and the benchmark scripts run at a small size (never timed here)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from tests.conftest import ROOT


def test_the_readme_tour_runs_as_written_in_a_shell(tmp_path):
    """Every `$ ` line of the tour, in one bash session, as a reader would type them (today's real clock:
    the tour's --as-known-at instant comes from the ledger, so it works on any day)."""
    readme = (ROOT / "README.md").read_text()
    tour = readme[readme.index("## A short tour"):readme.index("## How Amity reasons")]
    commands = re.findall(r"^\$ (.+)$", tour, flags=re.M)
    assert len(commands) >= 12
    (tmp_path / "data").symlink_to(ROOT / "data")
    script = ["set -e"] + [f"echo '@@@ {i}'\n{c}" for i, c in enumerate(commands)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMITY_") and k != "COLUMNS"}
    env["PATH"] = f"{os.path.dirname(sys.executable)}:{env.get('PATH', '')}"
    r = subprocess.run(["bash", "-c", "\n".join(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr)
    out = dict(re.findall(r"^@@@ (\d+)\n(.*?)(?=^@@@ |\Z)", r.stdout, flags=re.M | re.S))
    known_at = next(i for i, c in enumerate(commands) if "--as-known-at" in c)
    assert "Tashkent" in out[str(known_at)] and "2010-05" not in out[str(known_at)]  # before the correction
    assert "2010-05" in out[str(known_at + 1)]  # after it
    assert "date: 2010 →" in out[str(known_at + 2)]  # audit says what changed


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


def test_the_cli_timing_bench_runs(tmp_path):
    out = tmp_path / "cli_timing.json"
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "cli_timing.py"), "--runs", "1", "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    results = json.loads(out.read_text())["results"]["amity"]
    assert set(results) == {"amity --help", "amity status Seoul", "amity history Seoul Tashkent"}
    assert all(v["median_ms"] > 0 for v in results.values())


def test_the_readme_links_to_nothing_outside_the_repository():
    readme = (ROOT / "README.md").read_text()
    assert "../shared" not in readme and "docs/format.md" in readme
    assert (ROOT / "docs" / "format.md").exists()
