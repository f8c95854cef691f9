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
from itertools import islice
from typing import Iterable, Sequence

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


def cell_lens(texts: set[str]) -> dict[str, int]:
    """``cell_len`` of each text; their lengths when no text has a character other than one cell wide."""
    if _OTHER.search("".join(texts)) is None:
        return {t: len(t) for t in texts}
    return {t: cell_len(t) for t in texts}


def wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken at spaces (a longer word is shortened with "…", as rich does)."""
    single = _OTHER.search(text) is None  # every character one cell wide: lengths are sizes
    if (len(text) if single else _counted(text)) <= width:
        return [text]
    lines, line, used, cut = [], "", 0, max(width - 1, 0)
    for word in text.split():
        if single:
            part = word if len(word) <= width else word[:cut] + "…"
            size = len(part)
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


def print_table(title: str | None, headers: Sequence[str], wrap: Sequence[bool], widths: Sequence[int],
                cells: Iterable[Sequence[str]], gap: int, bold: bool = False) -> None:
    """Write the table to stdout (cells already escaped with ``render.visible``), a few thousand lines at a time;
    ``bold``: the header in bold (a terminal). A cell's lines depend only on its text and column: each distinct
    text of a column is laid out once."""
    space = " " * gap
    out = [title] if title else []
    heads = [wrapped(h, w) if wrap[i] else [shortened(h, w)] for i, (h, w) in enumerate(zip(headers, widths))]
    tall = max(len(h) for h in heads)
    heads = [[""] * (tall - len(h)) + h for h in heads]  # a header wrapped onto more lines sits on the rule, as rich's does
    lines = [space.join(h[k] + " " * (w - cell_len(h[k])) for h, w in zip(heads, widths)).rstrip() for k in range(tall)]
    out += [f"\x1b[1m{line}\x1b[0m" for line in lines] if bold else lines
    out.append("─" * (sum(widths) + gap * (len(widths) - 1)))  # one rule under the header, as rich draws it
    blank = [" " * w for w in widths]
    laid: list[dict[str, tuple[str, ...]]] = [{} for _ in widths]  # per column: a text's lines, then blanks up to ``high``
    heights: list[dict[str, int]] = [{} for _ in widths]  # per column: how many lines a text takes
    high = 1
    cells = cells if isinstance(cells, Sequence) else list(cells)
    for start in range(0, len(cells), 2048):
        columns, sizes = [], []
        for i, column in enumerate(zip(*cells[start : start + 2048])):
            memo, height = laid[i], heights[i]
            new = set(column).difference(memo)
            if new:
                lines = _laid_out(new, widths[i], wrap[i])
                top = max(map(len, lines.values()))
                if top > high:  # a text taller than any before: every text's blanks reach down to it
                    for j, m in enumerate(laid):  # in place: this chunk's columns so far read them
                        for v, t in m.items():
                            m[v] = t + (blank[j],) * (top - high)
                    high = top
                for v, ls in lines.items():
                    height[v] = len(ls)
                    memo[v] = (*ls, *(blank[i],) * (high - len(ls)))
            columns.append(map(memo.__getitem__, column))
            sizes.append(map(height.__getitem__, column))
        for row, tall in zip(zip(*columns), map(max, zip(*sizes))):
            if tall == 1:  # every cell on one line
                out.append(space.join(next(zip(*row))).rstrip())
            else:
                out += [space.join(parts).rstrip() for parts in islice(zip(*row), tall)]
        sys.stdout.write("\n".join(out) + "\n")
        out = []
    if out:
        sys.stdout.write("\n".join(out) + "\n")


def _laid_out(texts: set[str], width: int, wrap: bool) -> dict[str, list[str]]:
    """``_lay`` of each text of a column; at once when none is wrapped or shortened (one cell a character, all fit)."""
    if _OTHER.search("".join(texts)) is None:  # one cell a character (and so is "…")
        if not wrap and max(map(len, texts)) <= width:
            return {t: [t + " " * (width - len(t))] for t in texts}
        if wrap:
            return {t: _wrapped_padded(t, width) for t in texts}
    return {t: _lay(t, width, wrap) for t in texts}


def _wrapped_padded(text: str, width: int) -> list[str]:
    """``_lay`` of free text whose characters are one cell wide each: ``wrapped`` by lengths, each line padded."""
    if len(text) <= width:
        return [text + " " * (width - len(text))]
    lines, line, used, cut = [], "", 0, max(width - 1, 0)
    for word in text.split():
        if len(word) > width:
            word = word[:cut] + "…"
        if line and used + 1 + len(word) <= width:
            line, used = f"{line} {word}", used + 1 + len(word)
        else:
            if line:
                lines.append(line + " " * (width - used))
            line, used = word, len(word)
    if line:
        lines.append(line + " " * (width - used))
    return lines or [" " * width]


def _lay(text: str, width: int, wrap: bool) -> list[str]:
    """A cell's lines: free text wrapped at spaces, other text shortened; each padded to ``width`` cells."""
    lines = wrapped(text, width) if wrap else [shortened(text, width)]
    if _OTHER.search(text) is None:  # every character one cell wide, and so is "…"
        return [p + " " * (width - len(p)) for p in lines]
    return [p + " " * (width - cell_len(p)) for p in lines]
