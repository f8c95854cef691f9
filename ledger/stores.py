"""Stores: where a ledger lives (a store URL) and the recorder that writes it.

``--store`` takes a file path, ``sqlite:///path`` or ``postgresql://user@host:port/db``. The
recorder is the library's own application recorder plus one table of ours, ``amity_facts``: an
index of event ids (for idempotent imports and ``show``), record times and actors (for ``audit`` and
``--as-known-at``), and ``stored_at``/``stored_by``, which the store sets and nobody can. It is
written in the same transaction as the events.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Iterable, Sequence, TypeVar

import orjson

from amity.ledger.config import lock_timeout  # noqa: F401 - the stores' modules take it from here
from amity.ledger.integrity import GENESIS, as_bytes
from amity.ledger.writer import StreamReader, as_dict


T = TypeVar("T")


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


class FactIndex:
    """Queries of the ``amity_facts`` index, shared by the SQLite and PostgreSQL recorders.

    SQL is written with ``?`` placeholders and unqualified table names; ``_sql`` adapts it.
    """

    datastore: Any
    events_table_name: str
    notification_column: str  # the events table's record position

    def _sql(self, text: str) -> str:
        return text

    def parallel_parts(self) -> list[Any] | None:
        """Parts of the store worker processes may read on their own (``streams_in_part``); None: none."""
        return None

    def lookup_ids(self, event_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """``amity_facts`` rows of the given event ids that are on file."""
        with self.datastore.transaction(commit=False) as c:
            return StreamReader(self, c).lookup(list(event_ids))

    def chain_head_in(self, c: Any) -> tuple[int, str]:
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

    def plain_rows(self, c: Any) -> None:
        """Make cursor ``c`` return rows as plain tuples (each store's driver has its own way)."""
        raise NotImplementedError

    def chain_page(self, after: int, limit: int) -> list[tuple]:
        """Chain rows after ``after`` as tuples of ``integrity.CHAIN_COLUMNS``: the index row with its stored event
        (None where the event is missing)."""
        sql = ("SELECT f.seq, f.position, f.event_id, f.content_hash, f.stream, f.version, f.type, f.recorded_at, f.recorded_by, "
               f"f.stored_at, f.stored_by, f.hash, e.{self.notification_column}, e.topic, e.state FROM amity_facts f LEFT JOIN events_table e "
               "ON e.originator_id = f.stream AND e.originator_version = f.version WHERE f.seq > ? ORDER BY f.seq LIMIT ?")
        with self.datastore.transaction(commit=False) as c:
            self.plain_rows(c)
            c.execute(self._sql(sql), (after, limit))
            return c.fetchall()

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
