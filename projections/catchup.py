"""Keeping the views current: recompute each touched partnership once, from its whole stream.

``catch_up`` brings the views from their tracking position to the ledger's last event in one
transaction; the import does the same inside its own write transaction through a ``ViewUpdate``. Stored
events are decoded without validating them again (they were validated on the way in). A full rebuild
of a large SQLite ledger is computed by two worker processes, one per core, while this one writes.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Sequence

from eventsourcing.persistence import Tracking

from amity.events.network import NetworkFact
from amity.events.wire import dumps
from amity.ledger import amendments
from amity.projections import networks
from amity.projections.anniversaries import establishing_of
from amity.projections.status import intervals_of
from amity.projections.views import VIEW_NAME, PartnershipView, SQLitePartnershipView, timeline_row

FLUSH_STREAMS = 2000  # partnerships whose rows are written at once


class ViewUpdate:
    """Recomputes whole partnerships into the view, inside a transaction someone else opened.

    Used by ``catch_up`` (its own transaction) and by the import (the import's write transaction, so
    the views are current the moment the events are: one reading of each touched stream serves both
    the rule check and the views). Rows are written ``FLUSH_STREAMS`` partnerships at a time; the
    tracking position moves once, at ``finish``, in the same transaction.
    """

    def __init__(self, view: PartnershipView, application_name: str, *, fresh: bool = False) -> None:
        self.view, self.application_name, self.fresh = view, application_name, fresh
        self.streams: list[str] = []
        self.timelines: list[tuple] = []
        self.founding: list[tuple] = []
        self.networks: list[tuple] = []
        self.members: list[tuple] = []

    def begin(self, w: Any) -> bool:
        """Whether this writer's transaction may update the views: they were current when it began."""
        self.view.lock_views(w.c)
        return self.view.position_in(w.c, self.application_name) == w.start_top

    def add(self, w: Any, stream: str, effective: Sequence[tuple[int, Any]]) -> None:
        self.take(w.c, stream, *rows_of(stream, effective))

    def take(self, c: Any, stream: str, timeline: tuple | None, founding: list[tuple], network: tuple | None = None, members: Sequence[tuple] = ()) -> None:
        self.streams.append(stream)
        if timeline is not None:
            self.timelines.append(timeline)
        self.founding += founding
        if network is not None:
            self.networks.append(network)
        self.members += members
        if len(self.streams) >= FLUSH_STREAMS:
            self.flush(c)

    def flush(self, c: Any) -> None:
        self.view.replace_rows_in(c, self.streams, self.timelines, self.founding, fresh=self.fresh, networks=self.networks, members=self.members)
        self.streams, self.timelines, self.founding, self.networks, self.members = [], [], [], [], []

    def finish(self, w: Any) -> None:
        self.flush(w.c)
        if w.top > w.start_top:
            self.view._insert_tracking(w.c, Tracking(self.application_name, w.top))  # type: ignore[attr-defined]


def rows_of(stream: str, effective: Sequence[tuple[int, Any]]) -> tuple[tuple | None, list[tuple], tuple | None, list[tuple]]:
    """The view rows of one stream: a partnership's timeline (None if it has no facts) and its establishing events,
    or a network's row, its members' rows and its anniversary events."""
    if effective and isinstance(effective[0][1], NetworkFact):
        network, members, founding = networks.view_rows(stream, effective)
        return None, founding, network, members
    items = intervals_of(effective)  # its last interval holds every fact: the standing now
    terminated = bool(items) and items[-1]["status"] == "terminated"
    founding = [(stream, e["event_id"], e["type"], e["date"], e["year"], *e["cities"], int(e["terminated"]), dumps(e["source"]))
                for e in establishing_of(effective, terminated)]
    return (timeline_row(stream, items) if items else None), founding, None, []


def _project_part(path: str, table: str, lo: str, hi: str, skip: str, conn: Any) -> None:
    """A rebuild worker (a process of its own): the view rows of the streams with ids in [lo, hi), sent in batches.

    The parent decides about interrupts (it stops its workers itself), so Ctrl-C is ignored here; and if
    the parent is gone (its end of the pipe is closed) the worker stops without a word.
    """
    import signal
    import sqlite3

    from amity.ledger.bulk import bulk_collection
    from amity.ledger.mapping import trusted_fact
    from amity.ledger.writer import StreamReader

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with bulk_collection():
            db = sqlite3.connect(path, timeout=30, uri=path.startswith("file:"))
            db.row_factory = sqlite3.Row
            c = db.execute(f"SELECT originator_id AS stream, topic, state FROM {table} WHERE originator_id >= ? AND originator_id < ? "
                           "ORDER BY originator_id, originator_version", (lo, hi))
            batch: list[tuple] = []
            for stream, items in StreamReader._grouped(c):
                if stream != skip:
                    batch.append((stream, rows_of(stream, amendments.effective([trusted_fact(t, s) for t, s in items])), len(items)))
                if len(batch) >= 500:
                    conn.send(batch)
                    batch = []
            conn.send(batch)
            conn.send(None)
    except (BrokenPipeError, EOFError, ConnectionError):
        return  # the parent is gone: nobody to tell
    except BaseException as exc:  # noqa: BLE001 - reported by the parent as one line
        from amity.ledger.errors import describe

        try:
            conn.send(("error", describe(exc)))
        except (OSError, EOFError):
            pass


PARALLEL_MIN_EVENTS = 50_000  # below this, starting worker processes costs more than it saves
PARTS = (("0", "8"), ("8", "g"))  # stream ids are 32 lowercase hex digits: two halves


def _rebuild_in_parallel(ledger: Any, update: ViewUpdate, c: Any, progress: Callable[[int, int], None] | None, total: int, skip: str) -> None:
    """A full rebuild of a SQLite ledger by two worker processes (one per core); this process writes the rows."""
    import multiprocessing as mp
    from multiprocessing.connection import wait

    from amity.ledger.errors import StoreError

    ctx = mp.get_context("spawn")  # a fresh interpreter: never a copy of this one's open SQLite connections
    pipes, procs, done = [], [], 0
    for lo, hi in PARTS:
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_project_part, args=(ledger.url.path, ledger.recorder.events_table_name, lo, hi, skip, send), daemon=True)
        proc.start()
        send.close()
        pipes.append(receive)
        procs.append(proc)
    try:
        while pipes:
            for r in wait(pipes):
                try:
                    msg = r.recv()
                except EOFError:
                    raise StoreError("a rebuild worker stopped without finishing; run `amity rebuild` again") from None
                if msg is None:
                    pipes.remove(r)
                elif isinstance(msg, tuple):
                    raise StoreError(f"rebuild worker: {msg[1]}")
                else:
                    for stream, rows, n in msg:
                        update.take(c, stream, *rows)
                        done += n
                    if progress:
                        progress(done, total)
    except BaseException:  # interrupted, or a worker failed: stop the others at once
        for proc in procs:
            proc.kill()
        raise
    finally:
        for proc in procs:
            proc.join(5)
            if proc.is_alive():
                proc.kill()


def is_current(ledger: Any, view: PartnershipView) -> bool:
    """Whether the views cover exactly the committed events (read from a snapshot, without the write lock).

    Views that claim more than the ledger holds were tampered with: not current, so they are recomputed."""
    with view.read_transaction() as c:
        return view.position_in(c, VIEW_NAME) == ledger.recorder.max_position_in(c)


def catch_up(ledger: Any, view: PartnershipView, progress: Callable[[int, int], None] | None = None, *, reset: bool = False) -> int:
    """Bring the view up to the ledger's last event in one transaction; returns the events covered.

    Every partnership with events after the tracking position is recomputed once, from its whole
    stream (decoded without re-validation): so an incremental update equals a full rebuild by
    construction, and a backlog of a million events costs one pass, not one per page. A crash rolls
    the transaction back; the next call starts again from the position on file.
    """
    from amity.ledger.bulk import bulk_collection
    from amity.ledger.mapping import trusted_fact
    from amity.ledger.partnership import REGISTRY_ID
    from amity.ledger.writer import StreamReader

    if not reset and is_current(ledger, view):
        return 0  # no write lock taken: a read answers from the last committed state while a writer works
    with bulk_collection(), view.view_transaction() as c:
        if reset:
            view.reset_in(c, VIEW_NAME)
        last = view.position_in(c, VIEW_NAME)
        top = ledger.recorder.max_position_in(c)
        if last > top:  # the views claim events the ledger does not hold: tampered with; recompute them all
            view.reset_in(c, VIEW_NAME)
            last, reset = 0, True
        if last >= top:
            return 0
        reader = StreamReader(ledger.recorder, c)
        registry = REGISTRY_ID.hex
        update = ViewUpdate(view, VIEW_NAME, fresh=last == 0 and reset)
        if last == 0 and isinstance(view, SQLitePartnershipView) and top >= PARALLEL_MIN_EVENTS and (os.cpu_count() or 1) > 1:
            _rebuild_in_parallel(ledger, update, c, progress, top, registry)
            update.flush(c)
            view._insert_tracking(c, Tracking(VIEW_NAME, top))  # type: ignore[attr-defined]
            return top
        if last == 0:  # everything: one ordered scan of every stream
            counts, total, wanted = None, top, None
        else:
            counts = reader.touched_since(last, top)
            counts.pop(registry, None)
            total, wanted = sum(counts.values()), list(counts)
        done = 0
        for stream, items in reader.streams(wanted):
            if stream == registry:
                continue
            update.add(reader, stream, amendments.effective([trusted_fact(topic, state) for topic, state in items]))
            done += counts[stream] if counts is not None else len(items)
            if progress:
                progress(done, total)
        update.flush(c)
        view._insert_tracking(c, Tracking(VIEW_NAME, top))  # type: ignore[attr-defined]
        return top - last
