"""Commands about what the sources say: ``amity check`` (official counts) and ``amity disputes`` (disagreements)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from amity.cli.main import Json, Store, app, open_ledger
from amity.cli.networks import say
from amity.cli.render import Col, emit_json, short_id, source_line, table, visible

Opt = typer.Option
KnownAt = Annotated[Optional[str], Opt("--as-known-at", help="Record time: as the ledger stood at this instant (RFC 3339, or a date = 00:00 UTC).")]


@app.command()
def check(
    place: Annotated[Optional[str], typer.Argument(help="Only the counts of this place, e.g. 'Seoul'.")] = None,
    as_known_at: KnownAt = None,
    store: Store = None,
    json: Json = False,
) -> None:
    """Check every official count (CountAsserted) against the ledger as of its date; exit 1 if any does not hold.

    Example: amity check Seoul --json
    """
    from amity.cli.options import instant
    from amity.projections.counts import check_rows
    from amity.projections.reader import Reader

    rows = check_rows(Reader(open_ledger(store)), instant(as_known_at, "--as-known-at"), place=place)
    if json:
        emit_json(rows)
    elif not rows:
        typer.echo("no official counts on file (record one with CountAsserted)")
    else:
        table("official counts against the ledger", [Col("place"), Col("as of"), Col("tier"), Col("asserted"), Col("on file"),
                                                     Col("missing"), Col("source", wrap=True, limit=40)], [
            (r["place"], r["date"], r["tier"].replace("_", " "), r["asserted"], r["on_file"], f"{r['missing']:+d}" if r["missing"] else "ok",
             source_line(r["source"])) for r in rows
        ], gap=1)
        failing = [r for r in rows if not r["holds"]]
        if failing:
            say(f"{len(failing)} of {len(rows)} counts do not hold: the ledger has fewer (or more) than the sources count")
    if any(not r["holds"] for r in rows):
        raise typer.Exit(1)


@app.command()
def disputes(
    as_known_at: KnownAt = None,
    open_only: Annotated[bool, Opt("--open", help="Only disputes no resolution has decided.")] = False,
    store: Store = None,
    json: Json = False,
) -> None:
    """List every disagreement between sources: both values and both sources side by side, and how it stands.

    Example: amity disputes --as-known-at 2026-11-20
    """
    from amity.cli.options import instant
    from amity.projections.disputes import all_disputes

    rows = all_disputes(open_ledger(store), instant(as_known_at, "--as-known-at"))
    if open_only:
        rows = [r for r in rows if r["status"] == "open"]
    if json:
        emit_json(rows)
        return
    if not rows:
        typer.echo("no disputes on file")
        return
    typer.echo(visible("disputes" + (f", as known at {as_known_at}" if as_known_at else "")))
    for r in rows:
        _dispute(r)


def _dispute(r: dict) -> None:
    """One dispute as a block: the fact, then both sides (value and source) one under the other, then the decision."""
    import textwrap

    from amity.cli.render import width

    room = max(width(), 60)
    head = (f"dispute {short_id(r['id'])}, {r['status']}" + (" (target retracted)" if r["target_retracted"] else "")
            + f": {r['field']} of {r['type']} {short_id(r['target'])} of {r['date']}")
    lines = textwrap.wrap(head, room, subsequent_indent="  ") + textwrap.wrap(" – ".join(r["cities"]), room, initial_indent="  ", subsequent_indent="  ")
    for label, side in (("on file", r["original"]), ("other source", r["disputed"])):
        lines.append(f"  {label:<14}{side['value']!s}")
        lines += textwrap.wrap(source_line(side["source"]), room, initial_indent=" " * 16, subsequent_indent=" " * 16)
    res = r["resolution"]
    if res:
        text = f"  decided by {short_id(res['id'])}: {res['accepted']} accepted ({source_line(res['source'])})" + (f"; {res['note']}" if res["note"] else "")
        lines += textwrap.wrap(text, room, subsequent_indent="    ")
    typer.echo("\n".join(visible(line) for line in lines))
