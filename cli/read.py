"""Commands that read: export, history, show, places, status."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from amity.cli.main import Json, Store, app, open_ledger
from amity.cli.render import Col, emit_csv, emit_json, short_id, source_line, table, visible

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
    as_csv: Annotated[bool, Opt("--csv", help="Print CSV for spreadsheets.")] = False,
    store: Store = None,
    json: Json = False,
) -> None:
    """Show a partnership's events in valid-time order.

    Example: amity history Seoul Tashkent
    """
    from amity.projections.history import history_rows
    from amity.projections.onfile import prefer_ledger

    ledger = open_ledger(store)
    gaz = prefer_ledger(ledger)
    stream_id, names = ledger.pair(place_a, place_b)
    names = tuple(sorted(gaz.resolve_stored(n).label for n in names))
    records = ledger.stream(stream_id)
    if as_known_at:
        from amity.cli.options import instant
        from amity.projections.timing import known_at

        records = known_at(records, instant(as_known_at, "--as-known-at"))
    rows = history_rows(records)
    if json:
        emit_json({"cities": list(names), "events": rows})
        return
    if not rows and not as_csv:
        typer.echo(visible(f"nothing on file for {names[0]} – {names[1]}"))
        return
    if as_csv:
        emit_csv(["date", "type", "corrected", "retracted", "details", "source_title", "source_publisher", "recorded_at", "recorded_by", "id"], [
            (r["date"], r["type"], bool(r["corrected"]), bool(r["retracted"]), _details(r), (r["source"] or {}).get("title"),
             (r["source"] or {}).get("publisher"), r["recorded_at"], r["recorded_by"], r["id"]) for r in rows])
        return
    table(f"{names[0]} – {names[1]}", [Col("date"), Col("type"), Col("details", wrap=True), Col("source", wrap=True, limit=40), Col("id")], [
        (r["date"], r["type"], ("retracted; " if r["retracted"] else "corrected; " if r["corrected"] else "") + ("disputed; " if r.get("disputed") else "")
         + (f"{len(r['sources'])} sources; " if r.get("corroborated_by") else "") + _details(r), source_line(r["source"]), short_id(r["id"]))
        for r in rows
    ])


def _details(row: dict) -> str:
    """key=value, ids cut to the 8 digits `amity show` takes, lists as 'a; b', and a reply's answer before the id it answers."""
    items = sorted((kv for kv in row["details"].items() if kv[0] not in ("people", "note")), key=lambda kv: kv[0] == "invitation")
    return ", ".join(f"{k}={_value(k, v)}" for k, v in items)


def _value(key: str, value: object) -> str:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return short_id(value) if key in ("invitation", "target", "visit") and isinstance(value, str) and len(value) == 36 else str(value)


@app.command()
def show(
    event_id: Annotated[str, typer.Argument(metavar="ID", help="An event id, or its first characters (at least 4) if no other id starts with them, as `amity history` and `amity audit` print them.")],
    store: Store = None,
    json: Json = False,
) -> None:
    """Show one event with its corrections, retraction and audit fields.

    Example: amity show 3f2a9c1e
    """
    from amity.events.wire import to_wire
    from amity.ledger import amendments

    ledger = open_ledger(store)
    event_id = ledger.resolve_id(event_id)
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
    from amity.cli.render import json_for_people

    typer.echo(json_for_people(doc))


@app.command()
def places(
    query: Annotated[Optional[str], typer.Argument(help="A place name, e.g. 'Teheran', 'Nagasaki, JP' or 'Valencia'.")] = None,
    store: Store = None,
    json: Json = False,
) -> None:
    """Show how place names resolve: the place meant, its region, id and aliases, and the others it could be.

    Example: amity places Nagasaki
    """
    from amity.ledger.errors import AmbiguousPlace, UnknownPlace
    from amity.projections.onfile import prefer_ledger

    from amity.ledger.gazetteer import Gazetteer
    from amity.ledger.storeurl import StoreURL

    gaz = prefer_ledger(open_ledger(store)) if StoreURL.parse(store).exists() else Gazetteer()  # no ledger yet: the gazetteer alone
    note, also = None, []
    if query:
        try:
            found = [gaz.resolve(query)]
            also = [p for p in gaz.candidates(query) if p.id != found[0].id]
        except (AmbiguousPlace, UnknownPlace) as exc:
            note, found = str(exc), gaz.candidates(query) or gaz.search(query.split(",")[0])
    else:
        found = [gaz.get(pid) for pid in gaz.registry]
    rows = [{"query": query, "canonical": p.canonical, "display": p.label, "name": p.name, "country": p.country,
             "region": p.region, "kind": p.kind, "id": p.id, "aliases": sorted(gaz.aliases_seen.get(p.id, ())),
             "also": [{"canonical": a.canonical, "id": a.id} for a in also] if not note else []} for p in found]
    if json:
        emit_json({"places": rows, "note": note} if note else {"places": rows})
        return
    if note:
        typer.echo(visible(note), err=True)
    table(None, [Col("place", wrap=True), Col("region", wrap=True), Col("kind"), Col("id"), Col("aliases", wrap=True)],
          [(r["display"], r["region"] or "", r["kind"], r["id"], ", ".join(r["aliases"])) for r in rows])
    if also:
        typer.echo(visible("also: " + "; ".join(f"{a.label} ({a.id})" for a in also)))
