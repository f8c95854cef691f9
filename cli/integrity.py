"""Commands that prove history: verify and digest."""

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
    store: Store = None,
    json: Json = False,
) -> None:
    """Re-check the whole store's hash chain (and, given a kept digest, that history up to it is unchanged).

    Example: amity verify --digest 9f86d08… --position 28
    """
    from amity.ledger.errors import BadInput
    from amity.ledger.integrity import IntegrityFailure, Verifier

    if (digest is None) != (position is None):
        raise BadInput("--digest and --position go together: both come from one `amity digest`")
    ledger = open_ledger(store)
    report = Verifier(ledger.recorder).run(digest, position)
    if json:
        emit_json(report)
    if not report["ok"]:
        bad = report["first_bad"]
        where = f" at position {bad['seq']}" if bad.get("seq") else ""
        who = f", event {bad['event_id']}" if bad.get("event_id") else ""
        pair = f" ({' – '.join(bad['partnership'])})" if bad.get("partnership") else ""
        raise IntegrityFailure(f"verify failed{where}{who}{pair}: {bad['reason']}", report)
    if not json:
        typer.echo(f"ok: {report['events']} events, chain intact" + (f", digest at position {position} matches" if digest else ""))


@app.command()
def digest(store: Store = None, json: Json = False) -> None:
    """Print {"position", "digest"} of the newest event: keep it to prove later that history was not rewritten.

    Example: amity digest
    """
    from amity.ledger.integrity import digest_of

    ledger = open_ledger(store)
    emit_json(digest_of(ledger.recorder))
