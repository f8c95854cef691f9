"""Rendering: rich tables for people, one JSON document for scripts."""

from __future__ import annotations

import sys
from typing import Any, Sequence

import orjson


def emit_json(document: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n")
    sys.stdout.flush()


RICH_ROWS = 1000  # rich lays out about a thousand rows a second; longer tables are printed plain


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A table for people: drawn by rich, or, past ``RICH_ROWS`` rows, as plain aligned columns."""
    if len(rows) > RICH_ROWS:
        plain_table(title, columns, rows)
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title, show_lines=False, header_style="bold")
    for col in columns:
        t.add_column(col, overflow="fold")
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row))
    Console(width=200 if not sys.stdout.isatty() else None).print(t)


def source_line(source: dict[str, Any] | None) -> str:
    if not source:
        return ""
    return " — ".join(x for x in (source.get("title"), source.get("publisher")) if x)


def plain_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Aligned columns without borders (the same columns and cells as the rich table)."""
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    out = [title] if title else []
    out.append("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    sys.stdout.write("\n".join(out) + "\n")
