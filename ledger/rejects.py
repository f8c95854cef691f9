"""``amity import --reject-file``: the lines that contradict the rest are set aside, the consistent rest goes in.

The input is read once, into a spool (a temporary file: memory stays bounded), then imported from the
spool; each attempt is one transaction that is rolled back when it finds problems. The lines it names
are set aside and the rest is tried again, until an attempt has no problem left (a line that
depended on a refused one, such as a correction of it, is refused in a later attempt, with its own
reason). Nothing is kept until the last attempt commits. A problem that belongs to no line, or a line
over the size limit (nothing after it was read), refuses the whole input as without ``--reject-file``.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import Any, BinaryIO, Callable, Iterator

import orjson

from amity.ledger.errors import BadInput, ImportProblems
from amity.ledger.jsonlines import TooLong, decoded, raw_lines


@dataclass
class Rejected:
    line: int
    reason: str
    text: str


class Spool:
    """An input's lines, copied once to a temporary file as they are read, for reading again."""

    def __init__(self, fh: BinaryIO) -> None:
        self.file = tempfile.TemporaryFile(prefix="amity-import-")
        self.fatal: tuple[int, TooLong] | None = None
        for number, raw in raw_lines(fh):
            if isinstance(raw, TooLong):
                self.fatal = (number, raw)
                break
            self.file.write(raw)
        self.file.flush()

    def lines(self, skip: set[int]) -> Iterator[tuple[int, Any]]:
        self.file.seek(0)
        for number, value in decoded(raw_lines(_Unclosed(self.file))):
            if number not in skip:
                yield number, value
        if self.fatal:
            yield self.fatal

    def texts(self, numbers: set[int]) -> dict[int, str]:
        self.file.seek(0)
        return {n: raw.decode("utf-8", "replace").rstrip("\r\n") for n, raw in raw_lines(_Unclosed(self.file)) if n in numbers}  # type: ignore[union-attr]


class _Unclosed:
    """A file whose reading does not close it (``raw_lines`` closes what it reads)."""

    def __init__(self, fh: BinaryIO) -> None:
        self.read, self.fh = fh.read, fh

    def __enter__(self) -> _Unclosed:
        return self

    def __exit__(self, *exc: Any) -> None:
        pass


def import_rejecting(ledger: Any, fh: BinaryIO, *, where: str, dry_run: bool, projector: Callable[[], Any], progress: Any) -> tuple[Any, list[Rejected]]:
    """Import what is consistent, set aside the rest: (summary, the refused lines with their reasons, in line order)."""
    spool = Spool(fh)
    refused: dict[int, str] = {}
    while True:
        try:
            summary = ledger.import_events(spool.lines(set(refused)), dry_run=dry_run, where=where, projector=projector(), progress=progress)
            break
        except ImportProblems as exc:
            progress = None
            new = {p.line: p.reason for p in exc.problems if p.line and p.line not in refused}
            if not new or any(p.line is None or isinstance(p.error, TooLong) for p in exc.problems):
                raise
            refused.update(new)
    texts = spool.texts(set(refused))
    return summary, [Rejected(n, refused[n], texts.get(n, "")) for n in sorted(refused)]


def write_rejects(path: str, where: str, rejected: list[Rejected]) -> None:
    """The refused lines as JSON Lines: {"file", "line", "reason", "text"} (``text``: the line as it was)."""
    try:
        with open(path, "wb") as out:
            for r in rejected:
                out.write(orjson.dumps({"file": where, "line": r.line, "reason": r.reason, "text": r.text}) + b"\n")
    except OSError as exc:
        raise BadInput(f"cannot write {path}: {exc.strerror}") from None
