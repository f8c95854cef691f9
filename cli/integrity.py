"""Commands that prove history and set a store up: verify, digest, init."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from amity.cli.main import Json, Store, app, open_ledger
from amity.cli.render import emit_json

Opt = typer.Option


@app.command()
def verify(
    digest: Annotated[Optional[str], Opt("--digest", help="A digest printed by `amity digest` earlier.")] = None,
    position: Annotated[Optional[int], Opt("--position", min=1, help="The position that digest was taken at.")] = None,
    no_views: Annotated[bool, Opt("--no-views", help="Check only the chain, not that the views equal a rebuild.")] = False,
    store: Store = None,
    json: Json = False,
) -> None:
    """Re-check the whole store: the hash chain over every event, one to one, and that the views equal a rebuild.

    Given a digest kept earlier, also that history up to its position is unchanged. Exit 1 names the
    first bad event (or the view that differs).

    Example: amity verify --digest 9f86d08… --position 28
    """
    from amity.cli.moves import check_digest
    from amity.ledger.integrity import IntegrityFailure, Verifier

    check_digest(digest, position)
    digest = digest.lower() if digest else digest
    ledger = open_ledger(store)
    report = Verifier(ledger.recorder).run(digest, position)
    report["moves"] = ledger.recorder.moves()
    for move in report["moves"] if report["ok"] else []:  # each recorded move names a link of this very chain
        if ledger.recorder.chain_link(move["last_seq"]) != move["digest"]:
            report["ok"], report["first_bad"] = False, {"seq": move["last_seq"], "event_id": None, "partnership": None,
                                                        "reason": f"the recorded move from {move['source']} names a digest this chain does not have there: the record of moves was forged"}
            break
    foreign = ledger.recorder.foreign_objects()
    if report["ok"] and foreign:  # a trigger can drop or change rows on their way in, leaving no trace in the chain
        report["ok"], report["first_bad"] = False, {"seq": None, "event_id": None, "partnership": None,
                                                    "reason": f"the store holds {foreign[0]}, which Amity did not make: it can drop or change events as they are written"}
    if report["ok"] and not no_views:
        from amity.ledger.errors import StoreError
        from amity.projections.checks import check_views
        from amity.projections.reader import Reader

        reader = Reader(ledger)
        report["views"] = check_views(ledger, reader.view)
        if report["views"]["state"] == "behind":  # not tampering: catch up as any read command would, then compare
            try:
                reader.catch_up()
                report["views"] = check_views(ledger, reader.view)
            except StoreError as exc:
                report["views"] = {"state": "unchecked", "detail": f"they are behind and could not be caught up ({exc}); "
                                   "run verify with write access, or with --no-views to check only the chain"}
        report["ok"] = report["views"]["state"] == "match"
    if json:
        emit_json(report)
    if not report["ok"]:
        bad = report["first_bad"]
        if bad is None:
            views = report["views"]
            raise IntegrityFailure(f"verify failed: the views could not be checked: {views['detail']}" if views["state"] == "unchecked" else
                                   f"verify failed: the views are not what a rebuild makes: {views['detail']}; `amity rebuild` recomputes them from the events", report)
        where = f" at position {bad['seq']}" if bad.get("seq") else ""
        who = f", event {bad['event_id']}" if bad.get("event_id") else ""
        pair = f" ({' – '.join(bad['partnership'])})" if bad.get("partnership") else ""
        raise IntegrityFailure(f"verify failed{where}{who}{pair}: {bad['reason']}", report)
    if not json:
        views = report.get("views")
        typer.echo(f"ok: {report['events']} events, chain intact" + (f", digest at position {position} matches" if digest else "")
                   + ("; views match a rebuild" if views else "; views not checked"))
        for move in report["moves"]:
            typer.echo(f"moved in: positions {move['first_seq']}–{move['last_seq']} from {move['source']}, {move['at']} by {move['by']}")


@app.command()
def digest(store: Store = None, json: Json = False) -> None:
    """Print {"position", "digest"} of the newest event: keep it to prove later that history was not rewritten.

    Example: amity digest
    """
    from amity.ledger.integrity import digest_of

    ledger = open_ledger(store)
    emit_json(digest_of(ledger.recorder))


@app.command()
def init(
    writer: Annotated[Optional[list[str]], Opt("--writer", help="A PostgreSQL role that may read and append (repeatable).")] = None,
    store: Store = None,
    json: Json = False,
) -> None:
    """Create a ledger's store once: a SQLite file, or a PostgreSQL schema with its tables, guards and functions.

    On PostgreSQL run it as the role that is to own the schema; name each role that may record with --writer.
    Writers append only through the owner's functions and can never change or delete a stored event.

    Example: amity init --store 'postgresql://amity_owner@db:5432/diplomacy?schema=kl' --writer amity_writer
    """
    from amity.ledger.errors import BadInput
    from amity.projections.views import open_view

    ledger = open_ledger(store, "init")
    open_view(ledger, create=True)
    if writer and ledger.url.kind != "postgresql":
        raise BadInput("--writer names PostgreSQL roles; a SQLite ledger is guarded by its file's permissions")
    if writer:
        ledger.grant(writer)
    result = {"store": str(ledger.url), "writers": writer or []}
    if json:
        emit_json(result)
    else:
        typer.echo(f"ledger ready at {ledger.url}" + (f"; writers: {', '.join(writer)}" if writer else ""))
