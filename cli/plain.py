"""Long tables without rich: the same columns, widths and wrapping rule, laid out in a few milliseconds.

rich lays out about a thousand rows a second, so a table past ``render.RICH_ROWS`` rows (a busy
partnership's history, every partnership of a world ledger) is printed here: a title, the header, a rule,
then each row with its free-text cells wrapped at spaces to their column's width (measured in terminal
cells, so CJK text aligns) and other cells (and words too long for their column) shortened with "…".
Lines never pass the width given.
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
    return len(text) if _OTHER.search(text) is None else _counted(text)


def wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken at spaces (a longer word is shortened with "…", as rich does)."""
    if cell_len(text) <= width:
        return [text]
    lines, line, used = [], "", 0
    for word in text.split():
        for part in [shortened(word, width)]:
            size = cell_len(part)
            if line and used + 1 + size <= width:
                line, used = f"{line} {part}", used + 1 + size
            elif not line:
                line, used = part, size
            else:
                lines.append(line)
                line, used = part, size
    return lines + [line] if line else lines or [""]


def shortened(text: str, width: int) -> str:
    return text if cell_len(text) <= width else set_cell_size(text, max(width - 1, 0)) + "…"


def print_table(title: str | None, headers: Sequence[str], wrap: Sequence[bool], widths: Sequence[int],
                cells: Sequence[Sequence[str]], gap: int) -> None:
    """Write the table to stdout (cells already escaped with ``render.visible``)."""
    space = " " * gap
    out = [title] if title else []
    out.append(space.join(shortened(h, w).ljust(w) for h, w in zip(headers, widths)).rstrip())
    out.append(space.join("─" * w for w in widths))
    for row in cells:
        columns = [wrapped(v, w) if wrap[i] else [shortened(v, w)] for i, (v, w) in enumerate(zip(row, widths))]
        for k in range(max(len(c) for c in columns)):
            parts = [c[k] if k < len(c) else "" for c in columns]
            out.append(space.join(p + " " * (w - cell_len(p)) for p, w in zip(parts, widths)).rstrip())
    sys.stdout.write("\n".join(out) + "\n")
