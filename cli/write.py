"""Commands that append: record, correct, retract, copy (``amity import`` is in ``importing``)."""

from __future__ import annotations

import itertools
import sys
from contextlib import contextmanager
from typing import Annotated, Any, Callable, Iterator, Optional

import typer

from amity.cli.main import Json, Store, app, open_ledger
from amity.cli.render import emit_json

Opt = typer.Option


def _source(title: str | None, publisher: str | None, url: str | None, quote: str | None) -> dict[str, Any]:
    from amity.ledger.errors import BadInput

    if not title:
        raise BadInput("every fact needs a source: add --source-title (and --source-publisher, --source-url, --source-quote)")
    return {k: v for k, v in {"title": title, "publisher": publisher, "url": url, "quote": quote}.items() if v}


def _person(text: str) -> dict[str, str]:
    name, role, city = (text.split("|") + ["", ""])[:3]
    return {k: v.strip() for k, v in {"name": name, "role": role, "city": city}.items() if v.strip()}


@app.command()
def record(
    type_: Annotated[str, typer.Argument(metavar="TYPE", help="Event type, e.g. MoUSigned, RelationshipElevated, VisitStarted.")],
    cities: Annotated[Optional[tuple[str, str]], Opt("--cities", help="The two places, e.g. --cities 'Seoul, KR' 'Tashkent, UZ'.")] = None,
    date: Annotated[Optional[str], Opt("--date", help="Valid time: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    source_title: Annotated[Optional[str], Opt("--source-title", help="Title of the source document (required).")] = None,
    source_publisher: Annotated[Optional[str], Opt("--source-publisher")] = None,
    source_url: Annotated[Optional[str], Opt("--source-url")] = None,
    source_quote: Annotated[Optional[str], Opt("--source-quote", help="A short passage that states the fact.")] = None,
    tier: Annotated[Optional[str], Opt("--tier", help="cooperation, friendship, sister, twin or business_partner.")] = None,
    instrument: Annotated[Optional[str], Opt("--instrument", help="mou, agreement, proclamation or protocol.")] = None,
    to_tier: Annotated[Optional[str], Opt("--to-tier")] = None,
    from_tier: Annotated[Optional[str], Opt("--from-tier")] = None,
    reason: Annotated[Optional[str], Opt("--reason")] = None,
    proposed_by: Annotated[Optional[str], Opt("--proposed-by")] = None,
    approved_by: Annotated[Optional[str], Opt("--approved-by")] = None,
    visitor: Annotated[Optional[str], Opt("--visitor", help="The visiting place.")] = None,
    head: Annotated[Optional[str], Opt("--head", help="Head of the delegation.")] = None,
    end_date: Annotated[Optional[str], Opt("--end-date")] = None,
    visit: Annotated[Optional[str], Opt("--visit", help="Visit id tying VisitStarted to VisitEnded.")] = None,
    topic: Annotated[Optional[str], Opt("--topic")] = None,
    format_: Annotated[Optional[str], Opt("--format", help="online, in_person or hybrid.")] = None,
    forum: Annotated[Optional[str], Opt("--forum", help="Forum id.")] = None,
    what: Annotated[Optional[str], Opt("--what", help="What was commemorated.")] = None,
    place: Annotated[Optional[str], Opt("--place", help="Where it happened (or the place of PlaceRegistered/PlaceAliased).")] = None,
    kind: Annotated[Optional[str], Opt("--kind", help="PlaceRegistered: city, district, province, state …, or a party that is not a place: agency, organisation.")] = None,
    alias: Annotated[Optional[str], Opt("--alias", help="Another name of a place (PlaceAliased).")] = None,
    preferred: Annotated[bool, Opt("--preferred", help="PlaceAliased: show the alias as the place's name.")] = False,
    force: Annotated[bool, Opt("--force", help="PlaceRegistered/PlaceAliased: keep a name that looks like a known place's.")] = False,
    count: Annotated[Optional[list[str]], Opt("--count", help="CountAsserted: TIER=N (repeatable), e.g. --count sister=23.")] = None,
    target: Annotated[Optional[str], Opt("--target", help="ClaimDisputed: the event id; DisputeResolved: the dispute's id.")] = None,
    field_: Annotated[Optional[str], Opt("--field", help="ClaimDisputed: the disputed field, e.g. tier.")] = None,
    value_: Annotated[Optional[str], Opt("--value", help="ClaimDisputed: what the other source says.")] = None,
    accepted: Annotated[Optional[str], Opt("--accepted", help="DisputeResolved: original or disputed.")] = None,
    to: Annotated[Optional[str], Opt("--to", help="InvitationExtended: to what, e.g. 'Asia Mayors Forum'.")] = None,
    invited: Annotated[Optional[str], Opt("--invited", help="InvitationExtended: the person or office invited.")] = None,
    by: Annotated[Optional[str], Opt("--by", help="InvitationExtended: who extended it.")] = None,
    invitation: Annotated[Optional[str], Opt("--invitation", help="InvitationAnswered: the invitation's event id (or its own id).")] = None,
    answer: Annotated[Optional[str], Opt("--answer", help="InvitationAnswered: accepted, declined or delegated.")] = None,
    network: Annotated[Optional[str], Opt("--network", help="Network facts: the network's full or short name, e.g. 'C40'.")] = None,
    member: Annotated[Optional[str], Opt("--member", help="MembershipJoined/Listed/Left, NetworkRoleHeld: the member (a place or party).")] = None,
    role: Annotated[Optional[str], Opt("--role", help="NetworkRoleHeld: president, chair, secretariat, representative …")] = None,
    until: Annotated[Optional[str], Opt("--until", help="NetworkRoleHeld: when the role ended.")] = None,
    short: Annotated[Optional[str], Opt("--short", help="NetworkRegistered: its short name, e.g. C40.")] = None,
    founded: Annotated[Optional[str], Opt("--founded", help="NetworkRegistered: when it was founded.")] = None,
    secretariat: Annotated[Optional[str], Opt("--secretariat", help="NetworkRegistered: the place of its secretariat.")] = None,
    regional_office: Annotated[Optional[str], Opt("--regional-office", help="NetworkRegistered: a place with a regional office.")] = None,
    url: Annotated[Optional[str], Opt("--url", help="NetworkRegistered: its web address.")] = None,
    scope: Annotated[Optional[str], Opt("--scope", help="NetworkRegistered: global, Asia-Pacific …")] = None,
    host: Annotated[Optional[str], Opt("--host", help="NetworkMeetingHeld: the host place.")] = None,
    meeting: Annotated[Optional[str], Opt("--meeting", help="NetworkMeetingHeld: an id of the meeting, e.g. 'MGM 2013'.")] = None,
    person: Annotated[Optional[list[str]], Opt("--person", help="A participant: 'Name|Role|City' (repeatable).")] = None,
    note: Annotated[Optional[str], Opt("--note")] = None,
    event_id: Annotated[Optional[str], Opt("--id", help="Event id (UUID); derived from the content when absent.")] = None,
    recorded_by: Annotated[Optional[str], Opt("--recorded-by", envvar="AMITY_ACTOR", help="Who records it (default: the OS user).")] = None,
    store: Store = None,
    json: Json = False,
) -> None:
    """Append one event.

    Example: amity record MoUSigned --cities 'Seoul, KR' 'Kuala Lumpur, MY' --date 2025-07-23 --tier friendship --source-title 'Seoul to Promote …'

    \b
    More (every one also needs --source-title):
      CountAsserted --place Seoul --date 2014 --count sister=23
      ClaimDisputed --target 55a9c5be --field tier --value sister
      DisputeResolved --target d3f7011e --accepted original
      InvitationExtended --cities Seoul Tehran --date 2014 --to Forum
        --invited Mayor
      InvitationAnswered --cities Seoul Tehran --date 2014 --invitation d81e41fe
        --answer delegated
      MembershipJoined --network C40 --member Seoul --date 2006
      NetworkRoleHeld --network CityNet --member Seoul --role chair --date 2025
    """
    value: dict[str, Any] = {
        "type": type_, "cities": list(cities) if cities else None, "date": date,
        "source": _source(source_title, source_publisher, source_url, source_quote),
        "tier": tier, "instrument": instrument, "to_tier": to_tier, "from_tier": from_tier, "reason": reason,
        "proposed_by": proposed_by, "approved_by": approved_by, "visitor": visitor, "head": head,
        "end_date": end_date, "visit": visit, "topic": topic, "format": format_, "forum": forum, "what": what,
        "place": place, "kind": kind, "alias": alias, "note": note, "id": event_id, "recorded_by": recorded_by,
        "people": [_person(p) for p in person] if person else None, "preferred": preferred or None, "force": force or None,
        "network": network, "member": member, "role": role, "until": until, "short": short, "founded": founded,  # networks
        "secretariat": secretariat, "regional_office": regional_office, "url": url, "scope": scope, "host": host, "meeting": meeting,
    }
    value |= _additions(count=count, target=target, field=field_, value=value_, accepted=accepted, to=to,
                        invited=invited, by=by, invitation=invitation, answer=answer)
    from amity.cli.options import choose

    for option, given in (("--tier", tier), ("--to-tier", to_tier), ("--from-tier", from_tier), ("--instrument", instrument),
                          ("--format", format_), ("--kind", kind)):
        choose(option, given)
    value = {k: v for k, v in value.items() if v is not None}
    ledger = open_ledger(store, "write")
    if value.get("target") and value["type"] in ("ClaimDisputed", "DisputeResolved"):
        value["target"] = ledger.resolve_id(value["target"])
    fact, new = ledger.record(value)
    if json:
        from amity.events.wire import to_wire

        emit_json({"recorded": new, "event": to_wire(fact)} | ({"corroborations": ledger.last_notices} if ledger.last_notices else {}))
    else:
        typer.echo(f"{'recorded' if new else 'already on file'}: {fact.type} {fact.id}")
        from amity.cli.networks import say

        for line in ledger.last_notices:  # the same fact from another source: kept, counted once
            say(line)


def _additions(**given: Any) -> dict[str, Any]:
    """The fields of counts, disputes and invitations from their options (``--count sister=23`` → counts)."""
    from amity.ledger.errors import BadInput

    out = {k: v for k, v in given.items() if k != "count" and v is not None}
    if "value" in out:  # JSON when it looks like it (a number, a list), else text: as `correct --set` reads it
        out["value"] = _parse_set([f"value={out['value']}"])["value"]
    if given["count"]:
        counts: dict[str, Any] = {}
        for item in given["count"]:
            tier, sep, number = item.partition("=")
            if not sep or not number.strip().isdigit():
                raise BadInput(f"--count {item!r}: write TIER=N, e.g. --count sister=23")
            counts[tier.strip()] = int(number)
        out["counts"] = counts
    if "accepted" in out or "answer" in out:
        from amity.cli.options import choose

        choose("--accepted", out.get("accepted"), ("original", "disputed"))
        choose("--answer", out.get("answer"), ("accepted", "declined", "delegated"))
    return out


@contextmanager
def progress_bar(total: int, what: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr when it is a terminal (and the work is long); yields ``tick(done)``."""
    if not sys.stderr.isatty() or total < 200:
        yield lambda done: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda done: bar.update(task, completed=done)


def _parse_set(pairs: list[str]) -> dict[str, Any]:
    import orjson

    from amity.ledger.errors import BadInput

    changes: dict[str, Any] = {}
    for pair in pairs:
        field, sep, raw = pair.partition("=")
        if not sep or not field:
            raise BadInput(f"--set {pair!r}: write FIELD=VALUE, e.g. --set date=1992-07-11")
        try:
            value = orjson.loads(raw) if raw[:1] in ("{", "[") or raw in ("null", "true", "false") else raw
        except orjson.JSONDecodeError:
            value = raw
        changes[field.strip()] = value
    return changes


@app.command()
def correct(
    event_id: Annotated[str, typer.Argument(metavar="ID", help="The event to correct: its id or a unique prefix (at least 4 characters).")],
    set_: Annotated[list[str], Opt("--set", help="FIELD=VALUE as it should have been (repeatable).")],
    source_title: Annotated[Optional[str], Opt("--source-title", help="Source of the correction (required).")] = None,
    source_publisher: Annotated[Optional[str], Opt("--source-publisher")] = None,
    source_url: Annotated[Optional[str], Opt("--source-url")] = None,
    note: Annotated[Optional[str], Opt("--note")] = None,
    date: Annotated[Optional[str], Opt("--date", help="When the correction was decided.")] = None,
    recorded_by: Annotated[Optional[str], Opt("--recorded-by", envvar="AMITY_ACTOR", help="Who records it (default: the OS user).")] = None,
    store: Store = None,
    json: Json = False,
) -> None:
    """Append a correction of an event.

    Example: amity correct 3f2a… --set date=1992-07-11 --source-title 'KL City Hall page'
    """
    extra = {k: v for k, v in {"note": note, "date": date, "recorded_by": recorded_by}.items() if v}
    ledger = open_ledger(store, "write")
    fact = ledger.correct(ledger.resolve_id(event_id), _parse_set(set_), _source(source_title, source_publisher, source_url, None), **extra)
    _done(fact, json)


@app.command()
def retract(
    event_id: Annotated[str, typer.Argument(metavar="ID", help="The event to retract: its id or a unique prefix (at least 4 characters).")],
    reason: Annotated[str, Opt("--reason", help="Why it no longer counts.")],
    source_title: Annotated[Optional[str], Opt("--source-title", help="Source of the retraction (required).")] = None,
    source_publisher: Annotated[Optional[str], Opt("--source-publisher")] = None,
    source_url: Annotated[Optional[str], Opt("--source-url")] = None,
    date: Annotated[Optional[str], Opt("--date", help="When the retraction was decided.")] = None,
    recorded_by: Annotated[Optional[str], Opt("--recorded-by", envvar="AMITY_ACTOR", help="Who records it (default: the OS user).")] = None,
    store: Store = None,
    json: Json = False,
) -> None:
    """Append a retraction of an event.

    Example: amity retract 3f2a… --reason 'duplicate of the 1990 MoU' --source-title 'desk review'
    """
    extra = {k: v for k, v in {"date": date, "recorded_by": recorded_by}.items() if v}
    ledger = open_ledger(store, "write")
    fact = ledger.retract(ledger.resolve_id(event_id), reason, _source(source_title, source_publisher, source_url, None), **extra)
    _done(fact, json)


def _done(fact: Any, json: bool) -> None:
    if json:
        from amity.events.wire import to_wire

        emit_json({"recorded": True, "event": to_wire(fact)})
    else:
        typer.echo(f"recorded: {fact.type} {fact.id}")
