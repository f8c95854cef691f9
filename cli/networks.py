"""Commands about networks and places: networks, network, city."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from amity.cli.main import Json, Store, app, open_ledger
from amity.cli.render import Col, emit_json, source_line, table, visible, width

Opt = typer.Option
AsOf = Annotated[Optional[str], Opt("--as-of", help="Valid time: on this day (YYYY-MM-DD; YYYY or YYYY-MM means its last day), by everything known now.")]
AsKnownAt = Annotated[Optional[str], Opt("--as-known-at", help="Record time: what the ledger said at this instant (RFC 3339, or a date = 00:00 UTC).")]


def _day(as_of: str | None):
    from amity.cli.options import day_option
    from amity.ledger.app import today

    return day_option(as_of, "--as-of", end=True) if as_of else today()


def _when(as_of: str | None, as_known_at: str | None) -> str:
    return (f" as of {_day(as_of)}" if as_of else "") + (f", as known at {as_known_at}" if as_known_at else "")




def legend(rows: list[dict[str, Any]]) -> str | None:
    """The legend of the marks ``since_text`` put in ``rows`` (only those used), or None if it put none."""
    parts = [("by D: listed on D, joined by then at the latest", any(r.get("listed") for r in rows)),
             ("?: D may be after the day asked", any(r.get("uncertain") for r in rows))]
    return "; ".join(text for text, used in parts if used) or None


def say(text: str) -> None:
    """Free text (recorded names among it) wrapped to the table width, escaped like a table's cells."""
    import textwrap

    typer.echo(textwrap.fill(visible(text), width(), break_long_words=False, break_on_hyphens=False))


def since_text(row: dict[str, Any]) -> str:
    """'2006', or 'by 2025' for a member only listed then (it joined by that date at the latest); '?' if uncertain."""
    text = f"by {row['since']}" if row["listed"] else row["since"]
    return text + (" ?" if row.get("uncertain") else "")


def _instant(as_known_at: str | None):
    from amity.cli.options import instant

    return instant(as_known_at)


def _readers(store: str | None):
    from amity.projections.networkreader import NetworkReader
    from amity.projections.reader import Reader

    reader = Reader(open_ledger(store))
    return reader, NetworkReader(reader)


@app.command()
def networks(as_of: AsOf = None, as_known_at: AsKnownAt = None, store: Store = None, json: Json = False) -> None:
    """One row per network: name, short name, members (how many on the day), secretariat, founded.

    Example: amity networks --as-of 2010-01-01
    """
    _, net = _readers(store)
    rows = net.networks(_day(as_of), _instant(as_known_at))
    if json:
        emit_json(rows)
        return
    table("networks" + _when(as_of, as_known_at), [Col("short"), Col("network", wrap=True), Col("members"), Col("secretariat", wrap=True),
                                                  Col("founded"), Col("scope", wrap=True)],
          [(r["short"] or "", r["network"], r["members"], r["secretariat"] or "", r["founded"] or "", r["scope"] or "") for r in rows])


@app.command()
def network(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The network's full or short name, e.g. 'C40'.")],
    as_of: AsOf = None,
    as_known_at: AsKnownAt = None,
    store: Store = None,
    json: Json = False,
) -> None:
    """A network on the day: its members (joined, or listed by a date), roles and meetings.

    Example: amity network C40 --as-of 2025-12-31
    """
    _, net = _readers(store)
    doc = net.network(name, _day(as_of), _instant(as_known_at))
    if json:
        emit_json(doc)
        return
    about = [f"{k.replace('_', ' ')}: {doc[k]}" for k in ("short", "founded", "secretariat", "regional_office", "scope", "url") if doc.get(k)]
    say(doc["network"] + _when(as_of, as_known_at))
    if about:
        say("; ".join(about))
    typer.echo()
    if not doc["members"]:
        typer.echo("no members on file" + (" by then" if as_of or as_known_at else ""))
    else:
        table(f"members ({len(doc['members'])})", [Col("member", wrap=True), Col("since"), Col("roles", wrap=True), Col("source", wrap=True, limit=40)],
              [(m["member"], since_text(m), ", ".join(m["roles"]), source_line(m["source"])) for m in doc["members"]])
    if doc["left"]:
        typer.echo()
        table("left", [Col("member", wrap=True), Col("left"), Col("reason", wrap=True)], [(m["member"], m["left"], m["reason"] or "") for m in doc["left"]])
    if doc["roles"]:
        typer.echo()
        table("roles", [Col("member", wrap=True), Col("role", wrap=True), Col("since"), Col("until")],
              [(r["member"], r["role"], r["since"], r["until"] or "") for r in doc["roles"]])
    if doc["meetings"]:
        typer.echo()
        table("meetings", [Col("date"), Col("meeting", wrap=True), Col("host", wrap=True), Col("topic", wrap=True)],
              [(m["date"], m["meeting"] or "", m["host"] or "", m["topic"] or "") for m in doc["meetings"]])
    if legend(doc["members"]):
        typer.echo()
        say(legend(doc["members"]))


@app.command()
def city(
    place: Annotated[str, typer.Argument(metavar="PLACE", help="A place or party, e.g. 'Kuala Lumpur'.")],
    as_of: AsOf = None,
    as_known_at: AsKnownAt = None,
    days: Annotated[int, Opt("--days", min=1, help="Coming anniversaries within this many days of the day asked about.")] = 365,
    store: Store = None,
    json: Json = False,
) -> None:
    """A place's profile: partnerships (status, tier, since), networks (role, since), coming anniversaries.

    Example: amity city "Kuala Lumpur" --as-of 2000-01-01
    """
    from amity.projections.profile import profile

    reader, _ = _readers(store)
    doc = profile(reader, place, _day(as_of), _instant(as_known_at), days)
    if json:
        emit_json(doc)
        return
    from amity.cli.sections import render_profile

    render_profile(doc, _when(as_of, as_known_at))
