"""Concurrent writers: several processes record into one partnership and into others at once;
every event is stored exactly once (each write holds the writers' lock from its start, so versions never
conflict), and a follower process sees every event."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import time

from amity.ledger.app import Ledger

WRITERS, EVENTS = 3, 12
SHARED = ("Kyoto, JP", "Paris, FR")
OWN = [("Seoul, KR", "Tashkent, UZ"), ("Kuala Lumpur, MY", "Ankara, TR"), ("Osaka, JP", "Chennai, IN")]


def _writer(store: str, who: int, out: str) -> None:
    os.environ["AMITY_TODAY"] = "2026-11-23"
    ledger = Ledger(store)
    ledger.gazetteer.resolve("Kyoto, JP")  # warm up before the race
    for i in range(EVENTS):
        pair = SHARED if i % 2 == 0 else OWN[who]
        ledger.record({"type": "CommemorationHeld", "cities": list(pair), "date": f"{1960 + i}",
                       "what": f"writer {who} event {i}", "source": {"title": "concurrency test"}})
    with open(out, "w") as fh:
        json.dump({"recorded": EVENTS}, fh)


def _follower(store: str, expected: int, out: str) -> None:
    """Follows the projections until it has seen every event (or gives up after 60 s)."""
    os.environ["AMITY_TODAY"] = "2026-11-23"
    from amity.projections.reader import Reader

    reader = Reader(Ledger(store))
    deadline = time.monotonic() + 60
    seen = 0
    while time.monotonic() < deadline:
        reader.catch_up()
        seen = sum(r["events"] for r in reader.status())
        if seen >= expected:
            break
        time.sleep(0.05)
    with open(out, "w") as fh:
        json.dump({"seen": seen}, fh)


def test_concurrent_writers_lose_nothing_and_a_follower_sees_everything(store, tmp_path):
    Ledger(store).close()  # create tables once
    ctx = mp.get_context("spawn")
    outs = [str(tmp_path / f"w{w}.json") for w in range(WRITERS)]
    follower_out = str(tmp_path / "follower.json")
    follower = ctx.Process(target=_follower, args=(store, WRITERS * EVENTS, follower_out))
    follower.start()
    procs = [ctx.Process(target=_writer, args=(store, w, outs[w])) for w in range(WRITERS)]
    for p in procs:
        p.start()
    for p in procs + [follower]:
        p.join(180)
    assert all(p.exitcode == 0 for p in procs + [follower])
    ledger = Ledger(store)
    stream_id, _ = ledger.pair(*SHARED)
    shared = sorted(f.what for f in ledger.stream(stream_id))
    assert shared == sorted(f"writer {w} event {i}" for w in range(WRITERS) for i in range(0, EVENTS, 2))
    total = len(list(ledger.export_lines()))
    assert total == WRITERS * EVENTS  # exactly once
    assert json.load(open(follower_out))["seen"] == WRITERS * EVENTS
    assert sum(json.load(open(o))["recorded"] for o in outs) == total
    print(f"\n[{store.split('?')[0][:10]}] processes={WRITERS} events={total} lost=0")
    ledger.close()
