"""Partnerships and a network recorded together, in random order, amended and retracted: the views stay equal
to a rebuild (``test_views.expected_rows``) and the network's members equal a simple reference, on both stores."""

from __future__ import annotations

from datetime import UTC, date, datetime

import orjson
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from amity.events.dates import PartialDate
from amity.events.wire import to_wire
from amity.ledger.errors import AmityError
from amity.projections.networkreader import NetworkReader
from tests.props.reference import reference_members
from tests.props.strategies import network_history
from tests.props.test_views import TODAY, LedgerMachine

NETWORK = -1  # the network's facts in ``recorded`` (pairs are 0, 1, 2)


class MixedLedgerMachine(LedgerMachine):
    """The partnership machine, plus a network's facts interleaved with them (and open to its retractions)."""

    def __init__(self):
        super().__init__()
        self.network: list[dict] | None = None  # the network's facts still to record

    @rule(data=st.data())
    def record_next_network_fact(self, data):
        if self.network is None:
            self.network = data.draw(network_history())
        if not self.network:
            return
        before = b"".join(self.ledger.export_lines())
        try:  # after a retraction, the network's next fact may contradict what is left (a role of a member retracted)
            fact, _ = self.ledger.record(self.network.pop(0))
        except AmityError:
            assert b"".join(self.ledger.export_lines()) == before  # rejected: nothing written
            return
        self.recorded.append((NETWORK, to_wire(fact), str(fact.id)))

    @invariant()
    def the_networks_members_equal_the_reference(self):
        facts = [w for i, w, eid in self.recorded if i == NETWORK and eid not in self.retracted]
        if any(f["type"] == "NetworkRegistered" for f in facts):
            doc = NetworkReader(self.reader).network("GCN", TODAY)
            assert {m["member"]: (m["since"], m["listed"]) for m in doc["members"]} == reference_members(facts)

    @invariant()
    def every_network_by_day_from_the_views_equals_the_replay(self):
        """`amity networks` reads each network's row by day from the views; as known at a later instant it replays."""
        net, later = NetworkReader(self.reader), datetime(2100, 1, 1, tzinfo=UTC)
        days = sorted({TODAY, date(1950, 1, 1)} | {PartialDate.parse(w["date"]).earliest() for i, w, _ in self.recorded if i == NETWORK and "date" in w})
        for day in days:
            assert net.networks(day) == net.networks(day, as_known_at=later)

    @invariant()
    def a_members_facts_in_the_view_are_the_networks_facts_about_it(self):
        """The fast path (each member's facts and the network's own, ``networkview.member_facts``) equals the slow
        one (the network's row, filtered: ``networks.facts_of_row``), and so do the memberships folded from them."""
        from amity.projections import networks, networkview

        self.reader.catch_up()
        for stream, blob in networkview.facts_rows(self.reader.view):
            for member in sorted({w["member"] for _, w in orjson.loads(blob) if w.get("member")}):
                fast = networkview.member_facts(self.reader.view, [member])[stream]
                assert [[p, to_wire(f)] for p, f in networks.facts_of_row(blob, {member})] == fast
                for day in (TODAY, date(1975, 1, 1)):
                    doc = networks.document(networks.facts_of_row(blob, {member}), day)
                    assert NetworkReader(self.reader).memberships([member], day) == ([networks.membership_of(doc, member)] if doc and
                                                                                      networks.membership_of(doc, member) else [])


TestMixedLedgerMachine = MixedLedgerMachine.TestCase
TestMixedLedgerMachine.settings = settings(max_examples=12, stateful_step_count=15, deadline=None)


class PostgresMixedLedgerMachine(MixedLedgerMachine):
    kind = "postgresql"


TestPostgresMixedLedgerMachine = PostgresMixedLedgerMachine.TestCase
TestPostgresMixedLedgerMachine.settings = settings(max_examples=4, stateful_step_count=10, deadline=None)
