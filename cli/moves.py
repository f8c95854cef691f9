"""Commands and helpers that move a ledger with its proof: copy, and restoring an `export --proof`."""

from __future__ import annotations

import contextlib
import itertools
import os
from typing import Annotated, Any

import typer

from amity.cli.main import Json, app, open_ledger
from amity.cli.render import emit_json
from amity.cli.write import progress_bar

Opt = typer.Option


def restore_file(ledger: Any, reader: Any, lines: Any, name: str, total: int, digest: str | None, position: int | None, json: bool,
                 *, fresh: bool = False) -> None:
    """`import --restore`; ``fresh``: the SQLite file was made for it, and goes again if the restore is refused."""
    from amity.ledger.errors import AmityError
    from amity.ledger.restore import restore

    try:
        with progress_bar(total, "restoring") as tick:
            count = itertools.count(1)
            result = restore(ledger, lines, where=name, source=f"file {name}", projector=reader.projector(),
                             progress=lambda: tick(next(count)), digest=digest, position=position)
    except AmityError:
        if fresh and ledger.url.kind == "sqlite" and ledger.url.path != ":memory:":
            ledger.close()
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.remove(ledger.url.path + suffix)
        raise
    reader.catch_up()
    if json:
        emit_json(result)
    else:
        typer.echo(f"restored {result['restored']} events; chain verified; digest at position {result['position']}: {result['digest']}")


def check_digest(digest: str | None, position: int | None, *, needs: bool = True, flag: str = "") -> None:
    """--digest and --position: both or neither, a digest of 64 hex digits."""
    from amity.ledger.errors import BadInput

    if (digest is None) != (position is None):
        raise BadInput("--digest and --position go together: both come from one `amity digest`")
    if digest is not None and not needs:
        raise BadInput(f"--digest goes with {flag}")
    if digest is not None and (len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest.lower())):
        raise BadInput(f"--digest {digest[:80]!r} is not a digest: `amity digest` prints 64 hexadecimal digits")


@app.command()
def copy(
    source: Annotated[str, Opt("--from", help="The store to copy from (file path, sqlite:///path or postgresql://…).")],
    target: Annotated[str, Opt("--to", help="The store to copy to: an empty ledger (on PostgreSQL, as its owner).")],
    json: Json = False,
) -> None:
    """Copy a whole ledger to another store with its proof: ids, record times, custody and every link kept, the move recorded.

    Example: amity copy --from amity.db --to 'postgresql://amity@db.example:5432/ledgers?schema=kl'
    """
    import orjson

    from amity.ledger.errors import StoreError
    from amity.projections.reader import Reader

    from amity.ledger.restore import restore

    src, dst = open_ledger(source), open_ledger(target, "write")
    total = src.recorder.max_notification_id() or 0
    values = ((n, orjson.loads(line)) for n, line in enumerate(src.export_lines(proof=True), start=1))
    with progress_bar(total, "copying") as tick:
        count = itertools.count(1)
        moved = restore(dst, values, where=f"copy from {src.url}", source=str(src.url), projector=Reader(dst).projector(),
                        progress=lambda: tick(next(count)), earlier_moves=src.recorder.moves())
    lines = 0
    for lines, (a, b) in enumerate(itertools.zip_longest(src.export_lines(), dst.export_lines()), start=1):
        if a != b:
            raise StoreError(f"copy verification failed: line {lines} of {dst.url}'s export differs from {src.url}'s; was the target empty?")
    Reader(dst).catch_up()
    result = {"copied": moved["restored"], "verified": True, "position": moved["position"], "digest": moved["digest"]}
    if json:
        emit_json(result)
    else:
        typer.echo(f"copied {moved['restored']} events with their custody and links; both stores export the same {lines} lines; "
                   f"digest at position {moved['position']}: {moved['digest']}")
