"""Replacing a few streams' rows in view tables: the one write every view makes (partnerships' and networks')."""

from __future__ import annotations

from typing import Any, Callable, Sequence


def replace_rows(c: Any, sql: Callable[[str], str], streams: Sequence[str], fresh: bool, tables: Sequence[str],
                 inserts: Sequence[tuple[str, Sequence[tuple]]]) -> None:
    """Delete the rows of ``streams`` from ``tables`` (none when ``fresh``: the tables were emptied), then run each
    (statement, rows) of ``inserts``; ``sql`` adapts a statement to the store (``_sql``), in the caller's transaction."""
    for i in range(0, 0 if fresh else len(streams), 500):
        part = list(streams[i : i + 500])
        marks = ",".join("?" * len(part))
        for table in tables:
            c.execute(sql(f"DELETE FROM {table} WHERE stream IN ({marks})"), part)
    for statement, rows in inserts:
        if rows:
            c.executemany(sql(statement), rows)
