"""`verify` validates each stored fact straight from its stored bytes: that refuses exactly what validating the
decoded state refuses, brings older class versions up to date first, and the walk reads the chain as it is."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amity.events.partnership import FACT_TYPES
from amity.events.wire import dumps, parse_fact, to_wire
from amity.ledger.integrity import CHAIN_COLUMNS, TOPIC_OF, Verifier, chain_rows
from amity.ledger.mapping import KNOWN_TOPICS, stored_fact, validated
from tests.conftest import SEEDS

STATES = [dumps({**to_wire(parse_fact(orjson.loads(line))), "id": "5b0c7e0a-0000-5000-8000-000000000009",
                 "recorded_at": "2026-11-23T09:00:00.000000Z", "recorded_by": "t"})
          for line in SEEDS.read_text().splitlines() if line.strip()]
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False), st.text(max_size=12),
                   st.sampled_from(["2010", "2010-13", "2010-02-30", "sister", "emperor", "Seoul, KR", "2026-11-23T09:00:00Z",
                                    "not-a-uuid", " padded "]),
                   st.lists(st.text(max_size=8), max_size=3), st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=2))


def outcome(validate: Any) -> str:
    try:
        validate()
    except (ValueError, TypeError):  # pydantic's ValidationError is a ValueError
        return "refused"
    return "valid"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(STATES), st.data())
def test_validating_the_stored_bytes_refuses_exactly_what_validating_the_decoded_state_refuses(state, data):
    d = orjson.loads(state)
    key = data.draw(st.sampled_from([*d, "unknown_field"]))
    if data.draw(st.booleans()):
        d.pop(key, None)
    else:
        d[key] = data.draw(VALUES)
    cls = KNOWN_TOPICS[f"amity.events:{orjson.loads(state)['type']}"]
    mutated = dumps(d)
    bytes_way = outcome(lambda: stored_fact(cls, mutated, orjson.loads(mutated)))
    assert bytes_way == outcome(lambda: validated(cls, orjson.loads(mutated)))
    if bytes_way == "valid":
        assert stored_fact(cls, mutated, orjson.loads(mutated)) == validated(cls, orjson.loads(mutated))


def test_every_seed_fact_validates_from_its_bytes_as_it_does_decoded():
    for state in STATES:
        cls = KNOWN_TOPICS[f"amity.events:{orjson.loads(state)['type']}"]
        assert stored_fact(cls, state, orjson.loads(state)) == validated(cls, orjson.loads(state))


def test_a_state_of_an_older_class_version_is_upcast_before_it_is_validated(monkeypatch):
    golden = (SEEDS.parent.parent / "tests" / "golden" / "mou_v1.json").read_bytes()

    from tests.conftest import mou_signed_v2

    MoUSignedV2 = mou_signed_v2()

    old = orjson.loads(golden) | {"class_version": 1}
    fact = stored_fact(MoUSignedV2, dumps(old), old)
    assert fact.note == "[instrument was proclamation]" and "class_version" in old  # the decoded state is left as it was
    with pytest.raises(ValueError):
        stored_fact(MoUSignedV2, dumps(old | {"tier": "emperor"}), old | {"tier": "emperor"})


def test_each_type_has_one_topic_and_each_topic_one_type():
    assert all(KNOWN_TOPICS[topic] is FACT_TYPES[name] for name, topic in TOPIC_OF.items()) and len(KNOWN_TOPICS) == len(TOPIC_OF)


def test_the_walk_reads_every_index_row_with_its_stored_event(seed_ledger):
    rows = list(chain_rows(seed_ledger.recorder))
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1)) and set(rows[0]) == set(CHAIN_COLUMNS)
    assert all(r["notification_id"] == r["position"] and orjson.loads(r["state"])["id"] == r["event_id"] for r in rows)
    assert Verifier(seed_ledger.recorder).run()["ok"]


def append_behind_the_rules(ledger, stream: str, state: dict[str, Any]) -> None:
    """Append a chained event the way a writer calling the append function itself could: no rule checked."""
    from datetime import UTC, datetime

    from amity.events.partnership import format_instant
    from amity.ledger.integrity import content_hash
    from amity.ledger.writer import NewEvent

    state = {**state, "recorded_at": format_instant(datetime.now(UTC)), "recorded_by": "mallory"}
    with ledger.recorder.writer() as w:
        version = w.versions([stream]).get(stream, 0) + 1
        w.insert([NewEvent(stream, version, f"amity.events:{state['type']}", dumps(state), state["id"], content_hash(state),
                           state["type"], state["recorded_at"], "mallory")])


@pytest.mark.parametrize("network, needle", [("ASEAN Smart Cities Network", "stored in another stream"), ("No Such Network", "does not resolve")])
def test_a_network_fact_in_another_networks_stream_or_of_no_network_is_found(seed_ledger, network, needle):
    from amity.ledger.networks import network_id

    state = {"type": "MembershipJoined", "network": network, "member": "Kuala Lumpur, MY", "date": "2020",
             "source": {"title": "t"}, "id": "5b0c7e0a-0000-5000-8000-000000000003"}
    append_behind_the_rules(seed_ledger, network_id("C40").hex, state)  # ASCN's names resolved many times before it
    report = Verifier(seed_ledger.recorder).run()
    assert not report["ok"] and needle in report["first_bad"]["reason"] and report["first_bad"]["seq"] == report["events"] + 1
