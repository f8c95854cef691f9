"""Rendering a place's profile (`amity city`), one section at a time.

``RENDERERS`` maps a section of ``projections.profile.SECTIONS`` to the function that prints it; a section
added there adds its renderer here (a section without one is printed as indented JSON, never dropped).
"""

from __future__ import annotations

from typing import Any, Callable

import typer

from amity.cli.render import Col, json_for_people, source_line, table


def partnerships(rows: list[dict[str, Any]]) -> None:
    table(f"partnerships ({len(rows)})", [Col("partner", wrap=True), Col("status"), Col("tier", wrap=True), Col("since"), Col("flags", wrap=True)], [
        (r["partner"], r["status"], (r["tier"] or "").replace("_", " "), r["since"] or "",
         " ".join(f for f in ("dormant" if r["dormant"] else "", "uncertain" if r["uncertain"] else "", "disputed" if r.get("disputed") else "") if f))
        for r in rows])


def networks(rows: list[dict[str, Any]]) -> None:
    from amity.cli.networks import since_text

    table(f"networks ({len(rows)})", [Col("network", wrap=True), Col("role", wrap=True), Col("since"), Col("source", wrap=True, limit=36)], [
        (r["short"] or r["network"], ", ".join(r["roles"]) or "member", since_text(r), source_line(r["source"])) for r in rows])


def anniversaries(rows: list[dict[str, Any]]) -> None:
    table(f"coming anniversaries ({len(rows)})", [Col("on", wrap=True), Col("yrs"), Col("with", wrap=True), Col("celebrates", wrap=True)], [
        (r["on"] + ("" if r["precision"] == "day" else f" ({r['precision']} only)"), r["years"], with_whom(r), f"{r['event']} of {r['event_date']}")
        for r in rows])


def counts(rows: list[dict[str, Any]]) -> None:
    table(f"official counts ({len(rows)})", [Col("as of"), Col("tier"), Col("asserted"), Col("on file"), Col("missing"), Col("source", wrap=True, limit=36)], [
        (r["date"], r["tier"].replace("_", " "), r["asserted"], r["on_file"], f"{r['missing']:+d}" if r["missing"] else "ok", source_line(r["source"]))
        for r in rows])


def disputes(rows: list[dict[str, Any]]) -> None:
    """Values side by side; the two sources (often titled alike, cut short here) are in `amity disputes`."""
    table(f"open disputes ({len(rows)})", [Col("fact", wrap=True), Col("field"), Col("on file", wrap=True), Col("other source says", wrap=True),
                                           Col("dispute")], [
        (f"{' – '.join(r['cities'])}: {r['type']} of {r['date']}", r["field"], str(r["original"]["value"]), str(r["disputed"]["value"]), r["id"][:8])
        for r in rows])
    typer.echo("both sources of each: amity disputes")


def with_whom(row: dict[str, Any]) -> str:
    """What an anniversary row is about: a pair, a membership of a network, or a network's founding."""
    if row.get("network"):
        return f"{row['member']} in {row['network']}" if row.get("member") else f"{row['network']} (founded)"
    return " – ".join(row["cities"]) + (" (suspended)" if row.get("suspended") else "")


EMPTY = {"anniversaries": "coming anniversaries: none in the window (--days)", "counts": "official counts: none on file",
         "disputes": "open disputes: none"}
RENDERERS: dict[str, Callable[[Any], None]] = {
    "partnerships": partnerships,
    "networks": networks,
    "anniversaries": anniversaries,
    "counts": counts,
    "disputes": disputes,
}


def render_profile(doc: dict[str, Any], when: str) -> None:
    from amity.projections.profile import SECTIONS

    from amity.cli.networks import legend, say

    say(f"{doc['place']} ({doc['kind']}, {doc['place_id']}){when}")
    for name, _ in SECTIONS:
        typer.echo()
        value = doc.get(name)
        if not value:
            typer.echo(EMPTY.get(name, f"{name}: none on file"))
        elif name in RENDERERS:
            RENDERERS[name](value)
        else:
            typer.echo(f"{name}:\n{json_for_people(value)}")
    if legend(doc.get("networks") or []):
        typer.echo()
        say(legend(doc["networks"]))
