"""The materialised views: incremental equals rebuild equals a pure fold, as-of and as-known-at replay."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from amity.events.wire import to_wire
from amity.ledger.app import Ledger
from tests.conftest import new_ledger
from amity.ledger.errors import AmityError, StoreError
from amity.projections import catchup, views
from amity.projections.reader import Reader

from amity.events.wire import dumps

from amity.ledger.partnership import REGISTRY_ID
from amity.projections.anniversaries import establishing
from amity.projections.disputes import open_targets
from amity.projections.status import intervals
from tests.props.reference import reference_status
from tests.props.strategies import PAIRS, lifecycle

TODAY = date(2026, 11, 23)
from amity.events.network import NETWORK_TYPES  # noqa: E402
from amity.ledger import amendments  # noqa: E402
from amity.projections import networks  # noqa: E402
from amity.projections.networkdays import day_row  # noqa: E402


def expected_rows(ledger: Ledger) -> list[tuple]:
    streams = {r["stream"] for r in ledger.recorder.select_facts()}
    rows = []
    from uuid import UUID

    for s in sorted(streams):
        if UUID(s) == REGISTRY_ID:
            continue
        records = ledger.stream(UUID(s))
        if records and records[0].type in NETWORK_TYPES:  # a network: its row, its members' rows, its anniversaries
            row, members, founding = networks.view_rows(s, amendments.effective(records))
            rows += ([row, day_row(s, amendments.effective(records))] if row else []) + [(m, s) for m, s, _ in members if m] + members + founding
            continue
        items = intervals(records)
        disputed = min(open_targets(records).values(), default=None)  # the rule status_row applies, replayed
        rows += [views.timeline_row(s, items, disputed)] if items else []
        last = items[-1] if items else None  # the standing by every fact: the last interval's status, from its day
        rows += [(s, e["event_id"], e["type"], e["date"], e["year"], int(e["date"][5:7] or 0), int(e["date"][8:10] or 0), *e["cities"], int(e["terminated"]),
                  int(e["disputed"]), last["status"], last["valid_from"].isoformat(), dumps(e["source"]))
                 for e in establishing(records)]
    return sorted(rows)


class LedgerMachine(RuleBasedStateMachine):
    """Random valid records, corrections, retractions and projection restarts."""

    kind = "sqlite"

    def __init__(self):
        super().__init__()
        self.ledger = new_ledger(self.kind)
        self.reader = Reader(self.ledger)
        self.histories: dict[int, list[dict]] = {}
        self.recorded: list[tuple[int, dict, str]] = []  # (pair index, wire, id)
        self.retracted: set[str] = set()

    @rule(data=st.data(), pair=st.integers(0, len(PAIRS) - 1))
    def record_next(self, data, pair):
        if pair not in self.histories:
            self.histories[pair] = data.draw(lifecycle(PAIRS[pair]))
        todo = self.histories[pair]
        if todo:
            fact, _ = self.ledger.record(todo.pop(0))
            self.recorded.append((pair, to_wire(fact), str(fact.id)))

    @precondition(lambda self: self.recorded)
    @rule(data=st.data())
    def correct_a_commemoration(self, data):
        items = [r for r in self.recorded if r[1]["type"] == "CommemorationHeld" and r[2] not in self.retracted]
        if items:
            _, wire, event_id = data.draw(st.sampled_from(items))
            self.ledger.correct(event_id, {"what": data.draw(st.sampled_from(["a street named", "a city day"]))}, {"title": "generated"})

    @precondition(lambda self: self.recorded)
    @rule(data=st.data())
    def retract_something(self, data):
        _, wire, event_id = data.draw(st.sampled_from(self.recorded))
        before = b"".join(self.ledger.export_lines())
        try:
            self.ledger.retract(event_id, "generated", {"title": "generated"})
            self.retracted.add(event_id)
        except AmityError:
            assert b"".join(self.ledger.export_lines()) == before

    @rule()
    def restart_the_projection(self):
        self.reader = Reader(self.ledger)

    @rule()
    def catch_up(self):
        self.reader.catch_up()

    @invariant()
    def views_equal_a_rebuild_and_the_reference(self):
        self.reader.catch_up()
        assert sorted(self.reader.view.all_rows()) == expected_rows(self.ledger)
        for row in self.reader.status(as_of=TODAY):
            pair = next(i for i, p in enumerate(PAIRS) if sorted(p) == row["cities"])
            facts = [w for i, w, eid in self.recorded if i == pair and eid not in self.retracted and not w["type"].startswith("Invitation")]
            assert (row["status"], row["tier"]) == reference_status(facts)

    def teardown(self):
        del self.reader


TestLedgerMachine = LedgerMachine.TestCase
TestLedgerMachine.settings = settings(max_examples=12, stateful_step_count=12, deadline=None)


class PostgresLedgerMachine(LedgerMachine):
    kind = "postgresql"


TestPostgresLedgerMachine = PostgresLedgerMachine.TestCase
TestPostgresLedgerMachine.settings = settings(max_examples=4, stateful_step_count=10, deadline=None)


def check_as_of(h1, h2, day, kind):
    full = new_ledger(kind)
    for f in h1 + h2:
        full.record(f)
    partial = new_ledger(kind)
    for f in h1 + h2:
        if f["date"] <= day.isoformat()[: len(f["date"])]:
            partial.record(f)
    got = Reader(full).status(as_of=day)
    want = Reader(partial).status(as_of=day)
    assert got == want


def record_at(ledger, facts, start):
    """Record each fact with the ledger's clock at ``start`` plus i minutes (record times are the ledger's own)."""
    for i, f in enumerate(facts):
        ledger.clock = lambda i=i: start + timedelta(minutes=i)
        ledger.record(f)


def check_as_known_at(history, data, kind):
    start = datetime.now(UTC) - timedelta(hours=12)  # recent: the database refuses record times a day old
    full = new_ledger(kind)
    record_at(full, history, start)
    cut = data.draw(st.integers(0, len(history)))
    instant = (start + timedelta(minutes=cut, seconds=30)).replace(microsecond=0) if cut < len(history) else datetime(2030, 1, 1, tzinfo=UTC)
    partial = new_ledger(kind)
    record_at(partial, history[: cut + 1], start)
    assert Reader(full).status(as_known_at=instant, as_of=TODAY) == Reader(partial).status(as_of=TODAY)


@settings(max_examples=15, deadline=None)
@given(lifecycle(PAIRS[0]), lifecycle(PAIRS[1]), st.dates(min_value=date(1950, 1, 1), max_value=TODAY))
def test_as_of_equals_a_ledger_holding_only_the_events_dated_up_to_that_day_sqlite(h1, h2, day):
    check_as_of(h1, h2, day, "sqlite")


@settings(max_examples=4, deadline=None)
@given(lifecycle(PAIRS[0]), lifecycle(PAIRS[1]), st.dates(min_value=date(1950, 1, 1), max_value=TODAY))
def test_as_of_equals_a_ledger_holding_only_the_events_dated_up_to_that_day_postgresql(h1, h2, day):
    check_as_of(h1, h2, day, "postgresql")


@settings(max_examples=10, deadline=None)
@given(lifecycle(PAIRS[0]), st.data())
def test_as_known_at_equals_a_ledger_holding_only_the_events_recorded_by_then_sqlite(history, data):
    check_as_known_at(history, data, "sqlite")


@settings(max_examples=4, deadline=None)
@given(lifecycle(PAIRS[0]), st.data())
def test_as_known_at_equals_a_ledger_holding_only_the_events_recorded_by_then_postgresql(history, data):
    check_as_known_at(history, data, "postgresql")


def test_a_crash_between_append_and_view_update_loses_nothing(seed_ledger, monkeypatch):
    monkeypatch.setattr(catchup, "FLUSH_STREAMS", 2)  # several flushes in the one view transaction
    reader = Reader(seed_ledger)
    calls = {"n": 0}
    original = views.PartnershipView.replace_rows_in

    def crash_on_third_flush(self, c, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("killed")
        return original(self, c, *args, **kwargs)

    monkeypatch.setattr(views.PartnershipView, "replace_rows_in", crash_on_third_flush)
    with pytest.raises(StoreError, match="killed"):
        reader.catch_up()
    assert calls["n"] == 3
    assert reader.view.max_tracking_id(views.VIEW_NAME) in (None, 0)  # rolled back: position and rows as before
    assert reader.view.all_rows() == []
    monkeypatch.setattr(views.PartnershipView, "replace_rows_in", original)
    Reader(seed_ledger).catch_up()
    assert sorted(Reader(seed_ledger).view.all_rows()) == expected_rows(seed_ledger)
    assert reader.view.max_tracking_id(views.VIEW_NAME) == seed_ledger.recorder.max_notification_id()


def test_an_import_keeps_current_views_current_in_its_own_transaction(seed_ledger):
    reader = Reader(seed_ledger)
    reader.catch_up()
    line = {"type": "CommemorationHeld", "cities": ["Seoul", "Tashkent"], "date": "2020-05-01", "source": {"title": "t"}}
    seed_ledger.import_events([(1, line)], projector=reader.projector())
    assert reader.view.max_tracking_id(views.VIEW_NAME) == seed_ledger.recorder.max_notification_id()
    assert sorted(reader.view.all_rows()) == expected_rows(seed_ledger)


def test_views_written_between_fetches_of_the_streams_are_the_same(seed_ledger, monkeypatch):
    """The streams are read while the views are written in the same transaction: neither may disturb the other."""
    from amity.ledger import writer

    monkeypatch.setattr(writer, "FETCH_ROWS", 3)
    monkeypatch.setattr(catchup, "FLUSH_STREAMS", 2)
    reader = Reader(seed_ledger)
    assert reader.rebuild() == len(list(seed_ledger.export_lines()))
    assert sorted(reader.view.all_rows()) == expected_rows(seed_ledger)


def test_a_rebuild_by_two_worker_processes_gives_the_same_views(monkeypatch):
    """SQLite's parallel rebuild (PostgreSQL rebuilds in one process)."""
    from amity.ledger.jsonlines import read_lines
    from tests.conftest import SEEDS

    seed_ledger = new_ledger("sqlite")
    seed_ledger.import_events(read_lines(str(SEEDS)), where=str(SEEDS))
    reader = Reader(seed_ledger)
    serial = (reader.rebuild(), sorted(reader.view.all_rows()))
    monkeypatch.setattr(catchup, "PARALLEL_MIN_EVENTS", 1)
    seen = []
    assert reader.rebuild(lambda done, total: seen.append((done, total))) == serial[0]
    assert sorted(reader.view.all_rows()) == serial[1] == expected_rows(seed_ledger)
    registry = sum(b'"type":"Place' in line for line in seed_ledger.export_lines())  # the workers skip the place registry
    assert seen and seen[-1][0] == len(list(seed_ledger.export_lines())) - registry


def test_rebuild_gives_the_same_views(seed_ledger):
    reader = Reader(seed_ledger)
    reader.catch_up()
    before = sorted(reader.view.all_rows())
    assert reader.rebuild() == len(list(seed_ledger.export_lines()))
    assert sorted(reader.view.all_rows()) == before == expected_rows(seed_ledger)
