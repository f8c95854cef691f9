"""Attacks on the stores themselves: locks held elsewhere, dropped view tables, store URLs, TLS and schema names,
NUL bytes, malformed digests, who `amity init` lets in. Each is refused in one line or repaired."""

from __future__ import annotations

import json
import sqlite3
import time

import psycopg
import pytest

from tests.conftest import N_SEEDS, PG_URL, SEEDS, new_store
from tests.test_integrity import verify


def test_a_sqlite_write_lock_held_elsewhere_times_out_in_one_line(tmp_path, cli, monkeypatch):
    store = str(tmp_path / "l.db")
    assert cli("import", str(SEEDS), "--store", store).code == 0
    monkeypatch.setenv("AMITY_LOCK_TIMEOUT", "1")
    holder = sqlite3.connect(store)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = cli("record", "CommemorationHeld", "--cities", "Seoul", "Tashkent", "--date", "2025", "--what", "x",
                "--source-title", "t", "--store", store)
    finally:
        holder.rollback()
        holder.close()
    assert r.code == 1 and "locked" in r.err and r.err.count("\n") == 1


def test_a_dropped_view_table_is_rebuilt_on_sqlite(tmp_path, cli):
    store = str(tmp_path / "l.db")
    cli("import", str(SEEDS), "--store", store)
    want = cli("status", "--store", store, "--json").out
    with sqlite3.connect(store) as conn:
        conn.execute("DROP TABLE amity_timelines")
    assert cli("status", "--store", store, "--json").out == want


def test_a_lock_held_by_another_role_times_out_naming_it(cli, monkeypatch):
    store = new_store("postgresql")
    monkeypatch.setenv("AMITY_LOCK_TIMEOUT", "1")
    schema = store.split("schema=")[1]
    with psycopg.connect(PG_URL) as holder:
        holder.execute(f'SELECT pg_advisory_lock(hashtext(\'amity-ddl:{schema}\'))')  # the old DDL lock: no longer in the way
        holder.execute(f'LOCK TABLE "{schema}".amity_events IN EXCLUSIVE MODE')
        started = time.monotonic()
        r = cli("import", str(SEEDS), "--store", store)
        holder.rollback()
    assert r.code == 1 and "held by role postgres" in r.err and r.err.count("\n") == 1
    assert time.monotonic() - started < 15
    assert cli("import", str(SEEDS), "--store", store).code == 0  # nothing was half-written


@pytest.mark.parametrize("url,needle", [
    ("postgresql://u@127.0.0.1/test?schema=a;b", "not a valid name"),
    ("postgresql://u@127.0.0.1/test?schema=with space", "not a valid name"),
    ("postgresql://u@127.0.0.1/test?colour=blue", "not known"),
    ("typo.db", "no ledger at"),
])
def test_store_urls_are_honoured_or_refused_in_one_line(url, needle, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("verify", "--store", url)
    assert r.code == 1 and needle in r.err and r.err.count("\n") == 1
    assert not (tmp_path / "typo.db").exists()


def test_sslmode_is_passed_to_the_driver(cli):
    new_store("postgresql")  # skips (or fails under CI=true) when the server is unreachable
    with psycopg.connect(PG_URL) as conn:
        ssl = conn.execute("SHOW ssl").fetchone()[0]
    r = cli("status", "--store", f"{PG_URL}?sslmode=disable&application_name=amity-test")
    assert "not known" not in r.err and "holds no ledger yet" in r.err  # a known option is accepted, and the server was reached
    if ssl == "off":
        r = cli("status", "--store", f"{PG_URL}?sslmode=require")
        assert r.code == 1 and "SSL" in r.err and r.err.count("\n") == 1  # refused by the driver: not silently plaintext


def test_an_upper_case_schema_works(cli):
    url = new_store("postgresql", role="owner").replace("schema=", "schema=Upper")
    assert cli("init", "--store", url).code == 0
    assert cli("import", str(SEEDS), "--store", url).code == 0
    assert cli("verify", "--store", url).code == 0


def test_a_nul_in_a_text_field_is_refused_on_both_stores_with_file_and_line(store, tmp_path, cli):
    f = tmp_path / "nul.jsonl"
    f.write_text(json.dumps({"type": "CommemorationHeld", "cities": ["Seoul, KR", "Tashkent, UZ"], "date": "2025",
                             "what": "a\u0000b", "source": {"title": "t"}}) + "\n")
    r = cli("import", str(f), "--store", store)
    assert r.code == 1 and f"{f}:1:" in r.err and "NUL" in r.err


@pytest.mark.parametrize("digest", ["zzz", "0" * 63, "G" * 64])
def test_a_malformed_digest_is_bad_input_not_tampering(seed_ledger, store, cli, digest):
    r = cli("verify", "--store", store, "--digest", digest, "--position", "3")
    assert r.code == 1 and "not a digest" in r.err and "tamper" not in r.err and "rewritten" not in r.err


@pytest.mark.parametrize("role", ["public", "PUBLIC", "pg_read_all_data", "no_such_role_at_all"])
def test_init_lets_in_only_real_roles_never_everyone(role, cli):
    url = new_store("postgresql", role="owner")
    r = cli("init", "--store", url, "--writer", role)
    assert r.code == 1 and "not a role of this server" in r.err and r.err.count("\n") == 1


def test_audit_shows_a_record_time_far_from_the_stores_own(tmp_path, cli):
    from datetime import UTC, datetime

    from amity.ledger.app import Ledger

    store = str(tmp_path / "l.db")
    assert cli("import", str(SEEDS), "--store", store).code == 0
    ledger = Ledger(store)
    ledger.clock = lambda: datetime(2020, 1, 1, tzinfo=UTC)  # a writer whose clock is years wrong (SQLite has no server clock)
    ledger.record({"type": "CommemorationHeld", "cities": ["Seoul, KR", "Tashkent, UZ"], "date": "2019", "what": "x", "source": {"title": "t"}})
    rows = json.loads(cli("audit", "--store", store, "--json").out)
    assert [r["recorded_far_from_stored"] for r in rows] == [False] * N_SEEDS + [True]
    r = cli("audit", "--store", store)
    assert r.code == 0 and "far from stored_at" in r.err


def test_a_schema_without_the_owners_functions_is_upgraded_by_init_and_only_by_its_owner(cli):
    writer_url = new_store("postgresql")
    owner_url = new_store("postgresql", role="owner")
    schema = owner_url.split("schema=")[1]
    with psycopg.connect(PG_URL, autocommit=True) as conn:  # what a ledger made by an earlier Amity lacks
        conn.execute(f'DROP FUNCTION "{schema}".amity_append')
    r = cli("status", "--store", owner_url)
    assert r.code == 1 and "earlier Amity" in r.err and "amity init" in r.err
    denied = cli("init", "--store", writer_url.replace(writer_url.split("schema=")[1], schema))
    assert denied.code == 1 and denied.err.count("\n") == 1 and "Traceback" not in denied.err
    assert cli("init", "--store", owner_url).code == 0
    assert cli("import", str(SEEDS), "--store", owner_url).code == 0


def test_a_ledger_whose_views_lack_the_networks_by_day_upgrades_itself_on_sqlite_and_by_init_on_postgresql(cli, tmp_path):
    """A store an earlier Amity made (no ``amity_network_days``): SQLite creates and fills the table on first use;
    PostgreSQL says its owner upgrades it with `amity init` (writers may not create tables), and then it answers."""
    sqlite_store = str(tmp_path / "old.db")
    assert cli("import", str(SEEDS), "--store", sqlite_store).code == 0
    want = cli("networks", "--store", sqlite_store, "--json").out
    with sqlite3.connect(sqlite_store) as conn:
        conn.execute("DROP TABLE amity_network_days")
    assert cli("networks", "--store", sqlite_store, "--json").out == want
    assert cli("verify", "--store", sqlite_store).code == 0

    owner_url = new_store("postgresql", role="owner")
    assert cli("import", str(SEEDS), "--store", owner_url).code == 0
    schema = owner_url.split("schema=")[1]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP TABLE "{schema}".amity_network_days')
    r = cli("networks", "--store", owner_url)
    assert r.code == 1 and "earlier Amity" in r.err and "amity init" in r.err and r.err.count("\n") == 1
    assert cli("init", "--store", owner_url).code == 0
    assert cli("networks", "--store", owner_url, "--json").out == want


@pytest.mark.parametrize("forged", [b"[1, 2]", b"{{{", b'"text"'])
def test_a_registry_event_forged_into_something_else_than_an_object_is_one_line_naming_verify(seed_ledger, store, cli, forged):
    """The place registry is read as plain values (no model): a stored state that is not a JSON object is tampering,
    said in one line, never an internal error."""
    from tests.test_integrity import Tamper

    t = Tamper(seed_ledger)
    seq = next(s for s in range(1, N_SEEDS + 1) if b'"type":"Place' in t.state(s))
    t.set_state(seq, forged)
    r = cli("status", "Seoul", "--store", store)
    assert r.code == 1 and r.err.count("\n") == 1 and "amity verify" in r.err and "internal error" not in r.err, r.err


def test_a_sqlite_clock_set_back_never_makes_store_times_run_backwards_and_the_ledger_still_moves(tmp_path, cli, monkeypatch):
    """Store times follow the chain on SQLite as on PostgreSQL: a write after the machine's clock went back is
    stored no earlier than the head, so the ledger's own proof export restores (a restore refuses store times
    that run backwards as an edited export)."""
    from datetime import UTC, datetime, timedelta

    from amity.ledger import sqlitestore
    from amity.ledger.app import Ledger

    class Ahead(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(minutes=3)  # within the drift a restore allows (CLOCK_SKEW)

    store = str(tmp_path / "clock.db")
    ledger = Ledger(store)
    pair = ["Seoul, KR", "Tashkent, UZ"]
    monkeypatch.setattr(sqlitestore, "datetime", Ahead)  # the machine's clock runs ahead…
    ledger.record({"type": "MoUSigned", "cities": pair, "date": "2010", "tier": "friendship", "source": {"title": "t"}})
    monkeypatch.setattr(sqlitestore, "datetime", datetime)  # …and is set back
    ledger.record({"type": "CommemorationHeld", "cities": pair, "date": "2011", "what": "x", "source": {"title": "t"}})
    stored = [json.loads(line)["proof"]["stored_at"] for line in b"".join(ledger.export_lines(proof=True)).splitlines()]
    assert stored == sorted(stored) and stored[1] == stored[0]
    backup = tmp_path / "backup.jsonl"
    backup.write_bytes(b"".join(ledger.export_lines(proof=True)))
    r = cli("import", "--restore", str(backup), "--store", str(tmp_path / "moved.db"))
    assert r.code == 0, r.err
