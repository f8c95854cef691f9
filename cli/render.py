"""Rendering: rich tables for people, one JSON document for scripts."""

from __future__ import annotations

import sys
from typing import Any, Sequence

import orjson


def emit_json(document: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n")
    sys.stdout.flush()


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
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
