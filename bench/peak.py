"""Run a module or a script and write its peak RSS (MB) to a file when it exits: its own, and its largest child's.

    python bench/peak.py OUT.txt -m amity.cli.main import world.jsonl
    python bench/peak.py OUT.txt bench/baselines.py raw_executemany world.jsonl
"""

from __future__ import annotations

import atexit
import resource
import runpy
import sys


def main() -> None:
    out, rest = sys.argv[1], sys.argv[2:]

    @atexit.register
    def write_peak() -> None:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # rebuild workers, once reaped
        with open(out, "w") as fh:
            fh.write(f"{own} {child}")

    if rest[0] == "-m":
        sys.argv = [rest[1], *rest[2:]]
        runpy.run_module(rest[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = rest
        runpy.run_path(rest[0], run_name="__main__")


if __name__ == "__main__":
    main()
