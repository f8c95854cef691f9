"""Stores: where a ledger lives (a store URL) and the recorder that writes it.

``--store`` takes a file path, ``sqlite:///path`` or ``postgresql://user@host:port/db``. The
recorder is the library's own application recorder plus one table of ours, ``amity_facts``: an
index of event ids (for idempotent imports and ``show``), record times and actors (for ``audit`` and
``--as-known-at``), and ``stored_at``/``stored_by``, which the store sets and nobody can. It is
written in the same transaction as the events.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

import orjson
from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from amity.events.partnership import format_instant
from amity.events.wire import content_of, dumps
from amity.ledger.errors import BadInput


T = TypeVar("T")


def lock_timeout() -> int:
    """Seconds a write waits for another writer's lock (``AMITY_LOCK_TIMEOUT``, default 30)."""
    try:
        return max(1, int(os.environ.get("AMITY_LOCK_TIMEOUT", "30")))
    except ValueError:
        raise BadInput(f"AMITY_LOCK_TIMEOUT={os.environ['AMITY_LOCK_TIMEOUT']!r} is not a whole number of seconds") from None


def when_unlocked(action: Callable[[], T], attempts: int = 60, wait: float = 0.25) -> T:
    """``action()``, tried again while SQLite says the database is locked (up to ~15 s).

    Opening a store creates its tables if needed. While another process sets the same file up, or
    holds the write lock across that moment, SQLite can refuse at once rather than wait
    (``SQLITE_BUSY`` on a stale snapshot); the set-up is idempotent, so it is simply tried again.
    """
    for attempt in range(attempts):
        try:
            return action()
        except Exception as exc:
            if "locked" not in str(exc).lower() or attempt == attempts - 1:
                raise
            time.sleep(wait)
    raise AssertionError("unreachable")


def content_hash(state: dict[str, Any]) -> str:
    body = {k: v for k, v in content_of(state).items() if k != "class_version"}
    return hashlib.sha256(dumps(body)).hexdigest()


def as_dict(row: Any) -> dict[str, Any]:
    return {k: row[k] for k in row.keys()}


class FactIndex:
    """Queries of the ``amity_facts`` index, shared by the SQLite and PostgreSQL recorders.

    SQL is written with ``?`` placeholders and unqualified table names; ``_sql`` adapts it.
    """

    datastore: Any
    events_table_name: str
    notification_column: str  # the events table's record position

    def _sql(self, text: str) -> str:
        return text

    def lookup_ids(self, event_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """``amity_facts`` rows of the given event ids that are on file."""
        from amity.ledger.writer import StreamReader

        with self.datastore.transaction(commit=False) as c:
            return StreamReader(self, c).lookup(list(event_ids))

    def chain_head_in(self, c: Any) -> tuple[int, str]:
        from amity.ledger.integrity import GENESIS

        c.execute(self._sql("SELECT seq, hash FROM amity_facts ORDER BY seq DESC LIMIT 1"))
        row = c.fetchone()
        return (row["seq"], row["hash"]) if row else (0, GENESIS)

    def chain_link(self, seq: int) -> str | None:
        """The hash of the chain at a position (None past its end)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql("SELECT hash FROM amity_facts WHERE seq = ?"), (seq,))
            row = c.fetchone()
            return row["hash"] if row else None

    def chain_head(self) -> tuple[int, str]:
        with self.datastore.transaction(commit=False) as c:
            return self.chain_head_in(c)

    def chain_page(self, after: int, limit: int) -> list[dict[str, Any]]:
        """Chain rows after ``after`` with their stored events (None where the event is missing)."""
        sql = (f"SELECT f.*, e.{self.notification_column} AS notification_id, e.topic, e.state FROM amity_facts f LEFT JOIN events_table e "
               "ON e.originator_id = f.stream AND e.originator_version = f.version WHERE f.seq > ? ORDER BY f.seq LIMIT ?")
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(sql), (after, limit))
            return [as_dict(r) for r in c.fetchall()]

    def chain_counts(self) -> dict[str, int]:
        """Stored events and the index rows' distinct ids: one to one when both equal the chain's length.

        (Two index rows naming one stored event would carry its one id, since each row's id is checked
        against its event's: so distinct ids also count distinct events.)"""
        sql = "SELECT (SELECT COUNT(*) FROM events_table) AS events, COUNT(DISTINCT event_id) AS ids FROM amity_facts"
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(sql))
            return dict(c.fetchone())

    def first_unindexed_event(self) -> dict[str, Any] | None:
        """A stored event that has no entry in the chain, if any (decoded state, or {})."""
        sql = ("SELECT e.state FROM events_table e LEFT JOIN amity_facts f "
               "ON e.originator_id = f.stream AND e.originator_version = f.version WHERE f.seq IS NULL LIMIT 1")
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(sql))
            row = c.fetchone()
        if row is None:
            return None
        from amity.ledger.integrity import as_bytes

        try:
            found = orjson.loads(as_bytes(row["state"]))
        except orjson.JSONDecodeError:
            return {}
        return found if isinstance(found, dict) else {}

    def moves(self) -> list[dict[str, Any]]:
        """Each time this ledger was restored or copied in: when, by whom, from where, up to which link."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql("SELECT * FROM amity_moves ORDER BY last_seq"))
            return [as_dict(r) for r in c.fetchall()]

    def select_facts(self, where: str = "", params: Sequence[Any] = (), order: str = "position") -> list[dict[str, Any]]:
        """Index rows joined with their stored state, filtered by a SQL ``where`` clause."""
        sql = ("SELECT f.*, e.topic, e.state FROM amity_facts f JOIN events_table e "
               "ON e.originator_id = f.stream AND e.originator_version = f.version")
        if where:
            sql += f" WHERE {where}"
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(f"{sql} ORDER BY {order}"), list(params))
            return [as_dict(row) for row in c.fetchall()]


class AmitySQLiteRecorder(FactIndex, SQLiteApplicationRecorder):
    """The library's SQLite recorder plus the ``amity_facts`` index, written in the same transaction."""

    notification_column = "rowid"

    def max_position_in(self, c: Any) -> int:
        """The last notification id (rowid), read in the caller's transaction."""
        c.execute(f"SELECT MAX(rowid) FROM {self.events_table_name}")
        return c.fetchone()[0] or 0

    def select_streams_sql(self, count: int | None) -> str:
        """(stream hex, topic, state) of some streams (``count`` placeholders) or all, in stream and version order."""
        where = f"WHERE originator_id IN ({','.join('?' * count)}) " if count is not None else ""
        return f"SELECT originator_id AS stream, topic, state FROM {self.events_table_name} {where}ORDER BY originator_id, originator_version"

    def _sql(self, text: str) -> str:
        return text.replace("events_table", self.events_table_name)

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + [
            "CREATE TABLE IF NOT EXISTS amity_facts ("
            "position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, content_hash TEXT NOT NULL, "
            "stream TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL, "
            "recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL, stored_at TEXT NOT NULL, stored_by TEXT NOT NULL, "
            "seq INTEGER NOT NULL UNIQUE, hash TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS amity_facts_recorded_at ON amity_facts (recorded_at)",
            "CREATE INDEX IF NOT EXISTS amity_facts_disputes ON amity_facts (stream) WHERE type = 'ClaimDisputed'",  # #19: few rows
            "CREATE TABLE IF NOT EXISTS amity_moves (at TEXT NOT NULL, by TEXT NOT NULL, source TEXT NOT NULL, "
            "first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, digest TEXT NOT NULL)",
        ]

    def foreign_objects(self) -> list[str]:
        """Triggers and views in the file that Amity did not make (Amity makes none on SQLite)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY name")
            return [f"a {r['type']} {r['name']!r}" for r in c.fetchall()]

    def record_move(self, c: Any, source: str, first_seq: int, earlier: dict[str, Any] | None = None) -> None:
        """Note, in the writing transaction, that the chain up to its head came from another store (or, ``earlier``,
        a move the source had recorded, its digest taken from the chain itself)."""
        if earlier:
            c.execute("SELECT hash FROM amity_facts WHERE seq = ?", (earlier["last_seq"],))
            c.execute("INSERT INTO amity_moves VALUES (?, ?, ?, ?, ?, ?)", (earlier["at"], earlier["by"], earlier["source"],
                                                                        earlier["first_seq"], earlier["last_seq"], c.fetchone()[0]))
            return
        seq, digest = self.chain_head_in(c)
        c.execute("INSERT INTO amity_moves VALUES (?, ?, ?, ?, ?, ?)",
                  (format_instant(datetime.now(UTC)), getpass.getuser(), source, first_seq, seq, digest))


    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        raise NotImplementedError("Amity writes through Ledger.import_events (a Writer), never the library's save()")

    @contextmanager
    def writer(self, *, commit: bool = True) -> Iterator[Any]:
        """A write transaction holding SQLite's write lock from its start (a ``writer.SQLiteWriter``)."""
        from amity.ledger.writer import SQLiteWriter, sqlite_transaction

        with sqlite_transaction(self.datastore, commit=commit) as c:
            yield SQLiteWriter(self, c, format_instant(datetime.now(UTC)), getpass.getuser())
