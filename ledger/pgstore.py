"""The PostgreSQL store: the library's PostgreSQL recorder plus our index, written only through the owner's functions.

Tables live in one schema (``?schema=`` in the store URL, default ``public``), so several ledgers can
share a database. The schema is created once by its owner (`amity init`, ``ledger/pgschema.py``); opening
a store never runs DDL. Every write calls ``amity_begin_write`` (the writers' lock, the chain head, the
database clock and ``session_user``) and ``amity_append`` (events, index rows and their links, computed
by the database). Lock waits are bounded (``AMITY_LOCK_TIMEOUT`` seconds, default 30) and a timeout
names the session that holds the lock.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Sequence
from uuid import UUID

import psycopg
from eventsourcing.persistence import StoredEvent
import orjson
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
from eventsourcing.utils import get_topic
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from amity.ledger import pgschema
from amity.ledger.errors import StoreError
from amity.ledger.stores import FactIndex, lock_timeout
from amity.ledger.storeurl import StoreURL
from amity.ledger.writer import NewEvent, Writer

from amity.ledger.config import PG_APPEND_ROWS as CHUNK


def holders(conn: Any, relation: str) -> str:
    """Who holds a lock on ``relation`` (a qualified table name), as a short phrase."""
    rows = conn.execute(
        "SELECT a.pid, a.usename, a.application_name, to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS since "
        "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.relation = to_regclass(%s) AND l.granted AND a.pid <> pg_backend_pid() ORDER BY a.xact_start", (relation,)).fetchall()
    if not rows:
        return "another session (it let go before it could be named)"
    r = rows[0]
    r = r if isinstance(r, dict) else dict(zip(("pid", "usename", "application_name", "since"), r))
    return f"role {r['usename']} (server process {r['pid']}{', ' + r['application_name'] if r['application_name'] else ''}, in a transaction since {r['since']} UTC)"


@contextmanager
def bounded_lock(conn: Any, relation: str, what: str) -> Iterator[None]:
    """Run the block with a lock timeout; a timeout becomes one line naming who holds ``relation``."""
    seconds = lock_timeout()
    conn.execute(SQL("SET LOCAL lock_timeout = {}").format(f"{seconds}s"))
    try:
        yield
    except psycopg.errors.LockNotAvailable:
        with psycopg.connect(**conn.info.get_parameters(), password=conn.info.password or None, autocommit=True) as other:
            who = holders(other, relation)
        raise StoreError(f"waited {seconds} s for {what}, held by {who}; try again when it is done (AMITY_LOCK_TIMEOUT sets the wait)") from None


def connection_options(url: StoreURL) -> dict[str, Any]:
    """libpq options of every connection: the URL's own, and a bounded wait for any lock (``lock_timeout``)."""
    options = {"connect_timeout": "10", **url.options}
    options["options"] = f"{options.get('options', '')} -c lock_timeout={lock_timeout()}s".strip()
    return options


def connect(url: StoreURL, **extra: Any) -> psycopg.Connection:
    return psycopg.connect(host=url.host, port=url.port, user=url.user, password=url.password or None, dbname=url.dbname,
                           **connection_options(url), **extra)


def store_env(url: StoreURL) -> dict[str, str]:
    """The library's environment for a PostgreSQL store (no DDL: that is `amity init`'s)."""
    return {
        "PERSISTENCE_MODULE": get_topic(AmityPostgresFactory), "AMITY_PG_OPTIONS": orjson.dumps(connection_options(url)).decode(),
        "POSTGRES_DBNAME": url.dbname, "POSTGRES_HOST": url.host, "POSTGRES_PORT": str(url.port),
        "POSTGRES_USER": url.user, "POSTGRES_PASSWORD": url.password, "POSTGRES_SCHEMA": url.schema or "public",
        "POSTGRES_POOL_SIZE": "2", "POSTGRES_MAX_OVERFLOW": "4", "POSTGRES_CONNECT_TIMEOUT": "10",
        "POSTGRES_LOCK_TIMEOUT": str(lock_timeout()), "CREATE_TABLE": "false",  # DDL only in `amity init`
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "120",  # a long import computes between its statements
        "APPLICATION_RECORDER_TOPIC": get_topic(AmityPostgresRecorder),
    }


class AmityPostgresFactory(PostgresFactory):
    """The library's PostgreSQL factory, with the store URL's libpq options on every connection of the pool."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        self.datastore.pool.kwargs.update(orjson.loads(self.env.get("AMITY_PG_OPTIONS") or "{}"))


def readiness(url: StoreURL) -> str:
    """"ready", "none" (no ledger in the schema) or "old" (a ledger an earlier Amity made: `amity init` upgrades it)."""
    schema = url.schema or "public"
    with connect(url, autocommit=True) as conn:
        facts, append, views, steps = conn.execute(
            "SELECT to_regclass(%s) IS NOT NULL, to_regprocedure(%s) IS NOT NULL, "
            f"{' AND '.join(['to_regclass(%s) IS NOT NULL'] * len(pgschema.VIEW_TABLES))}, EXISTS (SELECT 1 FROM "
            "information_schema.columns WHERE table_schema = %s AND table_name = 'amity_timelines' AND column_name = 'last_step')",
            (f'"{schema}".amity_facts', f'"{schema}".amity_append({pgschema.APPEND_ARGS})', *(f'"{schema}".{t}' for t in pgschema.VIEW_TABLES),
             schema)).fetchone()
    # every view table of this layout, and the timelines' last step (views-5): else `amity init` upgrades the schema
    return "ready" if facts and append and views and steps else "old" if facts else "none"


def open_store(ledger: Any, start: Any, mode: str) -> None:
    """Start the application ``ledger`` on its PostgreSQL schema (``start``); ``mode`` "init" creates the ledger in it."""
    if mode == "init":
        create_schema(ledger.url)
    elif (state := readiness(ledger.url)) != "ready":
        raise StoreError(f"{ledger.url} holds no ledger yet: its owner creates it once with `amity init --store URL --writer ROLE`"
                         if state == "none" else f"{ledger.url} was made by an earlier Amity: its owner upgrades it once with `amity init --store URL --writer ROLE`")
    start()
    if mode == "init":
        ledger.recorder.create_table()
        with ledger.recorder.datastore.transaction(commit=True) as c:
            c.execute("SELECT current_user AS owner")
            for statement in ledger.recorder.create_statements(c.fetchone()["owner"]):
                c.execute(statement)


def create_schema(url: StoreURL) -> None:
    """The ledger's schema, owned by the role that runs `amity init`."""
    with connect(url, autocommit=True) as conn:
        conn.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(url.schema or "public")))


class AmityPostgresRecorder(FactIndex, PostgresApplicationRecorder):
    """The library's PostgreSQL recorder plus ``amity_facts``; writes go through the owner's functions."""

    notification_column = "notification_id"

    def max_position_in(self, c: Any) -> int:
        """The last notification id, read in the caller's transaction."""
        c.execute(self.max_notification_id_statement)
        row = c.fetchone()
        return (row["max"] if row else None) or 0

    def session(self, *, write: bool = False) -> Any:
        """A cursor in one transaction, committed at its end if ``write``."""
        return self.datastore.transaction(commit=write)

    def select_streams_sql(self, count: int | None) -> str:
        """(stream hex, topic, state) of some streams (``count`` placeholders) or all, in stream and version order."""
        where = f"WHERE f.stream IN ({','.join('?' * count)}) " if count is not None else ""
        return self._sql("SELECT f.stream, e.topic, e.state FROM amity_facts f JOIN events_table e "
                         f"ON e.originator_id = f.stream AND e.originator_version = f.version {where}ORDER BY f.stream, f.version")

    def plain_rows(self, c: Any) -> None:
        c.row_factory = tuple_row

    def _sql(self, text: str) -> str:
        schema = self.datastore.schema
        text = text.replace("amity_facts", f'"{schema}"."amity_facts"').replace("amity_moves", f'"{schema}"."amity_moves"')
        text = text.replace("events_table", f'"{schema}"."{self.events_table_name}"')
        return text.replace("e.originator_id = f.stream", "e.originator_id = f.stream::uuid").replace("?", "%s")

    def create_statements(self, owner: str) -> list[Any]:
        """Everything `amity init` creates besides the library's own tables."""
        schema = self.datastore.schema
        return [*pgschema.facts_table(schema), *pgschema.append_only(schema, [self.events_table_name, "amity_facts", "amity_moves"]),
                *pgschema.functions(schema, self.events_table_name, owner), *pgschema.revoke_public(schema)]

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        raise NotImplementedError("Amity writes through Ledger.import_events (a Writer), never the library's save()")

    @contextmanager
    def writer(self, *, commit: bool = True) -> Iterator[Writer]:
        """A write transaction holding the writers' lock (taken by ``amity_begin_write``) from its start."""
        with self.datastore.get_connection() as conn, conn.transaction(force_rollback=not commit):
            curs = conn.cursor()
            with bounded_lock(conn, f'"{self.datastore.schema}"."{self.events_table_name}"', "the ledger's write lock"):
                curs.execute(SQL("SELECT * FROM {}()").format(Identifier(self.datastore.schema, "amity_begin_write")))
            head = curs.fetchone()
            self._notify_channel(curs)
            yield PostgresWriter(self, curs, head["stamp"], head["who"], (head["head_seq"], head["head_hash"]))

    def foreign_objects(self) -> list[str]:
        """Triggers on the ledger's tables other than Amity's own append-only guards (only an owner can add one)."""
        ours = [f"{t}_{g}" for t in (self.events_table_name, "amity_facts", "amity_moves") for g in ("no_change", "no_truncate")]
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT t.tgname FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid JOIN pg_namespace n ON n.oid = r.relnamespace "
                      "WHERE n.nspname = %s AND NOT t.tgisinternal AND NOT (t.tgname = ANY(%s)) ORDER BY 1", (self.datastore.schema, ours))
            return [f"a trigger {r['tgname']!r}" for r in c.fetchall()]

    def record_move(self, c: Any, source: str, first_seq: int, earlier: dict[str, Any] | None = None) -> None:
        """Note this move (or, ``earlier``, a move the source had recorded) in the writing transaction."""
        e = earlier or {}
        c.execute(SQL("SELECT {}(%s, %s, %s, %s, %s)").format(Identifier(self.datastore.schema, "amity_record_move")),
                  (e.get("source", source), e.get("first_seq", first_seq), e.get("at"), e.get("by"), e.get("last_seq")))


class PostgresWriter(Writer):
    """Events and their index rows go in through ``amity_append``, which computes the links; in chunks."""

    def __init__(self, recorder: Any, cursor: Any, stored_at: str, stored_by: str, head: tuple[int, str]) -> None:
        super().__init__(recorder, cursor, stored_at, stored_by)
        self.head = head

    def insert(self, events: Sequence[NewEvent], custody: Sequence[tuple[str, str, str]] | None = None) -> None:
        fn = Identifier(self.recorder.datastore.schema, "amity_append")
        for i in range(0, len(events), CHUNK):
            part = events[i : i + CHUNK]
            kept = custody[i : i + CHUNK] if custody is not None else None
            self.c.execute(SQL("SELECT * FROM {}(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)").format(fn), (
                [UUID(e.stream) for e in part], [e.version for e in part], [e.topic for e in part], [e.state for e in part],
                [e.event_id for e in part], [e.content_hash for e in part], [e.type for e in part],
                [e.recorded_at for e in part], [e.recorded_by for e in part],
                [k[0] for k in kept] if kept else None, [k[1] for k in kept] if kept else None, [k[2] for k in kept] if kept else None))
            rows = self.c.fetchall()
            self.head = (rows[-1]["out_seq"], rows[-1]["out_hash"])
            self.top = max(self.top, rows[-1]["out_position"])
