"""Reading JSON Lines import files: once, streaming, in bounded memory; each line decoded or marked unreadable.

Any input that can be opened is read exactly once, front to back: a regular file, ``-`` (stdin),
``/dev/stdin``, a FIFO, a process substitution (``<(cat f)``). Bytes are read in chunks of
``READ_BYTES``; a line is held only while it is at most ``MAX_LINE_BYTES`` long, so an input with an
endless line (``/dev/zero``) takes about that much memory and stops at once: the over-long line is
refused with its line number and reading stops there (``TooLong``). Unreadable lines (not UTF-8, not
JSON) become ``BadLine`` values, so the import reports them with every other problem, each naming its
file and line.
"""

from __future__ import annotations

import os
import stat
import sys
from typing import Any, BinaryIO, Iterator

from amity.ledger.errors import BadInput, BadLine

MAX_LINE_BYTES = 1 << 20
READ_BYTES = 1 << 16


class TooLong(BadLine):
    """A line over ``MAX_LINE_BYTES``: refused, and nothing after it is read (it may never end)."""


def regular_file(path: str) -> bool:
    """Whether ``path`` (or stdin, for ``-``) is a regular file: one that can be read twice, so counted."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode if path == "-" else os.stat(path).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISREG(mode)


def count_lines(path: str) -> int | None:
    """Lines in a regular file, counted fast (for the progress bar); None for anything that can be read only once."""
    if path == "-" or not regular_file(path):
        return None
    try:
        with open(path, "rb") as fh:
            return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
    except OSError:
        return None


def open_input(path: str) -> BinaryIO:
    name = "<stdin>" if path == "-" else path
    try:
        return sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 - closed by the reader
    except OSError as exc:
        raise BadInput(f"cannot read {name}: {exc.strerror}") from None


def read_lines(path: str) -> Iterator[tuple[int, Any]]:
    """(line number, decoded JSON value) of each line of a JSON Lines input, streamed; unreadable lines as ``BadLine``.

    The input is opened at once (so a missing file is reported before anything else); lines are read as
    they are consumed.
    """
    return decoded(raw_lines(open_input(path)))


def raw_lines(fh: BinaryIO) -> Iterator[tuple[int, bytes | TooLong]]:
    """(line number, the line's bytes with its newline) in bounded memory; an over-long line ends the input."""
    read = getattr(fh, "read1", fh.read)
    buf, number = bytearray(), 0
    with fh:
        while True:
            chunk = read(READ_BYTES)
            if not chunk:
                break
            buf += chunk
            start = 0
            while (end := buf.find(b"\n", start)) >= 0:
                number += 1
                if end + 1 - start > MAX_LINE_BYTES:
                    yield number, _too_long(end + 1 - start, True)
                    return
                yield number, bytes(buf[start : end + 1])
                start = end + 1
            del buf[:start]
            if len(buf) > MAX_LINE_BYTES:
                yield number + 1, _too_long(len(buf), False)
                return
    if buf:
        yield number + 1, bytes(buf)


def _too_long(size: int, whole: bool) -> TooLong:
    at_least = "" if whole else "over "
    return TooLong(f"the line is {at_least}{size:,} bytes; an event may take at most {MAX_LINE_BYTES:,} (reading stopped here)")


def decoded(lines: Iterator[tuple[int, bytes | TooLong]]) -> Iterator[tuple[int, Any]]:
    import orjson

    for number, raw in lines:
        if isinstance(raw, TooLong):
            yield number, raw
            return
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
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
