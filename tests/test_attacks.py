"""Every attack of the adversarial review is refused or found: on SQLite with direct access to the file,
on PostgreSQL as the README's writer role (and, where only a superuser could try it, as a superuser)."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time

import psycopg
import pytest

from tests.conftest import SEEDS, new_store
from tests.test_integrity import Tamper, verify


def writer_sql(store: str, sql: str, params=()):
    """SQL as the ledger's writer role (the URL's own user), with nothing disabled."""
    url = store.split("?")[0]
    schema = store.split("schema=")[1]
    with psycopg.connect(url) as conn:  # one transaction (LOCK TABLE needs one), committed if it goes through
        return conn.execute(sql.replace("{s}", f'"{schema}"'), params)


def test_a_forged_event_with_an_index_row_outside_the_chain_is_found(seed_ledger, store, cli):
    t = Tamper(seed_ledger)
    stream, version = t.row(3)
    forged = t.state(3).replace(b'"MoUSigned"', b'"RelationshipTerminated"')
    oid = stream if seed_ledger.url.kind == "sqlite" else f"{stream[:8]}-{stream[8:12]}-{stream[12:16]}-{stream[16:20]}-{stream[20:]}"
    t.run("INSERT INTO {events} (originator_id, originator_version, topic, state) VALUES (?, 999, 'amity.events:RelationshipTerminated', ?)", (oid, forged))
    t.run("INSERT INTO {facts} (position, event_id, content_hash, stream, version, type, recorded_at, recorded_by, stored_at, stored_by, seq, hash) "
          "VALUES (999999, 'forged', 'x', ?, 999, 'RelationshipTerminated', 'a', 'b', 'c', 'd', 0, 'e')", (stream,))
    code, report, err = verify(cli, store)
    assert code == 1 and "outside the chain" in report["first_bad"]["reason"]
    code, _, _ = verify(cli, store, "--digest", "0" * 64, "--position", "28")
    assert code == 1


@pytest.fixture
def pg_seeded(cli):
    """A PostgreSQL ledger holding the seeds, and its writer's URL (the README's role recipe)."""
    store = new_store("postgresql")
    assert cli("import", str(SEEDS), "--store", store).code == 0
    return store


def test_the_writer_role_cannot_insert_update_or_delete_events_or_index_rows(pg_seeded):
    store = pg_seeded
    for sql in ("INSERT INTO {s}.amity_facts (position, event_id, content_hash, stream, version, type, recorded_at, recorded_by, "
                "stored_at, stored_by, seq, hash) VALUES (1e9, 'x', 'x', 'x', 1, 'x', 'x', 'x', 'x', 'x', 0, 'x')",
                "INSERT INTO {s}.amity_events (originator_id, originator_version, topic, state) VALUES (gen_random_uuid(), 1, 't', '\\x00')",
                "UPDATE {s}.amity_facts SET stored_by = 'someone'", "DELETE FROM {s}.amity_events", "TRUNCATE {s}.amity_facts",
                "LOCK TABLE {s}.amity_events IN EXCLUSIVE MODE"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            writer_sql(store, sql)


def test_a_squatted_id_does_not_make_an_import_skip_a_fact(store, tmp_path, cli):
    """An index row carrying the id of a fact not yet imported: the import does not take it as on file."""
    assert cli("import", str(SEEDS), "--store", store).code == 0
    from amity.ledger.app import Ledger

    line = {"type": "CommemorationHeld", "cities": ["Seoul, KR", "Tashkent, UZ"], "date": "2025-08", "what": "a test",
            "source": {"title": "test"}}
    ledger = Ledger(store)
    t = Tamper(ledger)
    import uuid

    from amity.events.wire import EVENT_ID_NAMESPACE, dumps

    wire = {**line, "cities": ["Seoul, KR", "Tashkent, UZ"]}
    squatted = str(uuid.uuid5(EVENT_ID_NAMESPACE, dumps(wire).decode()))
    t.run("INSERT INTO {facts} (position, event_id, content_hash, stream, version, type, recorded_at, recorded_by, stored_at, stored_by, seq, hash) "
          "VALUES (999999, ?, 'x', ?, 1, 'CommemorationHeld', 'a', 'b', 'c', 'd', 0, 'e')", (squatted, uuid.uuid4().hex))
    f = tmp_path / "one.jsonl"
    f.write_text(json.dumps(line) + "\n")
    r = cli("import", str(f), "--store", store, "--json")
    assert r.code in (0, 1), r.err
    if r.code == 0:  # never "skipped: already on file"
        assert json.loads(r.out) == {"imported": 1, "skipped": 0}
    else:  # or refused: the squatter holds the id
        assert "event_id" in r.err or "unique" in r.err.lower(), r.err
    assert verify(cli, store)[0] == 1  # and the squatter is found


def test_only_the_owner_may_append_with_custody_fields_of_its_own(pg_seeded):
    store = pg_seeded
    state = b'{"cities":["A, KR","B, KR"],"date":"2000","id":"i","recorded_at":"2026-01-01T00:00:00.000000Z","recorded_by":"x","source":{"title":"t"},"type":"CommemorationHeld","what":"w"}'
    with pytest.raises(psycopg.errors.RaiseException, match="only the ledger's owner"):
        writer_sql(store, "SELECT * FROM {s}.amity_append(ARRAY[gen_random_uuid()], ARRAY[1::bigint], ARRAY['amity.events:CommemorationHeld'], "
                   "ARRAY[%s::bytea], ARRAY['i'], ARRAY['h'], ARRAY['CommemorationHeld'], ARRAY['2026-01-01T00:00:00.000000Z'], ARRAY['x'], "
                   "ARRAY['2020-01-01T00:00:00.000000Z'], ARRAY['someone_else'], ARRAY['h'])", (state,))
    with pytest.raises(psycopg.errors.RaiseException, match="in the past"):  # and a backdated record time without custody
        writer_sql(store, "SELECT * FROM {s}.amity_append(ARRAY[gen_random_uuid()], ARRAY[1::bigint], ARRAY['amity.events:CommemorationHeld'], "
                   "ARRAY[%s::bytea], ARRAY['i'], ARRAY['h'], ARRAY['CommemorationHeld'], ARRAY['2026-01-01T00:00:00.000000Z'], ARRAY['x'])", (state,))
    odd = state.replace(b"2026-01-01T00:00:00.000000Z", b"2026-01-01 99")
    with pytest.raises(psycopg.errors.RaiseException, match="not an instant"):  # a record time no reader could parse
        writer_sql(store, "SELECT * FROM {s}.amity_append(ARRAY[gen_random_uuid()], ARRAY[1::bigint], ARRAY['amity.events:CommemorationHeld'], "
                   "ARRAY[%s::bytea], ARRAY['i'], ARRAY['h'], ARRAY['CommemorationHeld'], ARRAY['2026-01-01 99'], ARRAY['x'])", (odd,))
    rows = writer_sql(store, "SELECT DISTINCT stored_by FROM {s}.amity_facts").fetchall()
    assert rows == [(store.split("://")[1].split("@")[0],)]  # who really wrote each row: the session's role


def test_swapping_the_record_positions_of_two_events_is_found(seed_ledger, store, cli):
    t = Tamper(seed_ledger)
    kept = json.loads(cli("digest", "--store", store).out)
    before = cli("export", "--store", store).out
    col = "rowid" if seed_ledger.url.kind == "sqlite" else "notification_id"
    a, b = t.run("SELECT position FROM {facts} WHERE seq IN (7, 8) ORDER BY seq")
    t.run(f"UPDATE {{events}} SET {col} = -1 WHERE {col} = ?", (a[0],))
    t.run(f"UPDATE {{events}} SET {col} = ? WHERE {col} = ?", (a[0], b[0]))
    t.run(f"UPDATE {{events}} SET {col} = ? WHERE {col} = -1", (b[0],))
    assert cli("export", "--store", store).out != before  # the attack changes what export says …
    code, report, _ = verify(cli, store, "--digest", kept["digest"], "--position", str(kept["position"]))
    assert code == 1 and "reordered" in report["first_bad"]["reason"]  # … and verify finds it


def test_a_record_time_from_the_file_is_not_taken(store, tmp_path, cli):
    line = {"type": "RelationshipTerminated", "cities": ["Seoul, KR", "Tehran, IR"], "date": "2026-05", "reason": "test",
            "source": {"title": "test"}, "recorded_at": "2020-01-01T00:00:00Z"}
    f = tmp_path / "backdated.jsonl"
    f.write_text(json.dumps(line) + "\n")
    assert cli("import", str(SEEDS), "--store", store).code == 0
    assert cli("import", str(f), "--store", store).code == 0
    then = json.loads(cli("status", "Tehran", "--as-known-at", "2021-01-01", "--store", store, "--json").out)
    assert [r["status"] for r in then] == []  # nothing was known in 2021
    now = json.loads(cli("status", "Tehran", "--store", store, "--json").out)
    assert [r["status"] for r in now] == ["terminated"]


def test_a_restore_refuses_a_future_record_time_and_a_broken_chain(seed_ledger, store, tmp_path, cli):
    lines = [json.loads(x) for x in b"".join(seed_ledger.export_lines(proof=True)).decode().splitlines()]
    future = [dict(x) for x in lines]
    future[5] = {**future[5], "recorded_at": "2999-01-01T00:00:00.000000Z"}
    swapped = lines[:3] + [lines[4], lines[3]] + lines[5:]
    for name, bad, needle in (("future", future, "later than now"), ("swapped", swapped, "position")):
        f = tmp_path / f"{name}.jsonl"
        f.write_text("".join(json.dumps(x) + "\n" for x in bad))
        target = new_store("sqlite", str(tmp_path))
        r = cli("import", "--restore", str(f), "--store", target)
        assert r.code == 1 and needle in r.err and r.err.count("\n") == 1
        assert not os.path.exists(target)  # a refused restore leaves no empty ledger behind


def test_views_that_were_tampered_with_are_found_or_repaired(seed_ledger, store, cli):
    assert cli("status", "--store", store).code == 0  # views current
    want = json.loads(cli("status", "--store", store, "--json").out)
    t = Tamper(seed_ledger)
    views = "amity_timelines" if seed_ledger.url.kind == "sqlite" else f'"{seed_ledger.url.schema}".amity_timelines'
    t.run(f"DELETE FROM {views} WHERE substr(city_a, 1, 6) = 'Ankara'")
    code, report, err = verify(cli, store)
    assert code == 1 and report["views"]["state"] == "differ" and "rebuild" in err
    assert verify(cli, store, "--no-views")[0] == 0  # the chain itself is intact
    assert cli("rebuild", "--store", store).code == 0 and verify(cli, store)[0] == 0
    tracking = "tracking" if seed_ledger.url.kind == "sqlite" else f'"{seed_ledger.url.schema}".amity_views_tracking'
    t.run(f"DELETE FROM {views}")
    t.run(f"UPDATE {tracking} SET notification_id = notification_id + 1000")
    assert json.loads(cli("status", "--store", store, "--json").out) == want  # a read repairs views that claim too much


def test_a_tampered_topic_is_found_and_never_imported(seed_ledger, store, cli):
    t = Tamper(seed_ledger)
    t.run(f"UPDATE {{events}} SET topic = 'this:MoUSigned' WHERE {t.where(1)}")
    sys.modules.pop("this", None)
    code, report, _ = verify(cli, store)
    assert code == 1 and report["first_bad"]["seq"] == 1 and "topic" in report["first_bad"]["reason"]
    r = cli("export", "--store", store)
    assert r.code == 1 and "unknown topic" in r.err and "this" not in sys.modules


def test_an_event_appended_into_another_pairs_stream_is_found(store, cli):
    """A writer that calls the append function itself (no rule check): a chained event in the wrong stream."""
    from datetime import UTC, datetime
    from hashlib import sha256

    from amity.events.partnership import format_instant
    from amity.events.wire import dumps
    from amity.ledger.app import Ledger
    from amity.ledger.writer import NewEvent

    assert cli("import", str(SEEDS), "--store", store).code == 0
    ledger = Ledger(store)
    ankara, _ = ledger.pair("Ankara, TR", "Kuala Lumpur, MY")
    state = {"type": "RelationshipTerminated", "cities": ["Seoul, KR", "Tashkent, UZ"], "date": "2020", "reason": "forged",
             "source": {"title": "t"}, "id": "5b0c7e0a-0000-5000-8000-000000000001", "recorded_at": format_instant(datetime.now(UTC)),
             "recorded_by": "mallory"}
    content = {k: v for k, v in state.items() if k not in ("id", "recorded_at", "recorded_by")}
    with ledger.recorder.writer() as w:
        version = w.versions([ankara.hex]).get(ankara.hex, 0) + 1
        w.insert([NewEvent(ankara.hex, version, "amity.events:RelationshipTerminated", dumps(state), state["id"],
                           sha256(dumps(content)).hexdigest(), state["type"], state["recorded_at"], "mallory")])
    code, report, _ = verify(cli, store)
    assert code == 1 and "its stream holds the events of" in report["first_bad"]["reason"]


def test_a_forged_record_of_a_move_is_found_and_moves_travel_with_a_copy(seed_ledger, store, tmp_path, cli):
    middle = new_store("sqlite", str(tmp_path))
    assert cli("copy", "--from", store, "--to", middle).code == 0
    last = new_store("postgresql", role="owner")
    assert cli("copy", "--from", middle, "--to", last).code == 0
    moves = json.loads(cli("verify", "--store", last, "--json").out)["moves"]
    assert [m["source"] for m in moves] == [store.split("?")[0] if store.startswith("/") else store, middle]
    with sqlite3.connect(middle) as conn:
        conn.execute("INSERT INTO amity_moves VALUES ('2020-01-01T00:00:00.000000Z', 'auditor', 'file genuine.jsonl', 1, 28, ?)", ("ab" * 32,))
    code, report, _ = verify(cli, middle)
    assert code == 1 and "record of moves was forged" in report["first_bad"]["reason"]


def test_a_trigger_added_to_a_sqlite_file_cannot_drop_events_silently(tmp_path, cli):
    store = str(tmp_path / "l.db")
    assert cli("import", str(SEEDS), "--store", store).code == 0
    with sqlite3.connect(store) as conn:
        conn.execute("CREATE TRIGGER zz BEFORE INSERT ON stored_events WHEN NEW.topic = 'amity.events:CommemorationHeld' "
                     "BEGIN SELECT RAISE(IGNORE); END")
    r = cli("record", "CommemorationHeld", "--cities", "Seoul", "Tashkent", "--date", "2025", "--what", "x", "--source-title", "t", "--store", store)
    assert r.code == 1 and "dropped" in r.err
    code, report, _ = verify(cli, store)
    assert code == 1 and "trigger 'zz'" in report["first_bad"]["reason"]


def test_a_stored_event_that_is_not_a_valid_fact_is_found(tmp_path, cli):
    """Written with a correct chain (as a writer calling the append function could): verify validates every fact."""
    from datetime import UTC, datetime
    from hashlib import sha256

    from amity.events.partnership import format_instant
    from amity.events.wire import dumps
    from amity.ledger.app import Ledger
    from amity.ledger.writer import NewEvent

    store = str(tmp_path / "l.db")
    assert cli("import", str(SEEDS), "--store", store).code == 0
    ledger = Ledger(store)
    stream, _ = ledger.pair("Ankara, TR", "Kuala Lumpur, MY")
    state = {"type": "RelationshipElevated", "cities": ["Ankara, TR", "Kuala Lumpur, MY"], "date": "2011-13-45", "to_tier": "emperor",
             "source": {"title": "t"}, "id": "5b0c7e0a-0000-5000-8000-000000000002", "recorded_at": format_instant(datetime.now(UTC)), "recorded_by": "m"}
    content = {k: v for k, v in state.items() if k not in ("id", "recorded_at", "recorded_by")}
    with ledger.recorder.writer() as w:
        w.insert([NewEvent(stream.hex, w.versions([stream.hex])[stream.hex] + 1, "amity.events:RelationshipElevated", dumps(state),
                           state["id"], sha256(dumps(content)).hexdigest(), state["type"], state["recorded_at"], "m")])
    code, report, _ = verify(cli, store)
    assert code == 1 and "not a valid RelationshipElevated" in report["first_bad"]["reason"]
