"""The views machine of test_views.py, also recording what sources say (#19): corroborations, invitations,
disputes and resolutions. Incremental views still equal a rebuild, and status the reference."""

from __future__ import annotations

from datetime import date

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from amity.events.dates import PartialDate
from amity.events.wire import to_wire
from amity.ledger.errors import AmityError
from amity.ledger.streamids import partnership_id
from amity.events.vocab import ESTABLISHING_TYPES
from amity.projections.anniversaries import MILESTONES, establishing
from amity.projections.status import status_row
from tests.props.strategies import PAIRS
from tests.props.test_views import TODAY, LedgerMachine


class SourcesMachine(LedgerMachine):
    @precondition(lambda self: self.recorded)
    @rule(data=st.data(), coarser=st.booleans())
    def corroborate_something(self, data, coarser):
        """The same fact from a second source (#19), at the same date or only its year: kept, counted once."""
        pair, wire, _ = data.draw(st.sampled_from([r for r in self.recorded if "target" not in r[1]]))
        again = {k: v for k, v in wire.items() if k not in ("id", "recorded_at", "recorded_by", "as_written")}
        again |= {"source": {"title": "a second source"}} | ({"date": wire["date"][:4]} if coarser else {})
        before = b"".join(self.ledger.export_lines())
        try:
            fact, new = self.ledger.record(again)
        except AmityError:  # e.g. the fact it repeats was retracted, and alone it contradicts the rest
            assert b"".join(self.ledger.export_lines()) == before
            return
        if new:
            self.recorded.append((pair, to_wire(fact), str(fact.id)))

    @precondition(lambda self: self.recorded)
    @rule(data=st.data(), resolve=st.sampled_from([None, "original", "disputed"]))
    def invite_or_dispute(self, data, resolve):
        """An invitation (activity), or a dispute of a commemoration's ``what`` and perhaps its resolution (#19)."""
        pair, wire, event_id = data.draw(st.sampled_from(self.recorded))
        if wire["type"] != "CommemorationHeld" or event_id in self.retracted:
            invitation = {"type": "InvitationExtended", "cities": list(PAIRS[pair]), "date": wire["date"], "to": "a forum",
                          "invited": "the mayor", "source": {"title": "generated"}}
            fact, _ = self.ledger.record(invitation)
            self.recorded.append((pair, to_wire(fact), str(fact.id)))
            return
        claim, new = self.ledger.record({"type": "ClaimDisputed", "target": event_id, "field": "what", "value": "another what",
                                         "source": {"title": "another source"}})
        if resolve and new:
            self.ledger.record({"type": "DisputeResolved", "target": str(claim.id), "accepted": resolve, "source": {"title": "desk"}})

    @precondition(lambda self: any(r[1]["type"] in ESTABLISHING_TYPES for r in self.recorded))
    @rule(data=st.data(), resolve=st.sampled_from([None, "original", "disputed"]))
    def dispute_an_establishing_event(self, data, resolve):
        """Another source gives an establishing event another instrument (an MoU) or only its year, perhaps decided:
        its anniversaries are marked while the dispute is open."""
        _, wire, event_id = data.draw(st.sampled_from([r for r in self.recorded if r[1]["type"] in ESTABLISHING_TYPES]))
        field, value = ("instrument", "agreement" if wire.get("instrument") != "agreement" else "mou") if wire["type"] == "MoUSigned" \
            else ("date", wire["date"][:4])
        try:
            claim, new = self.ledger.record({"type": "ClaimDisputed", "target": event_id, "field": field, "value": value,
                                             "source": {"title": "another source"}})
            if resolve and new:
                self.ledger.record({"type": "DisputeResolved", "target": str(claim.id), "accepted": resolve, "source": {"title": "desk"}})
        except AmityError:  # e.g. its target was retracted, the value is the one on file, or accepting it breaks a rule
            pass

    @invariant()
    def anniversaries_are_disputed_and_suspended_as_a_replay_says(self):
        """The anniversary view's ``disputed`` mark is the replayed rule's (``open_targets``), and ``suspended`` the
        replayed status today of its partnership."""
        rows = self.reader.anniversaries(date(1950, 1, 1), date(2100, 12, 31), MILESTONES, True)
        want = {}
        for stream in {self.ledger.pair(*PAIRS[p])[0] for p, _, _ in self.recorded}:
            records = self.ledger.stream(stream)
            row = status_row(records, on=TODAY)
            for e in establishing(records):
                want[e["event_id"]] = (e["disputed"], row is not None and row["status"] == "suspended")
        assert {r["event_id"] for r in rows} <= set(want)
        assert all((r["disputed"], r["suspended"]) == want[r["event_id"]] for r in rows)

    @invariant()
    def status_is_disputed_on_the_days_a_replay_says(self):
        """The view's ``disputed`` mark, on each day a fact starts and today, is the replayed rule's (``status_row``)."""
        days = sorted({PartialDate.parse(w["date"]).earliest() for _, w, _ in self.recorded if "date" in w} | {TODAY})
        for day in days:
            for row in self.reader.status(as_of=day):
                stream = partnership_id(*row["place_ids"])  # a stream is named by its places' ids
                assert row["disputed"] == status_row(self.ledger.stream(stream), on=day)["disputed"]


TestSourcesMachine = SourcesMachine.TestCase
TestSourcesMachine.settings = settings(max_examples=12, stateful_step_count=14, deadline=None)


class PostgresSourcesMachine(SourcesMachine):
    kind = "postgresql"


TestPostgresSourcesMachine = PostgresSourcesMachine.TestCase
TestPostgresSourcesMachine.settings = settings(max_examples=3, stateful_step_count=10, deadline=None)
