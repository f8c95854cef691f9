"""The seed ledger, checked by name against the source documents."""

from datetime import date

import pytest

from amity.projections.reader import Reader


def row(reader, a, b, **kw):
    rows = [r for r in reader.status(**kw) if {a, b} == set(r["cities"])]
    return rows[0] if rows else None


@pytest.fixture
def reader(seed_ledger):
    return Reader(seed_ledger)


def test_casablanca_is_intent_in_1991_and_active_from_the_1992_mou(reader):
    assert row(reader, "Casablanca, MA", "Kuala Lumpur, MY", as_of=date(1991, 6, 1))["status"] == "intent"
    assert row(reader, "Casablanca, MA", "Kuala Lumpur, MY", as_of=date(1992, 7, 10))["status"] == "intent"
    r = row(reader, "Casablanca, MA", "Kuala Lumpur, MY", as_of=date(1992, 7, 11))
    assert (r["status"], r["since"]) == ("active", "1992-07-11")


def test_esfahan_is_still_intent(reader):
    assert row(reader, "Isfahan, IR", "Kuala Lumpur, MY")["status"] == "intent"


def test_ankara_has_been_active_since_the_1984_proclamation(reader):
    r = row(reader, "Ankara, TR", "Kuala Lumpur, MY")
    assert (r["status"], r["since"], r["established"]) == ("active", "1984-02-01", "1984-02-01")


def test_tashkent_was_elevated_to_sister_in_2010_and_2010_is_uncertain_mid_year(reader):
    r = row(reader, "Seoul, KR", "Tashkent, UZ")
    assert (r["tier"], r["since"], r["established"]) == ("sister", "2010", "2006")
    mid = row(reader, "Seoul, KR", "Tashkent, UZ", as_of=date(2010, 6, 1))
    assert mid["tier"] == "sister" and mid["uncertain"]
    assert not row(reader, "Seoul, KR", "Tashkent, UZ", as_of=date(2011, 1, 1))["uncertain"]


def test_tehran_was_dormant_between_the_1970s_and_2014(reader):
    assert row(reader, "Seoul, KR", "Tehran, IR", as_of=date(2000, 1, 1))["dormant"]
    assert not row(reader, "Seoul, KR", "Tehran, IR", as_of=date(2014, 6, 1))["dormant"]
    assert row(reader, "Seoul, KR", "Tehran, IR", as_of=date(2014, 6, 1))["status"] == "active"
    assert not row(reader, "Seoul, KR", "Tehran, IR", as_of=date(2000, 1, 1), dormant_years=30)["dormant"]


def test_a_correction_changes_the_status_and_as_known_at_shows_what_was_believed(seed_ledger, reader):
    from datetime import UTC, datetime, timedelta

    chennai = row(reader, "Chennai, IN", "Kuala Lumpur, MY")
    assert chennai["tier"] == "twin"
    before = datetime.now(UTC) + timedelta(microseconds=1)
    stream_id, _ = seed_ledger.pair("Chennai", "Kuala Lumpur")
    mou = seed_ledger.stream(stream_id)[0]
    seed_ledger.correct(str(mou.id), {"tier": "friendship"}, {"title": "test"})
    assert row(reader, "Chennai, IN", "Kuala Lumpur, MY")["tier"] == "friendship"
    assert row(reader, "Chennai, IN", "Kuala Lumpur, MY", as_known_at=before)["tier"] == "twin"


def test_a_correction_that_breaks_a_rule_is_rejected(seed_ledger, reader):
    from amity.ledger.errors import RuleViolation

    stream_id, _ = seed_ledger.pair("Seoul", "Tashkent")
    mou = next(f for f in seed_ledger.stream(stream_id) if f.type == "MoUSigned")
    with pytest.raises(RuleViolation, match="conflicts with a later fact on file: RelationshipElevated of 2010"):
        seed_ledger.correct(str(mou.id), {"tier": "sister"}, {"title": "test"})


def test_a_retracted_event_no_longer_counts(seed_ledger, reader):
    stream_id, _ = seed_ledger.pair("Kuala Lumpur", "Casablanca, MA")
    mou = next(f for f in seed_ledger.stream(stream_id) if f.type == "MoUSigned")
    seed_ledger.retract(str(mou.id), "test", {"title": "test"})
    assert row(reader, "Casablanca, MA", "Kuala Lumpur, MY")["status"] == "intent"


def test_the_disputed_mark_read_from_the_view_is_the_replayed_rule_on_every_day_a_step_starts_and_the_day_before(seed_ledger, reader):
    """``status`` reads ``disputed`` from the timeline view; ``status_row`` replays the partnership's facts to say it."""
    from datetime import timedelta

    from amity.ledger.streamids import partnership_id
    from amity.projections.status import status_row

    marked = 0
    for row in reader.status():
        records = seed_ledger.stream(partnership_id(*row["place_ids"]))
        starts = {f.date.earliest() for f in records if getattr(f, "date", None) is not None}
        for day in sorted(starts | {d - timedelta(days=1) for d in starts}):
            got = [r for r in reader.status(as_of=day) if r["place_ids"] == row["place_ids"]]
            want = status_row(records, on=day)
            assert [r["disputed"] for r in got] == ([want["disputed"]] if want else [])
            marked += sum(r["disputed"] for r in got)
    assert marked  # the seeds hold an open dispute (Kuala Lumpur – Seoul): some days are marked
