"""Rendering: tables for people, CSV for spreadsheets, one JSON document for scripts.

Recorded text is never trusted as output: it is printed as text (never parsed as rich markup), and
control and bidi characters are shown escaped (``\\x1b``, ``\\u202e``), so a title cannot clear the
screen, rewrite a row or display "adm\\u202eni" as "admin". JSON keeps every character exact.

Tables fit the terminal's width, or 80 columns when the output is not a terminal (``COLUMNS``
overrides both): dates, types and ids are never wrapped; only free text is, at spaces.
"""

from __future__ import annotations

import csv
import os
import sys
from dataclasses import dataclass
from typing import Any, Sequence

import orjson

# Characters that move the cursor, change the terminal or reorder what is displayed.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
KEEP_FORMAT = frozenset("\u200c\u200d")  # zero-width (non-)joiners: part of Persian, Indic and emoji spelling


def _unsafe(ch: str) -> bool:
    import unicodedata

    if ch in BIDI:
        return True
    category = unicodedata.category(ch)
    return category in ("Cc", "Zl", "Zp") or (category == "Cf" and ch not in KEEP_FORMAT)


def visible(text: Any) -> str:
    """``text`` with every control, bidi and other invisible formatting character written as an escape."""
    s = "" if text is None else str(text)
    if (s.isascii() or BIDI.isdisjoint(s)) and s.isprintable():  # ASCII holds no bidi character
        return s
    out = []
    for ch in s:
        if _unsafe(ch):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def json_for_people(document: Any) -> str:
    """Indented JSON whose strings show control, bidi and invisible characters as ``\\u`` escapes (still valid JSON)."""
    text = orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    out = []
    for ch in text:
        if ch != "\n" and _unsafe(ch):
            code = ord(ch)
            if code > 0xFFFF:
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
            else:
                out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def emit_json(document: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n")
    sys.stdout.flush()


def emit_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """CSV (every value exact; a spreadsheet shows what was recorded)."""
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    sys.stdout.flush()


@dataclass(frozen=True)
class Col:
    """A table column: ``wrap`` for free text (wrapped at spaces), else kept whole on one line."""

    header: str
    wrap: bool = False
    limit: int | None = None  # free text longer than this is shortened with "…"


RICH_ROWS = 100  # rich lays out about a thousand rows a second: a longer table is always laid out by cli/plain.py
TEXT_LIMIT = 60
WORD_LIMIT = 22  # a free-text column is at least as wide as its longest word, up to this


def width() -> int:
    """Columns to fit: ``COLUMNS``, else the terminal's, else 80 (piped output)."""
    try:
        return max(40, int(os.environ["COLUMNS"]))
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns if sys.stdout.isatty() else 80
    except (OSError, ValueError, AttributeError):
        return 80


def _cells(rows: Sequence[Sequence[Any]], cols: Sequence[Col], total: int, gap: int) -> list[list[str]]:
    """Every value escaped; free text shortened to its column's limit unless the whole table fits ``total`` as it is."""
    from amity.cli.plain import cell_len

    out = [[visible(v) for v in row] for row in rows]
    texts = [{r[i] for r in out} for i in range(len(cols))]  # each column's distinct values: measured once each
    natural = sum(max([len(c.header)] + [cell_len(s) for s in texts[i]]) for i, c in enumerate(cols)) + gap * (len(cols) - 1)
    if natural <= total:
        return out
    for i, col in enumerate(cols):
        limit = col.limit or (TEXT_LIMIT if col.wrap else None)
        if not limit:
            continue
        short = {s: _shortened(s, limit) for s in texts[i] if cell_len(s) > limit}
        if short:
            for cells in out:
                cells[i] = short.get(cells[i], cells[i])
    return out


def _shortened(s: str, limit: int) -> str:
    cut = s[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut).rstrip(" ,;—–-") + "…"


def _widths(cols: Sequence[Col], cells: Sequence[Sequence[str]], total: int, gap: int) -> list[int]:
    """Column widths that fit ``total``: whole values in fixed columns, the rest shared by free text at its words."""
    from amity.cli.plain import cell_len

    texts = [{r[i] for r in cells} for i in range(len(cols))]  # each column's distinct values: measured once each
    widest = [max([len(c.header)] + [cell_len(s) for s in texts[i]]) for i, c in enumerate(cols)]
    free = [i for i, c in enumerate(cols) if c.wrap]
    room = total - sum(w for i, w in enumerate(widest) if i not in free) - gap * (len(cols) - 1)
    if sum(widest[i] for i in free) <= room:
        return widest
    words = {i: min(WORD_LIMIT, max([len(cols[i].header)] + [cell_len(x) for s in texts[i] for x in s.split()])) for i in free}
    least = sum(words.values())
    if least >= room:  # not even the words fit: share what there is
        return [max(4, room * words[i] // least) if i in words else w for i, w in enumerate(widest)]
    spare, want = room - least, sum(widest[i] - words[i] for i in free) or 1
    return [words[i] + spare * (widest[i] - words[i]) // want if i in words else w for i, w in enumerate(widest)]


def table(title: str | None, columns: Sequence[Col | str], rows: Sequence[Sequence[Any]], gap: int = 2) -> None:
    """A table for people, columns fitted to ``width()``; ``gap``: spaces between columns. Every cell is printed as
    text, escaped with ``visible``.

    When the columns fit, ``cli/plain.py`` lays it out exactly as rich would (tests/test_plain_tables.py holds
    the two to the same output) in a few milliseconds, without importing rich (~30 ms) or its ~1 ms a row.
    Only a table of at most ``RICH_ROWS`` rows whose columns cannot fit (a very narrow terminal) is drawn
    by rich, which squeezes them further.
    """
    cols = [c if isinstance(c, Col) else Col(c, wrap=True) for c in columns]
    total = width()
    cells = _cells(rows, cols, total, gap)
    widths = _widths(cols, cells, total, gap)
    heading = visible(title) if title else None
    if len(rows) > RICH_ROWS or sum(widths) + gap * (len(cols) - 1) <= total:
        from amity.cli.plain import print_table

        print_table(heading, [c.header for c in cols], [c.wrap for c in cols], widths, cells, gap, bold=sys.stdout.isatty())
    else:
        sys.stdout.write(rich_table(heading, cols, widths, cells, gap, total, tty=sys.stdout.isatty()))


def rich_table(title: str | None, cols: Sequence[Col], widths: Sequence[int], cells: Sequence[Sequence[str]], gap: int,
               total: int, tty: bool = False) -> str:
    """The table drawn by rich (lines right-trimmed): a bold header on a terminal, plain text in a pipe."""
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    t = Table(title=Text(title) if title else None, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
              header_style="bold", title_justify="left", padding=(0, gap - 1, 0, 0))
    for col, w in zip(cols, widths):
        t.add_column(Text(col.header), width=w, no_wrap=not col.wrap, overflow="ellipsis")
    for r in cells:
        t.add_row(*(Text(v) for v in r))
    buffer = io.StringIO()
    Console(file=buffer, width=total, markup=False, emoji=False, highlight=False, force_terminal=tty,
            color_system="standard" if tty else None).print(t)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def source_line(source: dict[str, Any] | None) -> str:
    if not source:
        return ""
    return " — ".join(x for x in (source.get("title"), source.get("publisher")) if x)


def short_id(event_id: str) -> str:
    """The first 8 hex digits of an id: what `show`, `correct` and `retract` accept as a unique prefix."""
    return event_id[:8]
