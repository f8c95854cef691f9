"""The PostgreSQL store: the library's PostgreSQL recorder plus our index, append-only in the database.

Tables live in one schema (``?schema=`` in the store URL, default ``public``), so several ledgers can
share a database. Triggers created with the schema refuse UPDATE, DELETE and TRUNCATE of stored events
and of the ``amity_facts`` index; they hold for every role, superusers included (only an owner who
drops the triggers can get around them, which `amity verify` is there to catch). ``stored_at`` and
``stored_by`` come from the database: its clock and ``current_user``.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Sequence
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder, PostgresTrackingRecorder
from psycopg.sql import SQL, Identifier

from amity.ledger.stores import FactIndex, StoreURL
from amity.ledger.writer import NewEvent, Writer

STAMP = "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"


CHUNK = 2000
LOCK_SQL = "SELECT pg_advisory_lock(hashtext('amity-ddl:' || %s))"
UNLOCK_SQL = "SELECT pg_advisory_unlock(hashtext('amity-ddl:' || %s))"


@contextmanager
def schema_lock(url: StoreURL) -> Iterator[None]:
    """Create the ledger's schema if needed and hold the schema's DDL lock meanwhile.

    Creating tables, functions and triggers from several processes at once can deadlock in PostgreSQL
    (CREATE OR REPLACE takes exclusive locks); one advisory lock per schema serialises that set-up.
    """
    import psycopg

    schema = url.schema or "public"
    with psycopg.connect(host=url.host, port=url.port, user=url.user, password=url.password or None,
                         dbname=url.dbname, connect_timeout=10, autocommit=True) as conn:
        conn.execute(LOCK_SQL, (schema,))
        try:
            conn.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(schema)))
            yield
        finally:
            conn.execute(UNLOCK_SQL, (schema,))


@contextmanager
def datastore_lock(datastore: Any) -> Iterator[None]:
    """The same DDL lock, taken on a connection of an open datastore (for creating views)."""
    with datastore.get_connection() as conn:
        conn.execute(LOCK_SQL, (datastore.schema,))
        try:
            yield
        finally:
            conn.execute(UNLOCK_SQL, (datastore.schema,))


def append_only_statements(schema: str, table: str) -> list[SQL]:
    fn = Identifier(schema, "amity_refuse_change")
    qualified = Identifier(schema, table)
    return [
        SQL("CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'amity: % on %.% refused: the ledger is append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME; "
            "END $$").format(fn=fn),
        SQL("CREATE OR REPLACE TRIGGER {t1} BEFORE UPDATE OR DELETE ON {tbl} FOR EACH ROW EXECUTE FUNCTION {fn}()").format(
            t1=Identifier(f"{table}_no_change"), tbl=qualified, fn=fn),
        SQL("CREATE OR REPLACE TRIGGER {t2} BEFORE TRUNCATE ON {tbl} FOR EACH STATEMENT EXECUTE FUNCTION {fn}()").format(
            t2=Identifier(f"{table}_no_truncate"), tbl=qualified, fn=fn),
    ]


class AmityPostgresRecorder(FactIndex, PostgresApplicationRecorder):
    """The library's PostgreSQL recorder plus ``amity_facts``, written in the same transaction."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        schema = self.datastore.schema
        facts = Identifier(schema, "amity_facts")
        self.sql_create_statements += [
            SQL("CREATE TABLE IF NOT EXISTS {} ("
                "position bigint PRIMARY KEY, event_id text NOT NULL UNIQUE, content_hash text NOT NULL, "
                "stream text NOT NULL, version bigint NOT NULL, type text NOT NULL, recorded_at text NOT NULL, "
                "recorded_by text NOT NULL, stored_at text NOT NULL, stored_by text NOT NULL, "
                "seq bigint NOT NULL UNIQUE, hash text NOT NULL)").format(facts),
            SQL("CREATE INDEX IF NOT EXISTS amity_facts_recorded_at ON {} (recorded_at)").format(facts),
            SQL("CREATE INDEX IF NOT EXISTS amity_facts_stream ON {} (stream, version)").format(facts),
            *append_only_statements(schema, self.events_table_name),
            *append_only_statements(schema, "amity_facts"),
        ]

    def max_position_in(self, c: Any) -> int:
        """The last notification id, read in the caller's transaction."""
        c.execute(self.max_notification_id_statement)
        row = c.fetchone()
        return (row["max"] if row else None) or 0

    def select_streams_sql(self, count: int | None) -> str:
        """(stream hex, topic, state) of some streams (``count`` placeholders) or all, in stream and version order."""
        where = f"WHERE f.stream IN ({','.join('?' * count)}) " if count is not None else ""
        return self._sql("SELECT f.stream, e.topic, e.state FROM amity_facts f JOIN events_table e "
                         f"ON e.originator_id = f.stream AND e.originator_version = f.version {where}ORDER BY f.stream, f.version")

    def _sql(self, text: str) -> str:
        schema = self.datastore.schema
        text = text.replace("amity_facts", f'"{schema}"."amity_facts"').replace("events_table", f'"{schema}"."{self.events_table_name}"')
        return text.replace("e.originator_id = f.stream", "e.originator_id = f.stream::uuid").replace("?", "%s")

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        raise NotImplementedError("Amity writes through Ledger.import_events (a Writer), never the library's save()")

    @contextmanager
    def writer(self, *, commit: bool = True) -> Iterator[Writer]:
        """A write transaction holding the library's EXCLUSIVE table lock (writers serialised, ids in commit order)."""
        with self.datastore.get_connection() as conn, conn.transaction(force_rollback=not commit):
            curs = conn.cursor()
            self._lock_table(curs)
            self._notify_channel(curs)
            curs.execute("SELECT current_user AS who, " + STAMP + " AS now")
            who = curs.fetchone()
            yield PostgresWriter(self, curs, who["now"], who["who"])


class PostgresWriter(Writer):
    """Events go in through the library's own insert statement (``unnest`` of a composite array), in chunks."""

    def _insert_events(self, events: Sequence[NewEvent]) -> list[int]:
        positions: list[int] = []
        for i in range(0, len(events), CHUNK):
            stored = [StoredEvent(UUID(e.stream), e.version, e.topic, e.state) for e in events[i : i + CHUNK]]
            PostgresAggregateRecorder._insert_stored_events(self.recorder, self.c, stored)
            positions += [row["notification_id"] for row in self.c.fetchall()]
        return positions


class PgTracking(PostgresTrackingRecorder):
    """Marker base of PostgreSQL views."""
