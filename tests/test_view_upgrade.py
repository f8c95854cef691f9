"""A store whose views the previous layout wrote (views-4: timelines without their last step) answers exactly as
before after the upgrade: a SQLite store makes its timelines again and refills them on the next read; a PostgreSQL
schema says its owner must run `amity init` once, which adds the columns (the writers keep their grants)."""

from __future__ import annotations

import json
import sqlite3

import psycopg

from amity.projections.views import VIEW_NAME
from tests.conftest import PG_URL, SEEDS, new_store
from tests.test_integrity import verify

QUESTIONS = [(), ("--as-of", "2000-01-01"), ("Seoul",), ("--as-of", "2012", "--country", "MY")]
OLD_TABLE = ("CREATE TABLE amity_timelines (stream TEXT PRIMARY KEY, city_a TEXT NOT NULL, city_b TEXT NOT NULL, steps BLOB NOT NULL)",
             "CREATE INDEX amity_timelines_a ON amity_timelines (city_a)", "CREATE INDEX amity_timelines_b ON amity_timelines (city_b)")


def answers(cli, store: str) -> list:
    out = []
    for args in QUESTIONS:
        r = cli("status", *args, "--json", "--store", store)
        assert r.code == 0, r.err
        out.append(json.loads(r.out))
    return out


def test_a_sqlite_store_of_the_previous_view_layout_upgrades_itself_and_answers_as_before(tmp_path, cli):
    store = str(tmp_path / "old.db")
    assert cli("import", str(SEEDS), "--store", store).code == 0
    want = answers(cli, store)
    with sqlite3.connect(store) as conn:  # the views as views-4 left them: its table, its rows, its tracking name
        rows = conn.execute("SELECT stream, city_a, city_b, steps FROM amity_timelines").fetchall()
        conn.execute("DROP TABLE amity_timelines")
        for statement in OLD_TABLE:
            conn.execute(statement)
        conn.executemany("INSERT INTO amity_timelines VALUES (?, ?, ?, ?)", rows)
        conn.execute("UPDATE tracking SET application_name = 'Amity/views-4' WHERE application_name = ?", (VIEW_NAME,))
    conn.close()
    assert answers(cli, store) == want
    with sqlite3.connect(store) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(amity_timelines)")]
        assert columns == ["stream", "city_a", "city_b", "last_from", "last_step", "steps"]
        assert conn.execute("SELECT COUNT(*) FROM amity_timelines WHERE last_step IS NULL").fetchone()[0] == 0
    conn.close()
    assert verify(cli, store)[0] == 0


def test_a_postgresql_schema_of_the_previous_view_layout_is_upgraded_by_its_owners_init(cli):
    owner_url = new_store("postgresql", role="owner")
    schema = owner_url.split("schema=")[1]
    writer_url = new_store("postgresql").split("?")[0] + f"?schema={schema}"  # the writer role, on the owner's schema
    assert cli("import", str(SEEDS), "--store", writer_url).code == 0
    want = answers(cli, writer_url)
    with psycopg.connect(PG_URL, autocommit=True) as conn:  # what views-4 made: no last step, the tracking name views-4
        conn.execute(f'ALTER TABLE "{schema}".amity_timelines DROP COLUMN last_from, DROP COLUMN last_step')
        conn.execute(f'UPDATE "{schema}".amity_views_tracking SET application_name = %s WHERE application_name = %s',
                     ("Amity/views-4", VIEW_NAME))
    r = cli("status", "--store", writer_url)
    assert r.code == 1 and "earlier Amity" in r.err and "amity init" in r.err and r.err.count("\n") == 1
    assert cli("init", "--store", owner_url).code == 0  # without --writer: the writer's grants on the table stay
    assert answers(cli, writer_url) == want
    assert verify(cli, writer_url)[0] == 0
