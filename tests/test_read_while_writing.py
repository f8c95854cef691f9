"""Reads answer from the last committed state while a writer works, never take the write lock when the
views are current, and a killed rebuild or a file size limit gives one line, never a traceback."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time

from tests.conftest import SEEDS

AMITY = [sys.executable, "-c", "from amity.cli.main import run; run()"]
ENV = {**os.environ, "AMITY_TODAY": "2026-11-23", "AMITY_ACTOR": "tester"}

HOLD_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("CREATE TABLE IF NOT EXISTS held (x)")
db.execute("INSERT INTO held VALUES (1)")
print("holding", flush=True)
time.sleep(120)
"""


def test_status_and_anniversaries_answer_while_another_process_holds_the_write_lock(tmp_path):
    store = str(tmp_path / "busy.db")
    subprocess.run([*AMITY, "import", str(SEEDS), "--store", store], env=ENV, check=True, capture_output=True, timeout=120)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, store], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        for args in (["status"], ["anniversaries", "--year", "2025"], ["history", "Seoul", "Tashkent"], ["audit"]):
            started = time.monotonic()
            r = subprocess.run([*AMITY, *args, "--store", store, "--json"], env=ENV, capture_output=True, text=True, timeout=60)
            assert r.returncode == 0, (args, r.stderr)
            assert time.monotonic() - started < 15, args  # SQLite's busy timeout is 30 s: it did not wait for the lock
            assert r.stdout.strip()
    finally:
        holder.kill()
        holder.wait()


def _limit_file_size_without_ignoring_the_signal():
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_file_size_limit_on_a_read_that_must_update_the_views_is_one_line(tmp_path):
    """`ulimit -f`: the write fails (SIGXFSZ would kill the process without a word; Amity ignores it)."""
    from amity.ledger.app import Ledger
    from amity.ledger.jsonlines import read_lines

    store = str(tmp_path / "behind.db")
    ledger = Ledger(store)
    ledger.import_events(read_lines(str(SEEDS)), where=str(SEEDS))  # no projector: the views are behind
    ledger.close()
    r = subprocess.run([*AMITY, "status", "--store", store], env=ENV, capture_output=True, text=True, timeout=60,
                       preexec_fn=_limit_file_size_without_ignoring_the_signal)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and r.stderr.startswith("amity: error: "), r.stderr
    assert "Traceback" not in r.stderr and "file size limit" in r.stderr


def test_a_rebuild_worker_whose_parent_is_gone_exits_without_a_traceback(tmp_path):
    """The parent was killed: the worker's pipe is broken. It stops quietly."""
    store = str(tmp_path / "w.db")
    subprocess.run([*AMITY, "import", str(SEEDS), "--store", store], env=ENV, check=True, capture_output=True, timeout=120)
    code = f"""
import multiprocessing as mp
from amity.projections.catchup import _project_part
receive, send = mp.Pipe(duplex=False)
receive.close()
_project_part(({store!r}, "stored_events", "0", "g"), send)
print("done")
"""
    r = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr, r.stderr
    assert r.returncode == 0 or r.returncode == 1


class _SlowFirstSend:
    """A rebuild worker's pipe whose first send waits: the rebuild is still running when it is interrupted."""

    def __init__(self, conn):
        self.conn, self.first = conn, True

    def send(self, value):
        if self.first:
            self.first = False
            time.sleep(30)
        self.conn.send(value)


def slow_part(part, conn):
    from amity.projections.catchup import _project_part

    _project_part(part, _SlowFirstSend(conn))


def test_interrupting_a_parallel_rebuild_prints_one_line_and_no_traceback(tmp_path):
    from tests.conftest import ROOT

    store = str(tmp_path / "r.db")
    subprocess.run([*AMITY, "import", str(SEEDS), "--store", store], env=ENV, check=True, capture_output=True, timeout=120)
    code = """
import sys
import amity.projections.catchup as c
from tests.test_read_while_writing import slow_part
c.PARALLEL_MIN_EVENTS, c._project_part = 1, slow_part
from amity.cli.main import run
run(sys.argv[1:])
"""
    proc = subprocess.Popen([sys.executable, "-c", code, "rebuild", "--store", store], env=ENV, cwd=str(ROOT), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(4)  # the workers have started (a spawned interpreter takes a second or two) and wait in their first send
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
    started = time.monotonic()
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert proc.returncode == 130 and err.count("\n") == 1 and "interrupted" in err, err
    assert time.monotonic() - started < 10  # the workers were stopped, not waited for


def test_opening_the_views_on_postgresql_does_not_wait_for_a_writer_of_the_views():
    """An import writing the views holds row locks on them; opening the views for a read takes no lock that waits."""
    import threading

    import psycopg

    from tests.conftest import PG_URL, new_ledger

    ledger = new_ledger("postgresql")
    from amity.projections.views import open_view

    open_view(ledger)  # the tables exist from here on
    schema = ledger.recorder.datastore.schema
    with psycopg.connect(PG_URL) as writer:
        writer.execute(f'DELETE FROM "{schema}".amity_timelines WHERE stream = %s', ("none",))  # uncommitted: locks held
        opened = []
        thread = threading.Thread(target=lambda: opened.append(open_view(ledger)), daemon=True)
        thread.start()
        thread.join(10)
        writer.rollback()
    assert opened, "opening the views waited for the writer"
