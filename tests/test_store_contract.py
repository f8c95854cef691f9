"""The contract every store keeps (SQLite and PostgreSQL alike): what the ledger and its read port rely on.

Each test runs on both stores (``seed_ledger`` is parametrised over them); a new store passes these first.
"""

from __future__ import annotations

from collections import Counter
from uuid import UUID

from amity.events.wire import to_wire
from amity.ledger.partnership import REGISTRY_ID
from amity.ledger.records import read_part


def _index(ledger) -> list[dict]:
    return ledger.recorder.select_facts()


def test_the_read_port_yields_every_stream_but_the_registry_decoded_as_the_validating_mapper_does(seed_ledger):
    """Equal facts, and the same wire form: a replayed fact's ``to_wire`` is its stored form, a validated one's is dumped."""
    rows = _index(seed_ledger)
    with seed_ledger.records() as records:
        assert records.top == records.start == max(r["position"] for r in rows)
        streams = dict(records.streams())
    expected = Counter(r["stream"] for r in rows if r["stream"] != REGISTRY_ID.hex)
    assert REGISTRY_ID.hex not in streams and expected  # the seeds register places
    assert {s: len(f) for s, f in streams.items()} == dict(expected)
    for stream, facts in streams.items():
        validated = list(seed_ledger.repository.get(UUID(stream)).facts)  # the library's repository: our mapper, validating
        assert [to_wire(f) for f in facts] == [to_wire(f) for f in validated]


def test_streams_touched_after_a_position_are_counted_without_the_registry(seed_ledger):
    rows = _index(seed_ledger)
    middle = sorted(r["position"] for r in rows)[len(rows) // 2]
    with seed_ledger.records() as records:
        touched = records.touched_after(middle)
        wanted = dict(records.streams(sorted(touched)))
    assert touched == dict(Counter(r["stream"] for r in rows if r["position"] > middle and r["stream"] != REGISTRY_ID.hex))
    assert set(wanted) == set(touched)


def test_a_writer_sees_the_index_the_versions_and_the_states_on_file(seed_ledger):
    rows = _index(seed_ledger)
    last = rows[-1]
    with seed_ledger.recorder.writer(commit=False) as w:
        assert (w.start_top, w.top) == (max(r["position"] for r in rows),) * 2
        assert w.head == seed_ledger.recorder.chain_head() == (len(rows), last["hash"])
        assert set(w.lookup([r["event_id"] for r in rows[:3]] + ["no-such-id"])) == {r["event_id"] for r in rows[:3]}
        versions = w.versions([last["stream"]])
        assert versions == {last["stream"]: max(r["version"] for r in rows if r["stream"] == last["stream"])}
        topic, state = w.state_of(last["stream"], last["version"])
        assert (topic, state) == (last["topic"], bytes(last["state"]))


def test_a_chain_link_and_an_id_lookup_agree_with_the_index(seed_ledger):
    rows = _index(seed_ledger)
    assert seed_ledger.recorder.chain_link(rows[0]["seq"]) == rows[0]["hash"]
    assert seed_ledger.recorder.chain_link(len(rows) + 1) is None
    found = seed_ledger.recorder.lookup_ids([rows[1]["event_id"]])
    assert found[rows[1]["event_id"]]["position"] == rows[1]["position"]


def test_the_parts_a_store_offers_for_a_parallel_rebuild_cover_every_stream_once(seed_ledger, store_kind):
    with seed_ledger.records() as records:
        parts = records.parts()
        every = dict(records.streams())
    if store_kind == "postgresql":
        assert parts is None  # rebuilt in one process
        return
    assert parts is not None and len(parts) == 2
    read = [stream for part in parts for stream, _ in read_part(part)]
    assert sorted(read) == sorted(every) and len(read) == len(set(read))


def test_a_writer_that_does_not_commit_leaves_nothing(seed_ledger):
    before = len(_index(seed_ledger))
    line = {"type": "PartnershipProposed", "cities": ["Kyoto, JP", "Paris, FR"], "date": "1958",
            "source": {"title": "a contract test", "url": "https://example.org/contract"}}
    summary = seed_ledger.import_events([(1, line)], dry_run=True)
    assert summary.imported == 1 and len(_index(seed_ledger)) == before
