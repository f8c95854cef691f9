"""Every record order of the same facts that is accepted step by step gives the same projections."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from amity.ledger.app import Ledger
from tests.conftest import new_ledger
from amity.ledger.errors import RuleViolation
from amity.projections.history import history_rows
from amity.projections.status import status_row
from tests.props.strategies import lifecycle

TODAY = date(2026, 11, 23)


def project(ledger: Ledger, pair) -> tuple:
    stream_id, _ = ledger.pair(*pair)
    records = ledger.stream(stream_id)
    row = status_row(records, on=TODAY)
    return row, [(h["id"], h["date"], h["type"]) for h in history_rows(records)]


def record_in_order(facts, order, kind):
    ledger = new_ledger(kind)
    pending = [facts[i] for i in order]
    accepted_all = True
    for f in pending:
        try:
            ledger.record(f)
        except RuleViolation:
            accepted_all = False
    return ledger, accepted_all


def check_record_orders(facts, rnd, kind):
    pair = facts[0]["cities"]
    in_order, ok = record_in_order(facts, range(len(facts)), kind)
    assert ok, "a consistent history must be accepted in valid-time order"
    order = list(range(len(facts)))
    rnd.shuffle(order)
    shuffled, accepted = record_in_order(facts, order, kind)
    if accepted:
        assert project(shuffled, pair) == project(in_order, pair)
    # a consistent set can always be completed: the facts still missing, imported together as one file
    shuffled.import_events(list(enumerate(facts)))
    assert project(shuffled, pair) == project(in_order, pair)


@settings(max_examples=25)
@given(lifecycle(), st.randoms(use_true_random=False))
def test_any_accepted_record_order_gives_the_same_state_and_history_sqlite(facts, rnd):
    check_record_orders(facts, rnd, "sqlite")


@settings(max_examples=6)
@given(lifecycle(), st.randoms(use_true_random=False))
def test_any_accepted_record_order_gives_the_same_state_and_history_postgresql(facts, rnd):
    check_record_orders(facts, rnd, "postgresql")
