"""Tables laid out as rich draws them (``box.SIMPLE_HEAD``, our widths), in a few milliseconds and without rich.

rich takes ~30 ms to import and lays out about a thousand rows a second; ``render.table`` prints here whenever
its columns fit the width (tests/test_plain_tables.py holds the output to rich's): a title, the header (a
header wrapped onto more lines sits on the rule), one rule, then each row with its free-text cells wrapped
at spaces to their column's width (measured in terminal cells, so CJK text aligns) and other cells (and
words too long for their column) shortened with "…". Lines never pass the width given.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import Sequence

from rich.cells import cell_len as _rich_cell_len, set_cell_size

# Characters one cell wide each: Latin, Greek, Cyrillic … up to the combining marks (U+0300), and the dashes,
# quotes and ellipsis of General Punctuation (escaped controls never reach a table).
_OTHER = re.compile(r"[^\u0020-\u02ff\u2010-\u2027]")


@lru_cache(maxsize=1 << 14)
def _counted(text: str) -> int:
    return _rich_cell_len(text)


def cell_len(text: str) -> int:
    """Terminal cells of ``text``: its length when every character is one cell wide, else rich's count."""
    if text.isascii() and text.isprintable():  # the usual text, told in C: every character one cell
        return len(text)
    return len(text) if _OTHER.search(text) is None else _counted(text)


def wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken at spaces (a longer word is shortened with "…", as rich does)."""
    if cell_len(text) <= width:
        return [text]
    lines, line, used = [], "", 0
    narrow = text.isascii() and text.isprintable()  # every character one cell: a word's size is its length
    for word in text.split():
        if narrow and len(word) <= width:
            part, size = word, len(word)
        else:
            part = shortened(word, width)
            size = cell_len(part)
        if line and used + 1 + size <= width:
            line, used = f"{line} {part}", used + 1 + size
        else:
            if line:
                lines.append(line)
            line, used = part, size
    return lines + [line] if line else lines or [""]


def shortened(text: str, width: int) -> str:
    return text if cell_len(text) <= width else set_cell_size(text, max(width - 1, 0)) + "…"


def _block(text: str, width: int, wrap: bool) -> list[str]:
    """A cell's lines, each padded to ``width``: wrapped at spaces (``wrap``) or shortened."""
    size = cell_len(text)
    if size <= width:
        return [text + " " * (width - size)]
    return [p + " " * (width - cell_len(p)) for p in (wrapped(text, width) if wrap else [shortened(text, width)])]


def print_table(title: str | None, headers: Sequence[str], wrap: Sequence[bool], widths: Sequence[int],
                cells: Sequence[Sequence[str]], gap: int, bold: bool = False) -> None:
    """Write the table to stdout (cells already escaped with ``render.visible``); ``bold``: the header in bold (a terminal)."""
    space = " " * gap
    out = [title] if title else []
    heads = [wrapped(h, w) if wrap[i] else [shortened(h, w)] for i, (h, w) in enumerate(zip(headers, widths))]
    tall = max(len(h) for h in heads)
    heads = [[""] * (tall - len(h)) + h for h in heads]  # a header wrapped onto more lines sits on the rule, as rich's does
    lines = [space.join(h[k] + " " * (w - cell_len(h[k])) for h, w in zip(heads, widths)).rstrip() for k in range(tall)]
    out += [f"\x1b[1m{line}\x1b[0m" for line in lines] if bold else lines
    out.append("─" * (sum(widths) + gap * (len(widths) - 1)))  # one rule under the header, as rich draws it
    blocks: list[dict[str, list[str]]] = [{} for _ in widths]  # column → cell text → its lines, padded (a value repeats: laid out once)
    blank = [" " * w for w in widths]
    for row in cells:
        columns = [known.get(v) for known, v in zip(blocks, row)]
        if None in columns:
            for i, v in enumerate(row):
                if columns[i] is None:
                    columns[i] = blocks[i][v] = _block(v, widths[i], wrap[i])
        height = max(map(len, columns))
        if height == 1:  # most rows: every cell fits on one line
            out.append(space.join([c[0] for c in columns]).rstrip())
            continue
        columns = [c if len(c) == height else c + [blank[i]] * (height - len(c)) for i, c in enumerate(columns)]
        out += [space.join(line).rstrip() for line in zip(*columns)]
    sys.stdout.write("\n".join(out) + "\n")
