"""``amity import``: a JSON Lines input, all or nothing by default, or the consistent rest with ``--reject-file``."""

from __future__ import annotations

import itertools
import sys
from typing import Annotated, Optional

import typer

from amity.cli.main import Json, Store, app, open_ledger
from amity.cli.problems import report
from amity.cli.render import emit_json
from amity.cli.write import progress_bar

Opt = typer.Option


@app.command(name="import")
def import_(
    file: Annotated[str, typer.Argument(help="A JSON Lines file, - for stdin, or any readable path (/dev/stdin, a FIFO, <(…)).")],
    dry_run: Annotated[bool, Opt("--dry-run", help="Check everything, write nothing.")] = False,
    reject_file: Annotated[Optional[str], Opt("--reject-file", help="Import the consistent lines and write the refused ones, with their reasons, to this JSON Lines file.")] = None,
    restore: Annotated[bool, Opt("--restore", help="Restore an `export --proof` into an empty ledger, keeping record times and custody once its chain verifies.")] = False,
    digest: Annotated[Optional[str], Opt("--digest", help="With --restore: a digest kept earlier; the export must pass through it.")] = None,
    position: Annotated[Optional[int], Opt("--position", min=1, help="With --digest: the position it was taken at.")] = None,
    store: Store = None,
    json: Json = False,
) -> None:
    """Append many events from a JSON Lines input, all or nothing (the views are updated in the same transaction).

    The input is read once, streaming. With --reject-file, lines that are refused (each with its reason)
    go to that file and the rest goes in. Record times are the ledger's own; only --restore keeps those
    of a verified `export --proof`.

    Example: amity import data/seeds.jsonl
    """
    from amity.ledger.errors import BadInput, ImportProblems
    from amity.ledger.jsonlines import count_lines, decoded, open_input, raw_lines
    from amity.projections.reader import Reader

    from amity.cli.moves import check_digest

    name = "<stdin>" if file == "-" else file
    check_digest(digest, position, needs=restore, flag="--restore")
    if restore and (reject_file or dry_run):
        raise BadInput("--restore is all or nothing: it takes neither --reject-file nor --dry-run")
    fh = open_input(file)
    if reject_file:
        import os

        if file != "-" and os.path.exists(reject_file) and os.path.samefile(file, reject_file):
            raise BadInput(f"--reject-file {reject_file} is the input itself: name another file")
        try:
            open(reject_file, "ab").close()  # can it be written? (checked before anything is stored; emptied at the end)
        except OSError as exc:
            raise BadInput(f"cannot write {reject_file}: {exc.strerror}") from None
    from amity.ledger.storeurl import StoreURL

    fresh = not StoreURL.parse(store).exists()  # a restore that fails leaves no empty ledger behind
    ledger = open_ledger(store, "write")
    reader = Reader(ledger)
    total = count_lines(file) if sys.stderr.isatty() else None  # only a regular file can be read twice
    if restore:
        from amity.cli.moves import restore_file

        return restore_file(ledger, reader, decoded(raw_lines(fh)), name, total or 0, digest, position, json, fresh=fresh)
    rejected: list = []
    with progress_bar(total or 0, "importing") as tick:
        count = itertools.count(1)
        ticks = lambda: tick(next(count))  # noqa: E731
        try:
            if reject_file:
                from amity.ledger.rejects import import_rejecting, write_rejects

                summary, rejected = import_rejecting(ledger, fh, where=name, dry_run=dry_run, projector=reader.projector, progress=ticks)
                write_rejects(reject_file, name, rejected)
            else:
                summary = ledger.import_events(decoded(raw_lines(fh)), dry_run=dry_run, where=name, projector=reader.projector(), progress=ticks)
        except ImportProblems as exc:
            report(exc, json)
    if summary.imported and not dry_run:
        reader.catch_up()  # a no-op unless the views were behind before the import
    result = summary.as_dict() | ({"dry_run": True} if dry_run else {})
    if reject_file:
        result |= {"rejected": len(rejected), "reject_file": reject_file}
    if json:
        emit_json(result)
        return
    verb = "would import" if dry_run else "imported"
    refused = f", refused {len(rejected)} (written to {reject_file} with their reasons)" if reject_file else ""
    retimed = f"; {summary.retimed} lines' recorded_at replaced by now (only `import --restore` keeps them)" if summary.retimed else ""
    n = len(summary.corroborated)
    same = f"; {n} {'corroborates a fact' if n == 1 else 'corroborate facts'} from another source (kept, counted once)" if n else ""
    typer.echo(f"{verb} {summary.imported}, skipped {summary.skipped} already on file{refused}{retimed}{same}")

