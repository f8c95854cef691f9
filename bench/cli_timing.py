"""CLI start-to-finish timings on the demo store: `amity --help`, `status PLACE`, `history A B`.

Imports ``data/seeds.jsonl`` into a fresh store in a temporary folder (one per build), runs each command once to warm
the gazetteer's index (built once per machine) and to cache bytecode, then ``--runs`` times (default 10), each a
new process, and prints the median and the fastest run. Python caches the bytecode of what it imports, as on a user's
machine (pip compiles the dependencies' at install; Amity's own is written on first run), even where the shell says
``PYTHONDONTWRITEBYTECODE``; ``--no-bytecode-cache`` times every run compiling Amity's modules from source
instead. Writes ``bench/cli_timing.json`` (``--out``). The machine is shared: read a figure against the others of
the same run.

    python bench/cli_timing.py [--runs 10] [--out bench/cli_timing.json] [--baseline "python /path/to/old/amity"]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMMANDS = {
    "amity --help": ["--help"],
    "amity status Seoul": ["status", "Seoul"],
    "amity history Seoul Tashkent": ["history", "Seoul", "Tashkent"],
}


def timed(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True)
        out.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode().strip()}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--out", default=str(HERE / "cli_timing.json"))
    parser.add_argument("--amity", default=f"{sys.executable} -m amity.cli", help="the command to time (another build, say)")
    parser.add_argument("--baseline", help="another build's command, timed in turn with this one (same load)")
    parser.add_argument("--no-bytecode-cache", action="store_true", help="compile Amity's modules on every run (PYTHONDONTWRITEBYTECODE=1)")
    args = parser.parse_args()
    builds = {"amity": args.amity.split(), **({"baseline": args.baseline.split()} if args.baseline else {})}
    with tempfile.TemporaryDirectory() as tmp:
        base = {**os.environ, "AMITY_TODAY": "2026-11-23"}
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        if args.no_bytecode_cache:
            base["PYTHONDONTWRITEBYTECODE"] = "1"
        envs = {}  # each build its own store, imported by itself: builds may lay their views out differently
        for name, cmd in builds.items():
            envs[name] = {**base, "AMITY_STORE": os.path.join(tmp, f"demo-{name}.db")}
            subprocess.run([*cmd, "import", str(HERE.parent / "data" / "seeds.jsonl")], env=envs[name], check=True, capture_output=True)
        results: dict = {name: {} for name in builds}
        for label, argv in COMMANDS.items():
            runs: dict = {name: [] for name in builds}
            for name, cmd in builds.items():
                timed([*cmd, *argv], envs[name], 1)  # warm: the index exists, the OS caches the files
            for _ in range(args.runs):
                for name, cmd in builds.items():  # in turn, so that both see the same load
                    runs[name] += timed([*cmd, *argv], envs[name], 1)
            for name in builds:
                results[name][label] = {"median_ms": round(statistics.median(runs[name]) * 1000, 1),
                                        "min_ms": round(min(runs[name]) * 1000, 1), "runs": args.runs}
                print(f"{name:9} {label:30} median {results[name][label]['median_ms']:7.1f} ms   "
                      f"fastest {results[name][label]['min_ms']:7.1f} ms")
    doc = {"what": "CLI end to end on the demo store (data/seeds.jsonl), each run a new process",
           "bytecode": "compiled on every run" if args.no_bytecode_cache else "cached (as on a user's machine)",
           "python": sys.version.split()[0], "cpus": os.cpu_count(), "load_average": os.getloadavg(), "builds": {k: " ".join(v) for k, v in builds.items()}, "results": results}
    Path(args.out).write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()
