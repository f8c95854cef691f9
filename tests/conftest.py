"""Shared fixtures: a fixed today, hypothesis profiles, fresh ledgers and an in-process CLI runner."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
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
N_SEEDS = sum(1 for line in SEEDS.read_text().splitlines() if line.strip())  # lines of the seed ledger


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setenv("AMITY_TODAY", "2026-11-23")
    monkeypatch.setenv("AMITY_ACTOR", "tester")
    monkeypatch.delenv("AMITY_STORE", raising=False)


PG_URL = os.environ.get("AMITY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
STORES = ["sqlite", "postgresql"]
_SESSION = f"amity_t{os.getpid()}"
_counter = iter(range(1, 10**9))
_open: list = []


@lru_cache(maxsize=1)
def pg_unreachable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    try:
        import psycopg

        psycopg.connect(PG_URL, connect_timeout=3).close()
        return None
    except Exception as exc:
        return f"PostgreSQL at {PG_URL} is unreachable: {' '.join(str(exc).split())[:120]}"


OWNER, WRITER = f"{_SESSION}_owner", f"{_SESSION}_writer"


def role_recipe() -> list[str]:
    """The README's SQL for the roles of a team ledger, with this session's role and database names."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("```sql\n", 1)[1].split("```", 1)[0]
    dbname = PG_URL.rsplit("/", 1)[1]
    text = block.replace("amity_owner", OWNER).replace("amity_writer", WRITER).replace("diplomacy", dbname)
    return [s.strip() for s in text.split(";") if s.strip() and not s.strip().startswith("--")]


@lru_cache(maxsize=1)
def pg_roles() -> None:
    """This session's owner and writer roles, made exactly as the README says (dropped at the end)."""
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        for statement in role_recipe():
            conn.execute(statement)


def with_user(url: str, user: str) -> str:
    return url.replace("postgresql://postgres@", f"postgresql://{user}@", 1)


def new_store(kind: str, tmp_dir: str | None = None, *, role: str = "writer") -> str:
    """A URL for a fresh, empty ledger of the given kind (a new SQLite file or a new PostgreSQL schema).

    PostgreSQL: the schema is made by the owner role with `amity init --writer`, and the URL is the
    writer's (``role="owner"`` for the owner's), as the README tells a team to work.
    """
    if kind == "sqlite":
        if tmp_dir is None:
            tmp_dir = tempfile.mkdtemp(prefix="amity-test-")
            _TEMP_DIRS.append(tmp_dir)  # removed when the session ends
        return os.path.join(tmp_dir, f"ledger{next(_counter)}.db")
    reason = pg_unreachable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run)")
        pytest.skip(reason)
    pg_roles()
    url = f"{PG_URL}?schema={_SESSION}_{next(_counter)}"
    result = run_cli("init", "--store", with_user(url, OWNER), "--writer", WRITER)
    assert result.code == 0, result.err
    return with_user(url, OWNER if role == "owner" else WRITER)


def new_ledger(kind: str):
    """A fresh ledger; ledgers made this way are closed at the end of the test (connections are scarce)."""
    from amity.ledger.app import Ledger

    ledger = Ledger(new_store(kind))
    _open.append(ledger)
    if len(_open) > 12:
        _open.pop(0).close()
    return ledger


@pytest.fixture(autouse=True)
def _close_ledgers():
    yield
    while _open:
        _open.pop().close()


_TEMP_DIRS: list[str] = []  # folders of SQLite stores made without a test's tmp_path


@pytest.fixture(scope="session", autouse=True)
def _remove_temp_dirs():
    yield
    import shutil

    while _TEMP_DIRS:
        shutil.rmtree(_TEMP_DIRS.pop(), ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _drop_test_schemas():
    yield
    if pg_unreachable():
        return
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        for (schema,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (f"{_SESSION}\\_%",)).fetchall():
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        for role in (OWNER, WRITER):
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                conn.execute(f'DROP OWNED BY "{role}"')
                conn.execute(f'DROP ROLE "{role}"')


@pytest.fixture(params=STORES)
def store_kind(request) -> str:
    return request.param


@pytest.fixture
def store(store_kind, tmp_path) -> str:
    """The URL of a fresh ledger, on SQLite and on PostgreSQL."""
    return new_store(store_kind, str(tmp_path))


@pytest.fixture
def ledger(store):
    from amity.ledger.app import Ledger

    led = Ledger(store)
    _open.append(led)
    return led


@pytest.fixture
def seed_ledger(store):
    from amity.ledger.jsonlines import read_lines
    from amity.ledger.app import Ledger

    led = Ledger(store)
    _open.append(led)
    led.import_events(read_lines(str(SEEDS)), where=str(SEEDS))
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


def import_killed(path, store: str, tmp_path, fractions: tuple[float, ...]):
    """Import ``path`` into ``store`` in a child process killed (SIGKILL) at each fraction of how long one undisturbed
    import (into another store) takes; yields the delay after each kill, for the caller to check the store."""
    import signal
    import subprocess
    import time

    command = [sys.executable, "-c", "from amity.cli.main import run; run()", "import", str(path)]
    env = {**os.environ, "AMITY_TODAY": "2026-11-23"}
    started = time.perf_counter()
    subprocess.run([*command, "--store", str(tmp_path / "timing.db")], env=env, check=True, capture_output=True, timeout=300)
    full = time.perf_counter() - started
    for delay in (round(full * f, 2) for f in fractions):
        proc = subprocess.Popen([*command, "--store", store], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        yield delay


def mou_signed_v2() -> type:
    """``MoUSigned`` at class version 2, whose upcaster notes the old ``instrument`` (for upcasting tests), and the
    golden v1 payload it reads."""
    from typing import Any, ClassVar

    from amity.events.partnership import MoUSigned

    class MoUSignedV2(MoUSigned):
        TOPIC: ClassVar[str] = "amity.events:MoUSigned"
        class_version: ClassVar[int] = 2
        note: str | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> dict[str, Any]:
            state["note"] = f"{state.get('note', '')}[instrument was {state['instrument']}]"
            return state

    return MoUSignedV2
