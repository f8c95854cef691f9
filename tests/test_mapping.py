"""Stored events: pinned topics, orjson round trip, and upcasting of an old payload."""

from __future__ import annotations

import pytest

from uuid import uuid4

import orjson
from eventsourcing.persistence import StoredEvent
from hypothesis import given
from hypothesis import strategies as st

from amity.events.partnership import FACT_TYPES, MoUSigned
from amity.events.wire import parse_fact, to_wire
from amity.ledger.mapping import FactMapper
from amity.ledger.partnership import Recorded
from tests.conftest import SEEDS


def test_every_event_class_has_a_pinned_topic_that_is_not_its_module_path():
    for name, cls in FACT_TYPES.items():
        assert cls.TOPIC == f"amity.events:{name}"


def test_seed_events_round_trip_through_the_mapper():
    mapper = FactMapper()
    for i, line in enumerate(SEEDS.read_text().splitlines()):
        fact = parse_fact(orjson.loads(line)).model_copy(update={"id": uuid4()})
        stored = mapper.to_stored_event(Recorded(uuid4(), i + 1, None, fact))  # type: ignore[arg-type]
        back = mapper.to_domain_event(stored).fact
        assert back == fact and to_wire(back) == to_wire(fact)


@given(st.sampled_from(["cooperation", "friendship", "sister", "twin", "business_partner"]), st.sampled_from(["mou", "agreement", "proclamation", "protocol"]), st.text(min_size=1, max_size=40).filter(str.strip))
def test_events_round_trip_through_serialisation(tier, instrument, title):
    fact = MoUSigned(cities=("A, KR", "B, UZ"), date="2006", tier=tier, instrument=instrument, source={"title": title})
    stored = FactMapper().to_stored_event(Recorded(uuid4(), 1, None, fact))  # type: ignore[arg-type]
    assert FactMapper().to_domain_event(stored).fact == fact


def test_an_old_payload_is_upcast_before_validation(monkeypatch):
    """A golden v1 payload read by a v2 class that renamed ``instrument`` to ``kind_of_instrument``."""
    golden = (SEEDS.parent.parent / "tests" / "golden" / "mou_v1.json").read_bytes()

    from tests.conftest import mou_signed_v2

    MoUSignedV2 = mou_signed_v2()

    import amity.ledger.mapping as mapping

    monkeypatch.setitem(mapping.KNOWN_TOPICS, "amity.events:MoUSigned", MoUSignedV2)
    fact = FactMapper().to_domain_event(StoredEvent(uuid4(), 1, "amity.events:MoUSigned", golden)).fact
    assert fact.note == "[instrument was proclamation]" and str(fact.date) == "1984-02-01"


def test_a_stored_topic_that_is_not_an_event_class_is_refused_without_importing_it():
    """A tampered topic naming any installed module must not be imported by a read (it printed the Zen of Python)."""
    import sys

    from amity.ledger.errors import StoreError

    sys.modules.pop("this", None)
    with pytest.raises(StoreError, match="unknown topic"):
        FactMapper().to_domain_event(StoredEvent(uuid4(), 1, "this:MoUSigned", b"{}"))
    assert "this" not in sys.modules
