"""On PostgreSQL the database itself refuses UPDATE, DELETE and TRUNCATE of stored events."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from tests.conftest import PG_URL, new_store


@pytest.fixture
def pg_seed_ledger():
    from amity.ledger.jsonlines import read_lines
    from amity.ledger.app import Ledger
    from tests.conftest import SEEDS

    url = new_store("postgresql")
    ledger = Ledger(url)
    ledger.import_events(read_lines(str(SEEDS)), where=str(SEEDS))
    yield ledger, url
    ledger.close()


@pytest.mark.parametrize("table", ["amity_events", "amity_facts"])
@pytest.mark.parametrize("statement", [
    "UPDATE {} SET topic = topic",
    "DELETE FROM {}",
    "TRUNCATE {}",
])
def test_stored_events_cannot_be_changed_even_by_a_superuser(pg_seed_ledger, table, statement):
    ledger, url = pg_seed_ledger
    schema = url.split("schema=")[1]
    if table == "amity_facts":
        statement = statement.replace("topic = topic", "type = type")
    before = b"".join(ledger.export_lines())
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            conn.execute(sql.SQL(statement).format(sql.Identifier(schema, table)))
    assert b"".join(ledger.export_lines()) == before
