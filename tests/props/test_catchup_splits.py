"""Catch-up after any split equals a rebuild.

A generated world (``bench/generate.py``: hundreds of partnerships and networks, recorded out of valid-time order,
corrected and retracted) is imported in segments: the first with the views kept current, the others without them,
the views caught up after some segments and at the end. Whether a tail is one event or most of the ledger, touching
one stream or hundreds, the views are then exactly a rebuild's rows (``test_views.expected_rows``)."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import lru_cache

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amity.projections import views
from amity.projections.reader import Reader
from tests.conftest import ROOT, new_ledger
from tests.props.test_views import expected_rows


@lru_cache(maxsize=1)
def world() -> list[dict]:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--events", "2k"], capture_output=True, check=True,
                         env={**os.environ, "AMITY_TODAY": "2026-11-23"}, timeout=120).stdout
    return [orjson.loads(line) for line in out.splitlines()]


def split_and_catch_up(kind: str, cuts: list[int], catch_up_after: list[bool]) -> None:
    lines = world()
    bounds = [0, *sorted(set(cuts)), len(lines)]
    ledger = new_ledger(kind)
    reader = Reader(ledger)
    segments = [list(enumerate(lines[a:b], a + 1)) for a, b in zip(bounds, bounds[1:])]
    ledger.import_events(segments[0], projector=reader.projector())
    assert sorted(reader.view.all_rows()) == expected_rows(ledger)
    for segment, now in zip(segments[1:], [*catch_up_after[: len(segments) - 2], True]):  # caught up at the end
        ledger.import_events(segment)  # no projector: the views fall behind
        if now:
            with ledger.records() as records:
                tail = records.top - reader.view.position_in(records.cursor, views.VIEW_NAME)
            assert reader.catch_up() == tail
            assert sorted(reader.view.all_rows()) == expected_rows(ledger)


CUTS = st.lists(st.integers(1, 2000), min_size=1, max_size=3, unique=True)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cuts=CUTS, catch_up_after=st.lists(st.booleans(), min_size=2, max_size=2))
def test_catch_up_after_any_split_equals_a_rebuild(cuts, catch_up_after):
    split_and_catch_up("sqlite", cuts, catch_up_after)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cuts=CUTS, catch_up_after=st.lists(st.booleans(), min_size=2, max_size=2))
def test_catch_up_after_any_split_equals_a_rebuild_on_postgresql(cuts, catch_up_after):
    split_and_catch_up("postgresql", cuts, catch_up_after)


def test_views_behind_by_a_long_tail_on_a_read_only_or_busy_store_give_one_line(tmp_path, cli, monkeypatch):
    """The first read after an import without the views pays the catch-up; where it cannot write, one line says why."""
    import sqlite3

    from amity.ledger.app import Ledger

    store, lines = str(tmp_path / "behind.db"), world()
    ledger = Ledger(store)
    reader = Reader(ledger)
    ledger.import_events(list(enumerate(lines[:1000], 1)), projector=reader.projector())
    ledger.import_events(list(enumerate(lines[1000:], 1001)))  # the views are now 1,024 events behind
    ledger.close()
    r = cli("status", "--store", f"file:{store}?mode=ro")
    assert r.code == 1 and r.err.count("\n") == 1 and "cannot update the views" in r.err and "readonly" in r.err.replace("read-only", "readonly")
    monkeypatch.setenv("AMITY_LOCK_TIMEOUT", "1")
    holder = sqlite3.connect(store)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = cli("status", "--store", store)
    finally:
        holder.rollback()
        holder.close()
    assert r.code == 1 and r.err.count("\n") == 1 and "another process is writing" in r.err
    assert cli("status", "--store", store).code == 0  # and once it can write, it catches up
