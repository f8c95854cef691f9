"""Commands that answer questions from the views: status, audit, rebuild."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from amity.cli.main import Json, Store, app, open_ledger
from amity.cli.render import Col, emit_csv, emit_json, emit_json_array, short_id, source_line, table

Opt = typer.Option
FLAGS = {(d, u, x): " ".join(f for f, on in (("dormant", d), ("uncertain", u), ("disputed", x)) if on)
         for d in (False, True) for u in (False, True) for x in (False, True)}  # a row's flags column
STATUS_FIELDS = ["cities", "status", "tier", "since", "established", "implied_agreement", "last_activity", "dormant", "uncertain", "events", "disputed"]


@app.command()
def status(
    place: Annotated[Optional[str], typer.Argument(help="Only partnerships of this place, e.g. 'Seoul'.")] = None,
    as_of: Annotated[Optional[str], Opt("--as-of", help="Valid time: the state of the world on this day (YYYY-MM-DD; YYYY or YYYY-MM means its last day), by everything known now.")] = None,
    as_known_at: Annotated[Optional[str], Opt("--as-known-at", help="Record time: what the ledger said at this instant (RFC 3339, or a date = 00:00 UTC).")] = None,
    country: Annotated[Optional[str], Opt("--country", help="Only partnerships with a place in this country (ISO code).")] = None,
    status_: Annotated[Optional[str], Opt("--status", help="Only this status: none, proposed, approved, intent, active, suspended, terminated.")] = None,
    tier: Annotated[Optional[str], Opt("--tier", help="Only this tier: cooperation, friendship, sister, twin or business_partner.")] = None,
    dormant_years: Annotated[int, Opt("--dormant-years", min=1, help="Flag ties with no activity for this many years.")] = 5,
    as_csv: Annotated[bool, Opt("--csv", help="Print CSV for spreadsheets.")] = False,
    store: Store = None,
    json: Json = False,
) -> None:
    """One row per partnership: status, tier, since, established, last activity, dormant, uncertain.

    Example: amity status Seoul --as-of 2000-01-01
    """
    from amity.cli.options import choose, day_option, instant
    from amity.projections.reader import Reader
    from amity.projections.statusrows import collector_paused

    known = instant(as_known_at, "--as-known-at")
    choose("--status", status_)
    choose("--tier", tier)
    day = day_option(as_of, "--as-of", end=True) if as_of else None
    reader = Reader(open_ledger(store))
    with collector_paused():
        _print_status(reader.status_rows(place=place, as_of=day, as_known_at=known, country=country, status=status_, tier=tier,
                                         dormant_years=dormant_years), day, as_known_at, json, as_csv)


def _print_status(rows: list, day: Any, as_known_at: str | None, json: bool, as_csv: bool) -> None:
    """Status rows (``statusrows.StatusRow``) as JSON (written a chunk at a time), CSV or a table."""
    if json:
        from amity.projections.statusrows import as_dict

        emit_json_array(map(as_dict, rows))
    elif as_csv:
        emit_csv(["city_a", "city_b", *STATUS_FIELDS[1:]], ([*r.cities, *r[1:10], r.disputed] for r in rows))
    else:
        title = "status" + (f" as of {day}" if day else "") + (f", as known at {as_known_at}" if as_known_at else "")
        table(title, [Col("partnership", wrap=True, limit=120), Col("status"), Col("tier", wrap=True), Col("since"), Col("est."), Col("last"), Col("flags", wrap=True)], [
            (" – ".join(r.cities), r.status, (r.tier or "").replace("_", " "), r.since, r.established or ("implied" if r.implied_agreement else ""),
             r.last_activity, FLAGS[r.dormant, r.uncertain, r.disputed])
            for r in rows
        ], gap=1)


@app.command()
def audit(
    by: Annotated[Optional[str], Opt("--by", help="Only events recorded by WHO.")] = None,
    since: Annotated[Optional[str], Opt("--since", help="Recorded at or after this instant (RFC 3339 or a date).")] = None,
    until: Annotated[Optional[str], Opt("--until", help="Recorded at or before this instant.")] = None,
    as_csv: Annotated[bool, Opt("--csv", help="Print CSV for spreadsheets (full instants; the last row's recorded_at suits --as-known-at).")] = False,
    store: Store = None,
    json: Json = False,
) -> None:
    """Events in record order: who recorded what, when, where it was stored, citing what, and what each correction changed.

    Example: amity audit --by desk@seoul --since 2026-11-01
    """
    from amity.cli.options import instant
    from amity.projections.audit import audit_rows, what_of

    after, before = instant(since, "--since"), instant(until, "--until")
    ledger = open_ledger(store)  # keep a reference: the pool closes when the ledger is collected
    rows = audit_rows(ledger.recorder, by, after, before)
    if json:
        emit_json(rows)
        return
    if as_csv:
        emit_csv(["recorded_at", "recorded_by", "stored_at", "stored_by", "type", "city_a", "city_b", "date", "id", "what", "source_title", "source_publisher"], [
            (r["recorded_at"], r["recorded_by"], r["stored_at"], r["stored_by"], r["type"], *(r["cities"] or [r.get("place") or r.get("network"), r.get("member")]),
             r["date"], r["id"], what_of(r), (r["source"] or {}).get("title"), (r["source"] or {}).get("publisher")) for r in rows])
        return
    table("audit", [Col("recorded", wrap=True), Col("type"), Col("id"), Col("about", wrap=True, limit=120), Col("what / source", wrap=True, limit=48)], [
        (f"{r['recorded_at'][:16].replace('T', ' ')} {r['recorded_by']}" + (" !" if r["recorded_far_from_stored"] else ""), r["type"], short_id(r["id"]),
         ", ".join(x for x in (" – ".join(r["cities"] or []) or _network_of(r) or r.get("place"), r["date"]) if x), what_of(r) or source_line(r["source"]))
        for r in rows
    ], gap=1)
    if any(r["recorded_far_from_stored"] for r in rows):
        typer.echo("!: recorded_at is far from stored_at (set by hand, or by a clock that was wrong): check its source", err=True)


def _network_of(row: dict) -> str | None:
    """What an audit row of a network's fact is about: the member in the network, or the network."""
    return f"{row['member']} in {row['network']}" if row.get("member") else row.get("network")


@app.command()
def rebuild(store: Store = None, json: Json = False) -> None:
    """Drop every view and rebuild it from the first event.

    Example: amity rebuild
    """
    import time

    from amity.cli.write import progress_bar
    from amity.projections.reader import Reader

    reader = Reader(open_ledger(store))
    total = reader.ledger.recorder.max_notification_id() or 0
    started = time.perf_counter()
    with progress_bar(total, "rebuilding") as tick:
        n = reader.rebuild(lambda done, top: tick(done))
    seconds = time.perf_counter() - started
    result = {"events": n, "seconds": round(seconds, 3), "events_per_second": round(n / seconds) if seconds else None}
    if json:
        emit_json(result)
    else:
        typer.echo(f"rebuilt views from {n} events in {seconds:.2f} s")


@app.command()
def anniversaries(
    year: Annotated[Optional[int], Opt("--year", help="All anniversaries falling in this year.")] = None,
    from_: Annotated[Optional[str], Opt("--from", help="Start of the window (YYYY-MM-DD, default today; YYYY or YYYY-MM means its first day).")] = None,
    days: Annotated[int, Opt("--days", min=1, help="Length of the window in days.")] = 90,
    milestones: Annotated[Optional[str], Opt("--milestones", help="Years to celebrate, e.g. 5,10,25 (default 1,5,10,15,20,25,30,40,50,60,70,75,80,90,100).")] = None,
    ics: Annotated[Optional[str], Opt("--ics", help="Also write the anniversaries as an iCalendar file.")] = None,
    include_all: Annotated[bool, Opt("--all", help="Include partnerships that are terminated now.")] = False,
    as_csv: Annotated[bool, Opt("--csv", help="Print CSV for spreadsheets.")] = False,
    store: Store = None,
    json: Json = False,
) -> None:
    """Anniversaries of proclamations, MoUs, elevations, restorations, network foundings and joinings, at the precision of their dates.

    Example: amity anniversaries --year 2025 --ics anniversaries.ics
    """
    from amity.ledger.app import today
    from amity.ledger.errors import BadInput
    from amity.projections import anniversaries as ann
    from amity.projections.reader import Reader
    from amity.cli.options import day_option
    from amity.cli.sections import with_whom

    if year is not None and from_ is not None:
        raise BadInput("use either --year or --from/--days, not both")
    if year is not None and not 1 <= year <= 9999:
        raise BadInput(f"--year {year}: use a year such as 2025")
    start, end = ann.year_window(year) if year is not None else ann.day_window(day_option(from_, "--from", end=False) if from_ else today(), days)
    reader = Reader(open_ledger(store))
    rows = reader.anniversaries(start, end, ann.parse_milestones(milestones), include_all, networks=True)
    if ics:
        from pathlib import Path

        from amity.projections.calendar import to_ics

        try:
            Path(ics).write_bytes(to_ics(rows, reader.revisions(sorted({r["event_id"] for r in rows}))))
        except OSError as exc:
            raise BadInput(f"cannot write {ics}: {exc.strerror}") from None
    if json:
        emit_json(rows)
    elif as_csv:
        emit_csv(["on", "precision", "years", "city_a", "city_b", "suspended", "event", "event_date", "event_id", "source_title", "source_publisher", "network"], [
            (r["on"], r["precision"], r["years"], *(r["cities"] + [None, None])[:2], r["suspended"], r["event"], r["event_date"], r["event_id"],
             r["source"].get("title"), r["source"].get("publisher"), r.get("network")) for r in rows])
    else:
        table(f"anniversaries {start} – {end}", [Col("on", wrap=True), Col("yrs"), Col("partnership", wrap=True, limit=120), Col("celebrates", wrap=True),
                                                  Col("source", wrap=True, limit=40)], [
            (r["on"] + ("" if r["precision"] == "day" else f" ({r['precision']} only)"), r["years"],
             with_whom(r), f"{r['event']} of {r['event_date']}", source_line(r["source"]))
            for r in rows
        ])
    if ics:
        typer.echo(f"wrote {len(rows)} events to {ics}", err=True)
