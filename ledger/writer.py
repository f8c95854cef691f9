"""Amity's write path inside the library's recorders, and reading whole streams back in a transaction.

``Writer`` is one write transaction with the store's writers' lock held from its start: ids and stream
versions are looked up, events and their ``amity_facts`` rows (with the hash chain's links) go in with
``executemany`` a chunk at a time, and touched streams are read back for the rule check and the views.
The library inserts a row at a time (SQLite) or through a pipeline that stalls on very large batches
(PostgreSQL); the table layout and notification ids stay the library's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from amity.ledger.errors import IntegrityError, StoreError
from amity.ledger.integrity import link_values

FACT_COLUMNS = ("position", "event_id", "content_hash", "stream", "version", "type", "recorded_at", "recorded_by", "stored_at", "stored_by", "seq", "hash")
from amity.ledger.config import FETCH_ROWS, LOOKUP_CHUNK


@dataclass(slots=True)
class NewEvent:
    """An event ready to store: its stored form and its index entry's own fields."""

    stream: str  # the stream id, as 32 hex digits
    version: int
    topic: str
    state: bytes
    event_id: str
    content_hash: str
    type: str
    recorded_at: str
    recorded_by: str


def index_rows(events: Sequence[NewEvent], positions: Sequence[int], head: tuple[int, str], stored_at: str, stored_by: str,
               custody: Sequence[tuple[str, str, str]] | None = None) -> list[tuple]:
    """Rows of ``amity_facts`` (in ``FACT_COLUMNS`` order) for freshly stored events, chained on from ``head``.

    ``custody``: (stored_at, stored_by, link) of each event as its original store had them (a restore or
    a copy); each link must follow from the chain, or nothing is written.
    """
    seq, prev = head
    rows = []
    for i, (e, position) in enumerate(zip(events, positions, strict=True)):
        seq += 1
        if custody is not None:
            stored_at, stored_by, kept = custody[i]
        prev = link_values(prev, seq, e.event_id, e.content_hash, e.stream, e.version, e.type, e.recorded_at,
                           e.recorded_by, stored_at, stored_by, e.topic, e.state)
        if custody is not None and prev != kept:
            raise IntegrityError(f"restored event {e.event_id} does not follow the chain at position {seq}: its link was {kept}, the chain gives {prev}")
        rows.append((position, e.event_id, e.content_hash, e.stream, e.version, e.type, e.recorded_at, e.recorded_by,
                     stored_at, stored_by, seq, prev))
    return rows


def landed(c: Any, expected: int) -> None:
    """Every row just inserted is there (a trigger added to the file could drop rows silently)."""
    if c.rowcount != expected:
        raise StoreError(f"{expected - c.rowcount} of {expected} rows were dropped on their way into the store (a trigger "
                         "Amity did not make?); nothing was kept; run `amity verify`")


def as_dict(row: Any) -> dict[str, Any]:
    return {k: row[k] for k in row.keys()}


class StreamReader:
    """Reads of the index and of whole streams inside an open transaction (cursor ``c``)."""

    chunk = LOOKUP_CHUNK
    top: int  # the last position (set by whoever opens the transaction)
    start_top: int

    def __init__(self, recorder: Any, cursor: Any) -> None:
        self.recorder, self.c = recorder, cursor

    def sql(self, text: str) -> str:
        return self.recorder._sql(text)

    def touched_since(self, position: int, top: int) -> dict[str, int]:
        """Streams with events at positions in (position, top], with how many each."""
        self.c.execute(self.sql("SELECT stream, COUNT(*) AS n FROM amity_facts WHERE position > ? AND position <= ? GROUP BY stream"), (position, top))
        return {row["stream"]: row["n"] for row in self.c.fetchall()}

    def lookup(self, event_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """``amity_facts`` rows of the given ids already on file, by id."""
        found: dict[str, dict[str, Any]] = {}
        for i in range(0, len(event_ids), self.chunk):
            part = event_ids[i : i + self.chunk]
            self.c.execute(self.sql("SELECT f.* FROM amity_facts f JOIN events_table e ON e.originator_id = f.stream AND e.originator_version = f.version "
                                    f"WHERE f.event_id IN ({','.join('?' * len(part))})"), part)  # an index row without its event is not "on file"
            for row in self.c.fetchall():
                found[row["event_id"]] = as_dict(row)
        return found

    def versions(self, streams: Sequence[str]) -> dict[str, int]:
        """The last version of each given stream that has events."""
        found: dict[str, int] = {}
        for i in range(0, len(streams), self.chunk):
            part = list(streams[i : i + self.chunk])
            self.c.execute(self.sql(f"SELECT stream, MAX(version) AS v FROM amity_facts WHERE stream IN ({','.join('?' * len(part))}) GROUP BY stream"), part)
            found.update((row["stream"], row["v"]) for row in self.c.fetchall())
        return found

    def state_of(self, stream: str, version: int) -> tuple[str, bytes]:
        """(topic, state) of one stored event."""
        self.c.execute(self.sql("SELECT e.topic, e.state FROM amity_facts f JOIN events_table e "
                                "ON e.originator_id = f.stream AND e.originator_version = f.version WHERE f.stream = ? AND f.version = ?"), (stream, version))
        row = self.c.fetchone()
        return row["topic"], bytes(row["state"])

    def streams(self, streams: Sequence[str] | None) -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
        """Each given stream's stored events (topic, state) in version order; ``None``: every stream, in one scan.

        Read through a cursor of its own: the consumer writes (views) through ``c`` between rows.
        """
        c = self.c.connection.cursor()
        if streams is None:
            c.execute(self.recorder.select_streams_sql(None))
            yield from self._grouped(c)
            return
        ordered = sorted(streams)
        for i in range(0, len(ordered), self.chunk):
            part = ordered[i : i + self.chunk]
            c.execute(self.recorder.select_streams_sql(len(part)), part)
            yield from self._grouped(c)

    @staticmethod
    def _grouped(c: Any) -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
        current, items = None, []
        while rows := c.fetchmany(FETCH_ROWS):
            for row in rows:
                stream = row["stream"]
                if stream != current:
                    if current is not None:
                        yield current, items
                    current, items = stream, []
                items.append((row["topic"], row["state"]))
        if current is not None:
            yield current, items


class Writer(StreamReader):
    """One write transaction, the store's writers' lock held from its start to its end.

    The import path of the application: look up ids and stream versions, insert events with their
    index rows and chain links in batches (``executemany``, not a statement per event), read the
    touched streams back for the rule check, and let the views update in the same transaction.
    ``commit`` at the end, or nothing of it is kept.
    """

    def __init__(self, recorder: Any, cursor: Any, stored_at: str, stored_by: str) -> None:
        super().__init__(recorder, cursor)
        self.stored_at, self.stored_by = stored_at, stored_by
        self.head = recorder.chain_head_in(cursor)
        self.top = self.start_top = recorder.max_position_in(cursor)

    def insert(self, events: Sequence[NewEvent], custody: Sequence[tuple[str, str, str]] | None = None) -> None:
        """Store events and their index rows, chained on from the head (``custody``: a restore's own fields and links)."""
        if not events:
            return
        positions = self._insert_events(events)
        rows = index_rows(events, positions, self.head, self.stored_at, self.stored_by, custody)
        self.c.executemany(self.sql(f"INSERT INTO amity_facts ({', '.join(FACT_COLUMNS)}) VALUES ({', '.join('?' * len(FACT_COLUMNS))})"), rows)
        landed(self.c, len(rows))
        self.head = (rows[-1][10], rows[-1][11])
        self.top = max(self.top, positions[-1])

    def _insert_events(self, events: Sequence[NewEvent]) -> list[int]:
        raise NotImplementedError
