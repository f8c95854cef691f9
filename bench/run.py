"""Benchmark: import, view rebuild and query latency on a generated ledger; prints one table.

    python bench/run.py --events 100k [--repeats 20] [--store /tmp/bench.db]

Figures are medians of ``--repeats`` runs, in-process. Machines here are shared and noisy: compare
figures from one run only. Writes ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

os.environ.setdefault("AMITY_TODAY", "2026-11-23")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="10k")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--store", default=None, help="a SQLite path (default: a temporary file) or postgresql://… (a fresh schema is made and dropped)")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "results.json"))
    args = parser.parse_args()

    from amity.ledger.app import Ledger
    from amity.projections.history import history_rows
    from amity.projections.reader import Reader

    total = generate.parse_size(args.events)
    lines = generate.generate(total, 7, date(2026, 11, 23))
    store = args.store or tempfile.mktemp(suffix=".db", prefix="amity-bench-")
    drop_schema = None
    if store.startswith("postgresql://") and "schema=" not in store:
        drop_schema = f"amity_bench_{os.getpid()}"
        store = f"{store}?schema={drop_schema}"
    results: dict[str, float | int | str] = {"events": len(lines), "store": store.split("?")[0] if "://" in store else "sqlite"}

    if not store.startswith("postgresql://"):
        import baselines

        results["baseline_a_raw_executemany_events_per_s"] = round(baselines.raw_executemany(lines))
        results["baseline_b_library_default_events_per_s"] = round(baselines.library_default(lines))

    ledger = Ledger(store)
    t = time.perf_counter()
    ledger.import_events(list(enumerate(lines, 1)), where="generated")
    results["import_events_per_s"] = round(len(lines) / (time.perf_counter() - t))
    if "baseline_a_raw_executemany_events_per_s" in results:
        results["import_ratio_to_a"] = round(results["import_events_per_s"] / results["baseline_a_raw_executemany_events_per_s"], 3)
        results["import_ratio_to_b"] = round(results["import_events_per_s"] / results["baseline_b_library_default_events_per_s"], 2)
    reader = Reader(ledger)
    t = time.perf_counter()
    reader.catch_up()
    results["catch_up_events_per_s"] = round(len(lines) / (time.perf_counter() - t))
    results["import_peak_rss_mb"] = round(peak_rss_mb())

    t = time.perf_counter()
    n = reader.rebuild()
    results["rebuild_events_per_s"] = round(n / (time.perf_counter() - t))

    counts = Counter(c for line in lines if "cities" in line for c in line["cities"])
    busiest = counts.most_common(1)[0][0]
    pairs = Counter(tuple(sorted(line["cities"])) for line in lines if "cities" in line)
    busiest_pair = pairs.most_common(1)[0][0]
    day = date(2000, 1, 1)
    results["busiest_place"] = busiest
    results["status_one_place_as_of_ms"] = round(median_ms(lambda: reader.status(place=busiest, as_of=day), args.repeats), 2)
    results["status_all_as_of_ms"] = round(median_ms(lambda: reader.status(as_of=day), args.repeats), 2)
    results["status_all_today_ms"] = round(median_ms(lambda: reader.status(), args.repeats), 2)
    stream_id, _ = ledger.pair(*busiest_pair)
    results["history_busiest_pair_ms"] = round(median_ms(lambda: history_rows(ledger.stream(stream_id)), args.repeats), 2)
    results["partnerships"] = len(reader.status())

    import tracemalloc

    from amity.ledger.integrity import PAGE, Verifier

    def read_only() -> int:
        last, n = 0, 0
        while page := ledger.recorder.chain_page(last, PAGE):
            n, last = n + len(page), page[-1]["seq"]
        return n

    t = time.perf_counter()
    rows = read_only()
    results["baseline_read_chain_rows_per_s"] = round(rows / (time.perf_counter() - t))
    tracemalloc.start()
    t = time.perf_counter()
    report = Verifier(ledger.recorder).run()
    seconds = time.perf_counter() - t
    results["verify_events_per_s"] = round(report["events"] / seconds)
    results["verify_ok"] = str(report["ok"])
    results["verify_peak_python_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    tracemalloc.stop()
    results["verify_ratio_to_baseline"] = round(results["verify_events_per_s"] / results["baseline_read_chain_rows_per_s"], 2)
    results["peak_rss_mb"] = round(peak_rss_mb())

    width = max(len(k) for k in results)
    for k, v in results.items():
        print(f"{k:<{width}}  {v}")
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    ledger.close()
    if not args.store:
        for suffix in ("", "-wal", "-shm"):
            Path(store + suffix).unlink(missing_ok=True)
    if drop_schema:
        import psycopg

        with psycopg.connect(store.split("?")[0], autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{drop_schema}" CASCADE')


if __name__ == "__main__":
    main()
