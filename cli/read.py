"""Commands that read: export, history, show, places, status."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from amity.cli.main import Json, Store, app, open_ledger
from amity.cli.render import emit_json, source_line, table

Opt = typer.Option


@app.command()
def export(
    proof: Annotated[bool, Opt("--proof", help="Write each event as stored, with its custody and hash-chain link (for `import --restore`).")] = False,
    store: Store = None,
) -> None:
    """Write every event as JSON Lines, in record order.

    Example: amity export --proof > backup.jsonl
    """
    out = sys.stdout.buffer
    for line in open_ledger(store).export_lines(proof):
        out.write(line)
    out.flush()


@app.command()
def history(
    place_a: Annotated[str, typer.Argument(metavar="A", help="One place, e.g. 'Seoul, KR'.")],
    place_b: Annotated[str, typer.Argument(metavar="B", help="The other place.")],
    as_known_at: Annotated[Optional[str], Opt("--as-known-at", help="Only what was recorded by this instant (RFC 3339 or a date).")] = None,
    store: Store = None,
    json: Json = False,
) -> None:
    """Show a partnership's events in valid-time order.

    Example: amity history Seoul Tashkent
    """
    from amity.projections.history import history_rows

    ledger = open_ledger(store)
    stream_id, names = ledger.pair(place_a, place_b)
    records = ledger.stream(stream_id)
    if as_known_at:
        from amity.projections.timing import known_at

        records = known_at(records, as_known_at)
    rows = history_rows(records)
    if json:
        emit_json({"cities": list(names), "events": rows})
        return
    if not rows:
        typer.echo(f"nothing on file for {names[0]} – {names[1]}")
        return
    table(f"{names[0]} – {names[1]}", ["date", "type", "details", "recorded", "source", "id"], [
        (r["date"], r["type"] + (" (retracted)" if r["retracted"] else " (corrected)" if r["corrected"] else ""),
         ", ".join(f"{k}={v}" for k, v in r["details"].items() if k not in ("people", "note")),
         f"{r['recorded_at'][:10]} {r['recorded_by']}", source_line(r["source"]), r["id"][:8])
        for r in rows
    ])


@app.command()
def show(
    event_id: Annotated[str, typer.Argument(metavar="ID", help="An event id (see `amity audit` or `amity history --json`).")],
    store: Store = None,
    json: Json = False,
) -> None:
    """Show one event with its corrections, retraction and audit fields.

    Example: amity show 3f2a9c1e-…
    """
    from amity.events.wire import to_wire
    from amity.ledger import amendments

    ledger = open_ledger(store)
    row, records = ledger.locate(event_id)
    fact = amendments.find(records, event_id)
    amended = next((a for a in amendments.amend(records) if str(a.original.id) == event_id), None)
    doc = {
        "event": to_wire(fact),
        "stored_at": row["stored_at"], "stored_by": row["stored_by"], "position": row["position"],
        "current": to_wire(amended.current) if amended else None,
        "corrections": [to_wire(c) for c in amended.corrections] if amended else [],
        "retraction": to_wire(amended.retraction) if amended and amended.retraction else None,
    }
    if json:
        emit_json(doc)
        return
    import orjson

    typer.echo(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode())


@app.command()
def places(
    query: Annotated[Optional[str], typer.Argument(help="A place name, e.g. 'Teheran' or 'Valencia'.")] = None,
    store: Store = None,
    json: Json = False,
) -> None:
    """Show how place names resolve: canonical name, country, gazetteer id, aliases seen.

    Example: amity places Esfahan
    """
    from amity.ledger.errors import AmbiguousPlace, UnknownPlace

    from amity.ledger.gazetteer import Gazetteer
    from amity.ledger.storeurl import StoreURL

    ledger = open_ledger(store) if StoreURL.parse(store).exists() else None  # no ledger yet: the gazetteer alone
    gaz = ledger.gazetteer if ledger is not None else Gazetteer()
    note = None
    if query:
        try:
            found = [gaz.resolve(query)]
        except (AmbiguousPlace, UnknownPlace) as exc:
            note, found = str(exc), gaz.search(query.split(",")[0])
    else:
        found = list(gaz.registry.values())
    rows = [{"query": query, "canonical": p.canonical, "name": p.name, "country": p.country, "region": p.region,
             "kind": p.kind, "id": p.id, "aliases": sorted(gaz.aliases_seen.get(p.id, ()))} for p in found]
    if json:
        emit_json({"places": rows, "note": note} if note else {"places": rows})
        return
    if note:
        typer.echo(note, err=True)
    table(None, ["canonical", "kind", "id", "aliases"], [(r["canonical"], r["kind"], r["id"], ", ".join(r["aliases"])) for r in rows])
