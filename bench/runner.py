"""How the bench runs and times things: medians of repeated runs, a child process with its peak RSS, and a CLI
command end to end (after one run not counted, with Python's bytecode cached as on a user's machine, even where
the shell sets ``PYTHONDONTWRITEBYTECODE``)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
AMITY = ["-m", "amity.cli"]


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def child(args: list[str]) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, stdout) of one subprocess (``args`` after the interpreter).

    The RSS is the largest of the process's own and its largest child's (the rebuild's workers).
    """
    fd, peak = tempfile.mkstemp(suffix=".rss")
    os.close(fd)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, str(HERE / "peak.py"), peak, *args], capture_output=True)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.decode()[-500:]}")
    rss = max(float(x) for x in (Path(peak).read_text() or "0").split())
    os.remove(peak)
    return seconds, rss, proc.stdout.decode()


CLI_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # bytecode cached, as on a user's machine


def cli_ms(args: list[str], repeats: int) -> float:
    def once() -> None:
        subprocess.run([sys.executable, *AMITY, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=CLI_ENV)
    once()  # warm: bytecode written, files in the OS's cache
    return median_ms(once, repeats)
