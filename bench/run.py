"""Benchmark: the world ledger imported, projected and queried, against the storage's own limit.

    python bench/run.py --events 1M [--repeats 20] [--store postgresql://…]

One run, one table (also written to ``bench/results.json``):

* baselines, same rows, same run: (a) raw ``sqlite3`` ``executemany`` in one transaction into a plain
  table (the storage's limit); (b) the ``eventsourcing`` library's default path (one ``save`` per
  aggregate, its JSON transcoder);
* ``amity import`` of 99% of the file (a subprocess: validated, stored, hash-chained, views current),
  then the last 1% imported without the views and an incremental ``catch_up``; a full ``amity
  rebuild``; peak RSS of each of those processes; then catch-ups of other tails (``--tails``, each on a
  store of its own: ``bench/catchup.py``), as tail events per second and as events of the touched streams
  (the work: catch-up refolds each touched stream whole) per second, with their ratios to the rebuild;
* query latency, medians of ``--repeats`` runs, in-process and through the CLI (each CLI run is a
  fresh process: start-up, store opening and the query; after one run not counted, with Python's bytecode
  cached as on a user's machine, even where the shell sets ``PYTHONDONTWRITEBYTECODE``);
* ``verify`` throughput against reading the same rows without checking them (the same query and pages), medians
  of alternate runs; its peak Python memory in a run of its own; the CLI's ``verify --no-views`` and ``verify``.

Machines here are shared and noisy: compare figures from one run only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

os.environ.setdefault("AMITY_TODAY", "2026-11-23")
HERE = Path(__file__).resolve().parent

from runner import AMITY, child, cli_ms, median_ms  # bench/: how the bench runs and times things

VERIFY_RUNS = 3  # verify and its baseline, measured alternately (medians)


def split(path: str, total: int, workdir: str) -> tuple[str, str, int, int]:
    """The file's first 99% and last 1% (at least one line) as two files."""
    head, tail = os.path.join(workdir, "head.jsonl"), os.path.join(workdir, "tail.jsonl")
    cut = total - max(1, total // 100)
    with open(path, "rb") as src, open(head, "wb") as h, open(tail, "wb") as t:
        for n, line in enumerate(src):
            (h if n < cut else t).write(line)
    return head, tail, cut, total - cut


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="10k", help="2k, 10k, 100k or 1M (or a number)")
    parser.add_argument("--repeats", type=int, default=20, help="runs per latency figure (median)")
    parser.add_argument("--store", default=None, help="a SQLite path (default: a temporary file) or postgresql://… (a fresh schema is made and dropped)")
    parser.add_argument("--tails", default="1,10%,50%", help="more catch-ups (bench/catchup.py): tail sizes, events or %% of the file; '' for none")
    parser.add_argument("--out", default=str(HERE / "results.json"))
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="amity-bench-")
    world = os.path.join(workdir, "world.jsonl")
    with open(world, "wb") as fh:
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--events", args.events], stdout=fh, check=True)
    lines = sum(1 for _ in open(world, "rb"))
    store = args.store or os.path.join(workdir, "bench.db")
    drop_schema = None
    if store.startswith("postgresql://") and "schema=" not in store:
        drop_schema = f"amity_bench_{os.getpid()}"
        store = f"{store}?schema={drop_schema}"
    results: dict[str, float | int | str] = {
        "events": lines, "store": "postgresql" if "://" in store else "sqlite",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}",
    }

    # -- baselines, the same rows ------------------------------------------------------------
    if not store.startswith("postgresql://"):
        for key, name in (("baseline_a_raw_executemany_events_per_s", "raw_executemany"), ("baseline_b_library_default_events_per_s", "library_default")):
            _, rss, out = child([str(HERE / "baselines.py"), name, world])
            results[key] = round(float(out))
    else:  # PostgreSQL: COPY of the same rows is the storage's limit
        _, rss, out = child([str(HERE / "baselines.py"), "raw_copy", world, store])
        results["baseline_a_raw_copy_events_per_s"] = round(float(out))

    # -- import (99%), incremental catch-up (1%), rebuild ----------------------------------------
    head, tail, n_head, n_tail = split(world, lines, workdir)
    child(AMITY + ["init", "--store", store])  # a PostgreSQL schema is created once, by its owner (this user)
    seconds, rss, _ = child(AMITY + ["import", head, "--store", store])
    results["import_events_per_s"] = round(n_head / seconds)
    results["import_peak_rss_mb"] = round(rss)
    if "baseline_a_raw_copy_events_per_s" in results:
        results["import_ratio_to_a"] = round(results["import_events_per_s"] / results["baseline_a_raw_copy_events_per_s"], 3)
    if "baseline_a_raw_executemany_events_per_s" in results:
        results["import_ratio_to_a"] = round(results["import_events_per_s"] / results["baseline_a_raw_executemany_events_per_s"], 3)
        results["import_ratio_to_b"] = round(results["import_events_per_s"] / results["baseline_b_library_default_events_per_s"], 2)

    from amity.ledger.jsonlines import read_lines
    from amity.ledger.app import Ledger
    from amity.projections.history import history_rows
    from amity.projections.reader import Reader
    from catchup import store_maker, tail_rates, touched_work  # bench/catchup.py

    ledger = Ledger(store)
    ledger.import_events(read_lines(tail), where=tail)  # no projector: the views fall behind by 1%
    reader = Reader(ledger)
    streams, work = touched_work(ledger, reader)
    t = time.perf_counter()
    reader.catch_up()
    seconds = time.perf_counter() - t
    results["catch_up_last_1pct_events_per_s"] = round(n_tail / seconds)
    results["catch_up_last_1pct_touched_streams"] = streams
    results["catch_up_last_1pct_work_events_per_s"] = round(work / seconds)  # events of the touched streams
    seconds, rss, _ = child(AMITY + ["rebuild", "--store", store])
    results["rebuild_events_per_s"] = round(lines / seconds)
    results["rebuild_peak_rss_mb"] = round(rss)
    results["catch_up_last_1pct_ratio_to_rebuild"] = round(results["catch_up_last_1pct_events_per_s"] / results["rebuild_events_per_s"], 3)
    results["catch_up_last_1pct_work_ratio_to_rebuild"] = round(results["catch_up_last_1pct_work_events_per_s"] / results["rebuild_events_per_s"], 3)
    t = time.perf_counter()
    reader.rebuild()
    results["rebuild_in_process_events_per_s"] = round(lines / (time.perf_counter() - t))
    if args.tails:
        results.update(tail_rates(world, lines, workdir, store_maker(args.store, workdir), args.tails.split(","), results["rebuild_events_per_s"]))

    # -- queries ------------------------------------------------------------------------------
    counts: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    rolls: Counter[str] = Counter()  # network facts about members, by network
    for _, value in read_lines(world):
        if "cities" in value:
            counts.update(value["cities"])
            pairs[tuple(sorted(value["cities"]))] += 1
        if "member" in value:
            rolls[value["network"]] += 1
    busiest = counts.most_common(1)[0][0]
    busiest_pair = pairs.most_common(1)[0][0]
    day = date(2000, 1, 1)
    r = args.repeats
    results["busiest_place"] = busiest
    results["status_one_place_as_of_ms"] = round(median_ms(lambda: reader.status(place=busiest, as_of=day), r), 2)
    results["status_all_as_of_ms"] = round(median_ms(lambda: reader.status(as_of=day), r), 2)
    results["status_all_today_ms"] = round(median_ms(lambda: reader.status(), r), 2)
    stream_id, _ = ledger.pair(*busiest_pair)
    results["history_busiest_pair_ms"] = round(median_ms(lambda: history_rows(ledger.stream(stream_id)), r), 2)
    results["anniversaries_year_2025_ms"] = round(median_ms(lambda: reader.anniversaries(date(2025, 1, 1), date(2025, 12, 31), (1, 5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 100)), r), 2)
    results["partnerships"] = len(reader.status())
    if rolls:  # networks (issue #18): every network, the biggest one, a place's profile
        from amity.projections.networkreader import NetworkReader
        from amity.projections.profile import profile

        net, biggest = NetworkReader(reader), rolls.most_common(1)[0][0]
        results["networks"] = len(net.networks(date(2026, 11, 23)))
        results["network_member_facts"] = sum(rolls.values())
        results["networks_all_as_of_ms"] = round(median_ms(lambda: net.networks(day), r), 2)
        results["network_biggest_as_of_ms"] = round(median_ms(lambda: net.network(biggest, day), r), 2)
        results["city_profile_busiest_ms"] = round(median_ms(lambda: profile(reader, busiest, date(2026, 11, 23)), r), 2)
    results["query_peak_rss_mb"] = round(__import__("resource").getrusage(__import__("resource").RUSAGE_SELF).ru_maxrss / 1024)

    cli_store = ["--store", store]
    results["cli_help_ms"] = round(cli_ms(["--help"], r), 1)
    results["cli_status_one_place_as_of_ms"] = round(cli_ms(["status", busiest, "--as-of", day.isoformat(), *cli_store], r), 1)
    results["cli_status_all_as_of_ms"] = round(cli_ms(["status", "--as-of", day.isoformat(), *cli_store], r), 1)
    results["cli_history_busiest_pair_ms"] = round(cli_ms(["history", *busiest_pair, *cli_store], r), 1)
    results["cli_status_all_today_ms"] = round(cli_ms(["status", *cli_store], r), 1)
    results["cli_status_all_today_json_ms"] = round(cli_ms(["status", "--json", *cli_store], r), 1)
    results["cli_anniversaries_year_ms"] = round(cli_ms(["anniversaries", "--year", "2025", *cli_store], r), 1)
    results["cli_anniversaries_90_days_ms"] = round(cli_ms(["anniversaries", "--from", "2026-11-23", "--days", "90", *cli_store], r), 1)
    if rolls:
        results["cli_networks_ms"] = round(cli_ms(["networks", *cli_store], r), 1)
        results["cli_city_busiest_ms"] = round(cli_ms(["city", busiest, *cli_store], r), 1)

    # -- integrity ------------------------------------------------------------------------------
    import tracemalloc

    from amity.ledger.integrity import Verifier, chain_pages

    def read_only() -> int:  # the same query and pages as verify's walk, nothing checked
        return sum(len(page) for page in chain_pages(ledger.recorder))

    def timed(fn):
        t = time.perf_counter()
        out = fn()
        return time.perf_counter() - t, out

    reads, verifies = [], []
    for _ in range(VERIFY_RUNS):  # interleaved, so both see the same machine; medians
        seconds, rows = timed(read_only)
        reads.append(rows / seconds)
        seconds, report = timed(Verifier(ledger.recorder).run)
        verifies.append(report["events"] / seconds)
    results["baseline_read_chain_rows_per_s"] = round(statistics.median(reads))
    results["verify_events_per_s"] = round(statistics.median(verifies))
    results["verify_ok"] = str(report["ok"])
    results["verify_ratio_to_read"] = round(results["verify_events_per_s"] / results["baseline_read_chain_rows_per_s"], 2)
    tracemalloc.start()  # memory in a run of its own: tracing every allocation slows the walk about threefold
    Verifier(ledger.recorder).run()
    results["verify_peak_python_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    tracemalloc.stop()
    from amity.projections.checks import check_views

    t = time.perf_counter()
    views = check_views(ledger, reader.view)
    results["verify_views_seconds"] = round(time.perf_counter() - t, 2)  # what `verify` adds unless --no-views
    results["verify_views_state"] = views["state"]
    for key, extra in (("cli_verify_no_views", ["--no-views"]), ("cli_verify", [])):  # the whole command, start-up included
        seconds, _, _ = child(AMITY + ["verify", *extra, *cli_store])  # (its peak RSS would be this process's: Linux keeps it across exec)
        results[f"{key}_events_per_s"] = round(lines / seconds)

    width = max(len(k) for k in results)
    for k, v in results.items():
        print(f"{k:<{width}}  {v}")
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    ledger.close()
    if drop_schema:
        import psycopg

        with psycopg.connect(store.split("?")[0], autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{drop_schema}" CASCADE')
    for name in os.listdir(workdir):
        os.remove(os.path.join(workdir, name))
    os.rmdir(workdir)


if __name__ == "__main__":
    main()
