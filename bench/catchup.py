"""Benchmark: catching the views up after imports without them, for several sizes of the tail.

    python bench/catchup.py --events 100k [--tails 1,1%,10%,50%] [--store postgresql://…]

For each tail: a store of its own, the file's head imported with the views (``amity import``), the tail
imported in-process without them, then ``catch_up`` timed, and the views checked against a rebuild (outside
the timing); then (run alone) an ``amity rebuild`` of the same store, timed, for the ratios. Figures per tail:

* ``catch_up_<tail>_events_per_s``: tail events per second (what the issue counts);
* ``catch_up_<tail>_work_events_per_s``: events of the streams the tail touches, per second (catch-up refolds
  each touched stream whole: this is the work it does, comparable to the rebuild's rate);
* ``catch_up_<tail>_ratio_to_rebuild``, ``…_work_ratio_to_rebuild``: both against the rebuild's events per second
  (``bench/run.py``: its own ``rebuild_events_per_s``, the same run).

``bench/run.py`` calls ``tail_rates`` after its own rebuild. Shared, noisy machine: compare ratios of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("AMITY_TODAY", "2026-11-23")
HERE = Path(__file__).resolve().parent
AMITY = ["-m", "amity.cli"]


def tail_size(text: str, total: int) -> int:
    """"1" (events) or "1%" (of the file), at least one event and at most all but one."""
    n = round(total * float(text[:-1]) / 100) if text.endswith("%") else int(text)
    return min(max(1, n), total - 1)


def label(text: str) -> str:
    return text.replace("%", "pct") if text.endswith("%") else f"{text}ev"


def split_at(path: str, cut: int, workdir: str) -> tuple[str, str]:
    head, tail = os.path.join(workdir, f"head-{cut}.jsonl"), os.path.join(workdir, f"tail-{cut}.jsonl")
    with open(path, "rb") as src, open(head, "wb") as h, open(tail, "wb") as t:
        for n, line in enumerate(src):
            (h if n < cut else t).write(line)
    return head, tail


def touched_work(ledger: Any, reader: Any) -> tuple[int, int]:
    """(streams, their events) that a catch-up of the views will refold: the work behind the tail."""
    from amity.projections.views import VIEW_NAME

    with ledger.records() as records:
        counts = records.touched_after(reader.view.position_in(records.cursor, VIEW_NAME))
        return len(counts), sum(len(facts) for _, facts in records.streams(list(counts)))


def tail_rates(world: str, lines: int, workdir: str, new_store: Callable[[str], tuple[str, Callable[[], None]]],
               tails: list[str], rebuild: float | None = None) -> dict[str, Any]:
    """Catch-up figures for each tail (see the module's docstring); ``new_store(name)`` gives (store URL, its clean-up);
    ``rebuild``: the run's `amity rebuild` rate to compare with (None: an `amity rebuild` of each tail's store)."""
    from amity.ledger.app import Ledger
    from amity.ledger.jsonlines import read_lines
    from amity.projections.checks import check_views
    from amity.projections.reader import Reader

    out: dict[str, Any] = {}
    for text in tails:
        n_tail = tail_size(text, lines)
        head, tail = split_at(world, lines - n_tail, workdir)
        store, clean = new_store(label(text))
        try:
            for command in (["init"], ["import", head]):
                subprocess.run([sys.executable, *AMITY, *command, "--store", store], check=True, capture_output=True)
            ledger = Ledger(store)
            ledger.import_events(read_lines(tail), where=tail)  # no projector: the views fall behind by the tail
            reader = Reader(ledger)
            streams, work = touched_work(ledger, reader)
            t = time.perf_counter()
            covered = reader.catch_up()
            seconds = time.perf_counter() - t
            state = check_views(ledger, reader.view)["state"]  # catch-up must equal a rebuild
            ledger.close()
            rate = rebuild
            if rate is None:
                t = time.perf_counter()
                subprocess.run([sys.executable, *AMITY, "rebuild", "--store", store], check=True, capture_output=True)
                rate = lines / (time.perf_counter() - t)
        finally:
            clean()
        key = f"catch_up_{label(text)}"
        out.update({f"{key}_tail_events": n_tail, f"{key}_touched_streams": streams, f"{key}_work_events": work,
                    f"{key}_events_per_s": round(covered / seconds), f"{key}_work_events_per_s": round(work / seconds),
                    f"{key}_ratio_to_rebuild": round(covered / seconds / rate, 3),
                    f"{key}_work_ratio_to_rebuild": round(work / seconds / rate, 3), f"{key}_views": state})
        if rebuild is None:
            out[f"{key}_rebuild_events_per_s"] = round(rate)
        for name in (head, tail):
            os.remove(name)
    return out


def store_maker(store: str | None, workdir: str) -> Callable[[str], tuple[str, Callable[[], None]]]:
    """Fresh stores: SQLite files in ``workdir``, or schemas of a PostgreSQL database (dropped after)."""
    def new_store(name: str) -> tuple[str, Callable[[], None]]:
        if store and store.startswith("postgresql://"):
            schema = f"amity_bench_{os.getpid()}_{name}"

            def drop() -> None:
                import psycopg

                with psycopg.connect(store.split("?")[0], autocommit=True) as conn:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            return f"{store.split('?')[0]}?schema={schema}", drop
        path = os.path.join(workdir, f"catchup-{name}.db")
        return path, lambda: [os.remove(p) for p in (path, path + "-wal", path + "-shm") if os.path.exists(p)]
    return new_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="100k", help="2k, 10k, 100k or 1M (or a number)")
    parser.add_argument("--tails", default="1,1%,10%,50%", help="tail sizes: events, or a percentage of the file")
    parser.add_argument("--world", default=None, help="a generated file to use instead of generating one")
    parser.add_argument("--store", default=None, help="postgresql://… (a schema per tail, dropped after); default: SQLite files")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="amity-catchup-")
    world = args.world or os.path.join(workdir, "world.jsonl")
    if not args.world:
        with open(world, "wb") as fh:
            subprocess.run([sys.executable, str(HERE / "generate.py"), "--events", args.events], stdout=fh, check=True)
    lines = sum(1 for _ in open(world, "rb"))
    results = {"events": lines, **tail_rates(world, lines, workdir, store_maker(args.store, workdir), args.tails.split(","))}
    width = max(len(k) for k in results)
    for k, v in results.items():
        print(f"{k:<{width}}  {v}")
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    if not args.world:
        os.remove(world)
    os.rmdir(workdir)


if __name__ == "__main__":
    main()
