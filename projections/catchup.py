"""Keeping the views current: recompute each touched partnership once, from its whole stream.

``catch_up`` brings the views from their tracking position to the ledger's last event in one
transaction; the import does the same inside its own write transaction through a ``ViewUpdate``. Stored
events are decoded without validating them again (they were validated on the way in). A full rebuild
of a large SQLite ledger is computed by two worker processes, one per core, while this one writes.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Sequence

from amity.events.network import NetworkFact
from amity.events.wire import dumps
from amity.ledger import amendments
from amity.projections import anniversaryview, networks
from amity.projections.anniversaryview import NO_STANDING
from amity.ledger.records import Cursor, Effective, Records, read_part
from amity.projections.anniversaries import establishing_of
from amity.projections.networkdays import day_row
from amity.projections.status import intervals_of
from amity.projections.views import VIEW_NAME, PartnershipView, timeline_row

FLUSH_STREAMS = 2000  # partnerships whose rows are written at once


class ViewUpdate:
    """Recomputes whole partnerships into the view, inside a transaction on the ledger (a ``ledger.records.ViewWriter``).

    Used by ``catch_up`` (its own transaction) and by the import (the import's write transaction, so
    the views are current the moment the events are: one reading of each touched stream serves both
    the rule check and the views). Rows are written ``FLUSH_STREAMS`` partnerships at a time; the
    tracking position moves once, at ``finish``, in the same transaction.
    """

    def __init__(self, view: PartnershipView, application_name: str, *, fresh: bool = False) -> None:
        self.view, self.application_name, self.fresh = view, application_name, fresh
        self.c: Cursor | None = None
        self.streams: list[str] = []
        self.timelines: list[tuple] = []
        self.founding: list[tuple] = []
        self.networks: list[tuple] = []  # a network's row, and its members' (projections/networkview.py)
        self.members: list[tuple] = []
        self.days: list[tuple] = []  # a network's `amity networks` row by day (projections/networkdays.py)

    def begin(self, records: Records) -> bool:
        """Whether this transaction may update the views: they were current when it began."""
        self.c = records.cursor
        self.view.lock_views(self.c)
        return self.view.position_in(self.c, self.application_name) == records.start

    def add(self, stream: str, effective: Effective, records: Sequence[Any]) -> None:
        self.take(stream, *rows_of(stream, effective, records))

    def take(self, stream: str, timeline: tuple | None, founding: list[tuple], network: tuple | None = None, members: Sequence[tuple] = (),
             day: tuple | None = None) -> None:
        self.streams.append(stream)
        if timeline is not None:
            self.timelines.append(timeline)
        self.founding += founding
        if network is not None:
            self.networks.append(network)
        if day is not None:
            self.days.append(day)
        self.members += members
        if len(self.streams) >= FLUSH_STREAMS:
            self.flush()

    def flush(self) -> None:
        self.view.replace_rows_in(self.c, self.streams, self.timelines, self.founding, fresh=self.fresh, networks=self.networks, members=self.members,
                                  days=self.days)
        self.streams, self.timelines, self.founding, self.networks, self.members, self.days = [], [], [], [], [], []

    def finish(self, records: Records) -> None:
        self.flush()
        if records.top > records.start:
            self.view.track_in(self.c, self.application_name, records.top)


def rows_of(stream: str, effective: Effective, records: Sequence[Any]) -> tuple[tuple | None, list[tuple], tuple | None, list[tuple], tuple | None]:
    """The view rows of one stream: a partnership's timeline (None if it has no facts) and its establishing events,
    or (a second kind of stream, told apart by its facts' type) a network's row, its members' rows, its anniversaries and
    its `amity networks` row by day.
    ``records``: the stream as recorded, for its open disputes (the timeline marks the days they cover)."""
    if effective and isinstance(effective[0][1], NetworkFact):
        network, members, founding = networks.view_rows(stream, effective)
        return None, founding, network, members, (day_row(stream, effective) if network is not None else None)
    items = intervals_of(effective)  # its last interval holds every fact: the standing now
    terminated = bool(items) and items[-1]["status"] == "terminated"
    standing = (items[-1]["status"], items[-1]["valid_from"].isoformat()) if items else NO_STANDING
    disputed = disputed_in(records)
    founding = [anniversaryview.row(stream, e["event_id"], e["type"], e["date"], e["year"], e["cities"], e["terminated"], e["event_id"] in disputed,
                                    standing, dumps(e["source"]))
                for e in establishing_of(effective, terminated)]
    return (timeline_row(stream, items, min(disputed.values(), default=None)) if items else None), founding, None, [], None


def disputed_in(records: Sequence[Any]) -> dict[str, Any]:
    """The facts under an open dispute in a partnership's records: id → earliest day of its date."""
    if not any(f.type == "ClaimDisputed" for f in records):
        return {}
    from amity.projections.disputes import open_targets

    return open_targets(records)


def _project_part(part: Any, conn: Any) -> None:
    """A rebuild worker (a process of its own): the view rows of one part of the store, sent in batches.

    The parent decides about interrupts (it stops its workers itself), so Ctrl-C is ignored here; and if
    the parent is gone (its end of the pipe is closed) the worker stops without a word.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        batch: list[tuple] = []
        for stream, records in read_part(part):
            batch.append((stream, rows_of(stream, amendments.effective(records), records), len(records)))
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


def _rebuild_in_parallel(parts: list[Any], update: ViewUpdate, progress: Callable[[int, int], None] | None, total: int) -> None:
    """A full rebuild by worker processes (one per part: two, one per core); this process writes the rows."""
    import multiprocessing as mp
    from multiprocessing.connection import wait

    from amity.ledger.errors import StoreError

    ctx = mp.get_context("spawn")  # a fresh interpreter: never a copy of this one's open SQLite connections
    pipes, procs, done = [], [], 0
    for part in parts:
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_project_part, args=(part, send), daemon=True)
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
                        update.take(stream, *rows)
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


def catch_up(ledger: Any, view: PartnershipView, progress: Callable[[int, int], None] | None = None, *, reset: bool = False) -> int:
    """Bring the view up to the ledger's last event in one transaction; returns the events covered.

    Every partnership with events after the tracking position is recomputed once, from its whole
    stream (decoded without re-validation): so an incremental update equals a full rebuild by
    construction, and a backlog of a million events costs one pass, not one per page. A crash rolls
    the transaction back; the next call starts again from the position on file.
    """
    if not reset and view.is_current(ledger):
        return 0  # no write lock taken: a read answers from the last committed state while a writer works
    with ledger.records(write=True) as records:
        c = records.cursor
        view.lock_views(c)
        if reset:
            view.reset_in(c, VIEW_NAME)
        last, top = view.position_in(c, VIEW_NAME), records.top
        if last > top:  # the views claim events the ledger does not hold: tampered with; recompute them all
            view.reset_in(c, VIEW_NAME)
            last, reset = 0, True
        if last >= top:
            return 0
        update = ViewUpdate(view, VIEW_NAME, fresh=last == 0 and reset)
        update.c = c
        parts = records.parts() if last == 0 and top >= PARALLEL_MIN_EVENTS and (os.cpu_count() or 1) > 1 else None
        if parts:
            _rebuild_in_parallel(parts, update, progress, top)
        else:
            counts = None if last == 0 else records.touched_after(last)  # None: everything, in one ordered scan
            total, done = (top if counts is None else sum(counts.values())), 0
            for stream, facts in records.streams(None if counts is None else list(counts)):
                update.add(stream, amendments.effective(facts), facts)
                done += counts[stream] if counts is not None else len(facts)
                if progress:
                    progress(done, total)
        update.flush()
        view.track_in(c, VIEW_NAME, top)
        return top - last
