"""A store whose views an earlier Amity wrote (views-4: anniversary events in ``amity_establishing``, without the
disputed mark or the standing; no members' facts of networks) works after the upgrade: SQLite refills the new table on first use, PostgreSQL once
its owner runs `amity init`; the answers are those of a store written by this Amity."""

from __future__ import annotations

import json

import psycopg

from amity.projections.views import VIEW_NAME
from tests.conftest import PG_URL, SEEDS, new_store

OLD_TABLE = ("CREATE TABLE amity_establishing (stream TEXT NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL, date TEXT NOT NULL, "
             "year INTEGER NOT NULL, city_a TEXT NOT NULL, city_b TEXT NOT NULL, terminated INTEGER NOT NULL, source BLOB NOT NULL, "
             "PRIMARY KEY (stream, event_id))")
ANSWERS = [("anniversaries", "--year", "2025"), ("anniversaries", "--from", "2026-07-01", "--days", "90"), ("city", "Kuala Lumpur"), ("city", "Seoul"),
           ("anniversaries", "--year", "2030", "--all")]


def answers(cli, store: str) -> list:
    out = []
    for args in ANSWERS:
        r = cli(*args, "--store", store, "--json")
        assert r.code == 0, r.err
        out.append(json.loads(r.out))
    return out


def as_written_by_views_4(run, tracking: str, position: int, blob: str = "BLOB") -> None:
    """The views as views-4 left them: the old table (its rows gone: nothing may read them), tracked at ``position``."""
    run("DROP TABLE {t}amity_anniversary_events")
    run("DROP TABLE {t}amity_network_member_facts")
    run(OLD_TABLE.replace("BLOB", blob).replace("amity_establishing", "{t}amity_establishing"))
    run(f"DELETE FROM {tracking} WHERE application_name = '{VIEW_NAME}'")
    run(f"INSERT INTO {tracking} (application_name, notification_id) VALUES ('Amity/views-4', {position})")


def test_a_sqlite_store_written_by_views_4_refills_its_anniversaries_on_first_use(cli, tmp_path):
    import sqlite3

    store = str(tmp_path / "old.db")
    assert cli("import", str(SEEDS), "--store", store).code == 0
    want = answers(cli, store)
    with sqlite3.connect(store) as db:
        position = db.execute("SELECT MAX(notification_id) FROM tracking").fetchone()[0]
        as_written_by_views_4(lambda sql: db.execute(sql.replace("{t}", "")), "tracking", position)
    assert answers(cli, store) == want
    with sqlite3.connect(store) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "amity_establishing" not in tables and db.execute("SELECT COUNT(*) FROM amity_anniversary_events").fetchone()[0] > 0
        assert db.execute("SELECT SUM(disputed) FROM amity_anniversary_events").fetchone()[0] == 1  # the seeds' open dispute (KL – Seoul)
    assert cli("verify", "--store", store).code == 0


def test_a_postgresql_schema_written_by_views_4_is_upgraded_by_its_owners_init(cli):
    owner = new_store("postgresql", role="owner")
    schema = owner.split("schema=")[1]
    assert cli("import", str(SEEDS), "--store", owner).code == 0
    want = answers(cli, owner)
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        position = conn.execute(f'SELECT MAX(notification_id) FROM "{schema}".amity_views_tracking').fetchone()[0]
        as_written_by_views_4(lambda sql: conn.execute(sql.replace("{t}", f'"{schema}".')), f'"{schema}".amity_views_tracking', position, "BYTEA")
    r = cli("anniversaries", "--store", owner, "--json")
    assert r.code == 1 and "earlier Amity" in r.err and "amity init" in r.err
    assert cli("init", "--store", owner).code == 0
    assert answers(cli, owner) == want
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        assert conn.execute("SELECT to_regclass(%s) IS NULL", (f'"{schema}".amity_establishing',)).fetchone()[0]
    assert cli("verify", "--store", owner).code == 0
