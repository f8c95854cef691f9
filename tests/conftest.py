"""Shared fixtures: a fixed today, hypothesis profiles, fresh ledgers and an in-process CLI runner."""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ["AMITY_TODAY"] = "2026-11-23"
os.environ["AMITY_ACTOR"] = "tester"

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "seeds.jsonl"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setenv("AMITY_TODAY", "2026-11-23")
    monkeypatch.setenv("AMITY_ACTOR", "tester")
    monkeypatch.delenv("AMITY_STORE", raising=False)


@pytest.fixture
def store(tmp_path) -> str:
    """A path for a fresh SQLite ledger."""
    return str(tmp_path / "ledger.db")


@pytest.fixture
def ledger(store):
    from amity.ledger.app import Ledger

    return Ledger(store)


@pytest.fixture
def seed_ledger(store):
    from amity.cli.write import read_lines
    from amity.ledger.app import Ledger

    led = Ledger(store)
    name, values, problems = read_lines(str(SEEDS))
    assert not problems
    led.import_events(values, where=name)
    return led


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str, stdin: bytes = b"") -> Result:
    """Run `amity ARGS` in-process, capturing stdout, stderr and the exit code."""
    from amity.cli.main import run

    out, err = io.BytesIO(), io.StringIO()

    class _Out(io.TextIOWrapper):
        pass

    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    old = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr = stdout, err
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    code = 0
    try:
        run(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        stdout.flush()
        sys.stdout, sys.stderr, sys.stdin = old
    return Result(code, out.getvalue().decode("utf-8"), err.getvalue())


@pytest.fixture
def cli():
    return run_cli
