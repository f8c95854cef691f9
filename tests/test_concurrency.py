"""Two writers appending to the same partnership never lose an event."""

from __future__ import annotations

import multiprocessing as mp

from amity.ledger.app import Ledger


def _writer(store: str, who: int, n: int) -> None:
    import os

    os.environ["AMITY_TODAY"] = "2026-11-23"
    ledger = Ledger(store)
    ledger.gazetteer.resolve("Kyoto, JP")  # warm up before the race
    for i in range(n):
        ledger.record({"type": "CommemorationHeld", "cities": ["Kyoto, JP", "Paris, FR"], "date": f"{1960 + i}",
                       "what": f"writer {who} event {i}", "source": {"title": "concurrency test"}})


def test_concurrent_writers_on_one_partnership_lose_nothing(store):
    Ledger(store)  # create tables once
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(store, w, 15)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert all(p.exitcode == 0 for p in procs)
    ledger = Ledger(store)
    stream_id, _ = ledger.pair("Kyoto, JP", "Paris, FR")
    whats = sorted(f.what for f in ledger.stream(stream_id))
    assert whats == sorted(f"writer {w} event {i}" for w in range(3) for i in range(15))
