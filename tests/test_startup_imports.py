"""What a command imports: `amity --help` and the read commands start fast because they import only what they use
(bench/cli_timing.py measures the time; these tests keep the seams from closing again)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import SEEDS

PROBE = """
import json, sys
sys.argv = ["amity", *json.loads(sys.argv[1])]
from amity.cli.main import run
try:
    run()
except SystemExit:
    pass
sys.__stderr__.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def modules_of(*args: str, store: str | None = None) -> set[str]:
    env = {**os.environ, "AMITY_TODAY": "2026-11-23", **({"AMITY_STORE": store} if store else {})}
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], env=env, capture_output=True, text=True, timeout=120)
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("startup") / "demo.db")
    subprocess.run([sys.executable, "-m", "amity.cli", "import", str(SEEDS), "--store", path], check=True, capture_output=True,
                   env={**os.environ, "AMITY_TODAY": "2026-11-23"})
    return path


def test_help_imports_no_models_no_store_and_no_other_command():
    loaded = modules_of("--help")
    assert "amity.cli.answers" in loaded  # it lists every command
    assert not {m for m in loaded if m.split(".")[0] in {"pydantic", "eventsourcing", "psycopg", "rich"} or m.startswith("amity.ledger.app")}


def test_a_command_imports_its_own_module_only(demo):
    loaded = modules_of("status", "Seoul", store=demo)
    assert "amity.cli.answers" in loaded
    assert not {"amity.cli.write", "amity.cli.importing", "amity.cli.web", "amity.cli.networks"} & loaded
    assert not {m for m in loaded if m.startswith(("amity.ledger.batch", "starlette", "jinja2", "psycopg"))}  # SQLite: no driver for PostgreSQL
    assert not {"amity.projections.catchup", "amity.ledger.membership"} & loaded  # the views are current: nothing to compute


def test_status_of_a_place_with_an_open_dispute_reads_the_views_without_the_event_models_or_pydantic(demo):
    """Seoul's rows include Kuala Lumpur – Seoul, disputed: the mark comes from the timeline view, not from a replay."""
    loaded = modules_of("status", "Seoul", store=demo)
    assert "amity.projections.views" in loaded
    assert not {m for m in loaded if m.split(".")[0] == "pydantic" or m.startswith(("amity.events.partnership", "amity.events.fact",
                                                                                      "amity.ledger.amendments", "amity.projections.disputes"))}


def test_history_reads_the_pair_without_the_views_and_without_pydantics_adapters(demo):
    loaded = modules_of("history", "Seoul", "Tashkent", store=demo)
    assert "amity.projections.history" in loaded
    assert not {"amity.projections.views", "amity.projections.catchup", "amity.ledger.batch", "typer._adapters"} & loaded


def test_anniversaries_read_the_view_without_the_event_models_or_a_replay_of_disputes(demo):
    """The anniversary view carries the disputed mark and the standing: nothing is replayed (the seeds hold a dispute)."""
    loaded = modules_of("anniversaries", "--year", "2025", store=demo)
    assert "amity.projections.anniversaryview" in loaded
    assert not {m for m in loaded if m.split(".")[0] == "pydantic" or m.startswith(("amity.events.partnership", "amity.events.fact",
                                                                                   "amity.projections.disputes", "amity.ledger.amendments"))}
