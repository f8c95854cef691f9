"""Reading JSON Lines import files: line by line, each line decoded or marked unreadable.

A file of any size takes the memory of what its reader holds, not of the file: lines are read as they
are consumed. Unreadable lines (not UTF-8, not JSON, over 1 MiB) become ``BadLine`` values, so the
import reports them with every other problem, each naming its file and line.
"""

from __future__ import annotations

import sys
from typing import Any, Iterator

from amity.ledger.errors import BadInput, BadLine

MAX_LINE_BYTES = 1 << 20


def count_lines(path: str) -> int | None:
    """Lines in a file, counted fast (for the progress bar); None for stdin."""
    if path == "-":
        return None
    try:
        with open(path, "rb") as fh:
            return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
    except OSError:
        return None


def read_lines(path: str) -> Iterator[tuple[int, Any]]:
    """(line number, decoded JSON value) of each line of a JSON Lines file, streamed; unreadable lines as ``BadLine``.

    The file is opened at once (so a missing file is reported before anything else); lines are read as
    they are consumed, so a file of any size takes the memory of one chunk of the import.
    """
    name = "<stdin>" if path == "-" else path
    try:
        fh = sys.stdin.buffer if path == "-" else open(path, "rb")
    except OSError as exc:
        raise BadInput(f"cannot read {name}: {exc.strerror}") from None
    return _lines(fh)


def _lines(fh: Any) -> Iterator[tuple[int, Any]]:
    import orjson

    with fh:
        for number, raw in enumerate(fh, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            if len(raw) > MAX_LINE_BYTES:
                size = len(raw.rstrip(b"\n"))
                yield number, BadLine(f"the line is {size:,} bytes; an event may take at most {MAX_LINE_BYTES:,}")
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield number, BadLine(f"not valid UTF-8 (byte {exc.start + 1})")
                continue
            try:
                yield number, orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                cut = " (the file may be cut off)" if not raw.endswith(b"\n") else ""
                yield number, BadLine(f"invalid JSON: {exc}{cut}")
