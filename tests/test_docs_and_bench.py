"""The README's tour runs, and the benchmark scripts run at a small size (never timed here)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from tests.conftest import N_SEEDS, ROOT, SEEDS


def test_the_readme_tour_runs_as_written_in_a_shell(tmp_path):
    """Every `$ ` line of the tour, in one bash session, as a reader would type them, printing what the
    README shows (the tour sets AMITY_TODAY itself; its --as-known-at instant comes from the ledger)."""
    readme = (ROOT / "README.md").read_text()
    tour = readme[readme.index("## A short tour"):readme.index("## How Amity reasons")]
    tour = tour[tour.index("```console"):tour.index("```", tour.index("```console") + 3)]
    steps = re.findall(r"^\$ (.+)\n((?:(?!\$ ).*\n)*)", tour, flags=re.M)
    commands = [c for c, _ in steps]
    assert len(commands) >= 12
    (tmp_path / "data").symlink_to(ROOT / "data")
    script = ["set -e"] + [f"echo '@@@ {i}'\n{c}" for i, c in enumerate(commands)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMITY_") and k != "COLUMNS"}
    env["PATH"] = f"{os.path.dirname(sys.executable)}:{env.get('PATH', '')}"
    r = subprocess.run(["bash", "-c", "\n".join(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr)
    out = dict(re.findall(r"^@@@ (\d+)\n(.*?)(?=^@@@ |\Z)", r.stdout, flags=re.M | re.S))
    step = {c.split("#")[0].strip(): out[str(i)] for i, c in enumerate(commands)}
    for i, (command, shown) in enumerate(steps):  # what the README shows is printed, line for line (record times aside)
        printed = [line.rstrip() for line in out[str(i)].splitlines()]
        for line in shown.splitlines():
            if line.strip() != "…" and not re.search(r"\d\d:\d\d|\d{4}-\d\d-\d\d  |b5854dba", line) and "audit" not in command:
                assert line.rstrip() in printed, (command, line, printed)
    assert step["amity import data/seeds.jsonl"] == f"imported {N_SEEDS}, skipped 0 already on file\n"
    history = step["amity history Seoul Tashkent"]
    assert history.startswith("Seoul, KR – Tashkent, UZ\n") and "e2f7f2e8" in history and "12e2d6f3" in history  # ids derived from content
    rows = json.loads(step["amity status Seoul --json"])
    assert {" – ".join(row["cities"]): (row["status"], row["tier"], row["since"]) for row in rows}["Seoul, KR – Tashkent, UZ"] == ("active", "sister", "2010")
    known_at = next(i for i, c in enumerate(commands) if "--as-known-at" in c)
    assert "Tashkent" in out[str(known_at)] and "2010-05" not in out[str(known_at)]  # before the correction
    assert "2010-05" in out[str(known_at + 1)]  # after it
    audit = out[str(known_at + 2)]
    assert "date: 2010 →" in audit and "c6728a2e" in audit and "desk@seoul" in audit and audit.count("EventCorrected") == 1
    calendar = (tmp_path / "anniversaries.ics").read_text()
    assert calendar.startswith("BEGIN:VCALENDAR") and calendar.count("BEGIN:VEVENT") >= 2
    total = N_SEEDS + 1  # the seeds and the tour's correction
    assert len((tmp_path / "events.jsonl").read_text().splitlines()) == total
    assert len((tmp_path / "backup.jsonl").read_text().splitlines()) >= total
    digest = json.loads(step["amity digest"])
    assert digest["position"] == total
    assert step["amity verify"] == f"ok: {total} events, chain intact; views match a rebuild\n"
    assert step["amity import --restore backup.jsonl --store restored.db"] == f"restored {total} events; chain verified; digest at position {total}: {digest['digest']}\n"


def test_the_benchmark_runs_at_a_small_size(tmp_path):
    out = tmp_path / "results.json"
    env = {**os.environ, "AMITY_TODAY": "2026-11-23"}
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--events", "2k", "--repeats", "2", "--out", str(out)],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    results = json.loads(out.read_text())
    assert results["events"] > 1500 and results["rebuild_events_per_s"] > 0 and results["partnerships"] > 10
    assert results["verify_ok"] == "True" and results["import_peak_rss_mb"] > 0
    for key in ("import_ratio_to_a", "import_ratio_to_b", "catch_up_last_1pct_events_per_s", "cli_status_all_as_of_ms", "anniversaries_year_2025_ms",
                "catch_up_last_1pct_work_ratio_to_rebuild", "catch_up_1ev_work_events_per_s", "catch_up_50pct_ratio_to_rebuild"):
        assert results[key] > 0, key
    assert results["catch_up_1ev_tail_events"] == 1 and results["catch_up_50pct_work_events"] >= results["catch_up_50pct_tail_events"]
    assert {results[f"catch_up_{t}_views"] for t in ("1ev", "10pct", "50pct")} == {"match"}  # each catch-up equals a rebuild


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


def test_the_verify_costs_bench_runs_and_leaves_the_store_as_it_was(tmp_path, cli):
    store = str(tmp_path / "seeds.db")
    assert cli("import", str(SEEDS), "--store", store).code == 0
    before = cli("export", "--proof", "--store", store).out
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "verify_costs.py"), "--store", store, "--rows", "1000"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    figures = json.loads(r.stdout.splitlines()[-1])
    assert figures["rows"] == N_SEEDS and set(figures["us_per_row"]) == {"read", "decode", "content_hash", "link_hash", "validate"}
    assert cli("export", "--proof", "--store", store).out == before


def test_the_readme_links_to_nothing_outside_the_repository():
    readme = (ROOT / "README.md").read_text()
    assert "../shared" not in readme and "docs/format.md" in readme
    assert (ROOT / "docs" / "format.md").exists()
