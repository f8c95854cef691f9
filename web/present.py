"""How ledger values read on a page: dates at their precision, event types in words, safe links.

One jinja2 environment serves the web view and the published pages. Autoescaping is on for every
template, so a user-recorded string (a source title, a note, a name) is always text; only an http(s)
URL ever becomes a link (``web_url``), so ``javascript:…`` and friends stay text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader

from amity.events.dates import PartialDate

EVENT_LABELS = {
    "PartnershipProposed": "Partnership proposed",
    "ProposalApproved": "Proposal approved",
    "LetterOfIntentSigned": "Letter of intent signed",
    "MoUSigned": "Agreement signed",
    "RelationshipElevated": "Relationship elevated",
    "RelationshipSuspended": "Relationship suspended",
    "RelationshipRestored": "Relationship restored",
    "RelationshipTerminated": "Relationship terminated",
    "VisitStarted": "Visit began",
    "VisitEnded": "Visit ended",
    "ForumScheduled": "Forum scheduled",
    "ForumHeld": "Forum held",
    "ForumCancelled": "Forum cancelled",
    "CommemorationHeld": "Commemoration held",
    "EventCorrected": "Correction",
    "EventRetracted": "Retraction",
    "PlaceRegistered": "Place registered",
    "PlaceAliased": "Place alias added",
    "NetworkRegistered": "Network registered",
    "MembershipJoined": "Joined a network",
    "MembershipListed": "Listed as a member",
    "MembershipLeft": "Left a network",
    "NetworkRoleHeld": "Role in a network",
    "NetworkMeetingHeld": "Network meeting held",
}
MILESTONE_NOUNS = {"MoUSigned": "agreement", "RelationshipElevated": "elevation", "RelationshipRestored": "restoration"}
INSTRUMENTS = {"mou": "memorandum of understanding", "agreement": "agreement", "proclamation": "proclamation", "protocol": "protocol"}
STATUSES = ["active", "suspended", "intent", "approved", "proposed", "none", "terminated"]
ROWS_SHOWN = 500  # rows of one table on a page; the JSON has them all
TIERS = ["sister", "twin", "friendship", "cooperation", "business_partner"]


def when(text: str | None, short: bool = False) -> str:
    """A partial date in words at its own precision: '11 July 1992', 'January 1989', '2010' ('11 Jul 1992' if short)."""
    if not text:
        return ""
    d = PartialDate.parse(text)
    first, month = d.earliest(), "%b %Y" if short else "%B %Y"
    if d.precision == "day":
        return f"{first.day} {first:{month}}"
    return f"{first:{month}}" if d.precision == "month" else str(d.year)


def instant(text: str | None) -> str:
    """A record-time instant as people read it: '25 Nov 2026 17:58:48 UTC'."""
    if not text:
        return ""
    try:
        moment = datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        return text
    return f"{moment.day} {moment:%b %Y %H:%M:%S} UTC"


def milestone(row: dict[str, Any]) -> str:
    """An anniversary in words: '15 years since the agreement of 25 November 2010'."""
    years = f"{row['years']} year{'' if row['years'] == 1 else 's'}"
    return f"{years} since the {MILESTONE_NOUNS.get(row['event'], row['event'])} of {when(row['event_date'])}"


def status_label(status: str) -> str:
    return "no agreement on file" if status == "none" else status


def event_label(fact_type: str, details: dict[str, Any] | None = None) -> str:
    """'Memorandum of understanding signed (twin)' for an MoUSigned of tier twin, and so on."""
    details = details or {}
    label = EVENT_LABELS.get(fact_type, fact_type)
    if fact_type == "MoUSigned" and details.get("instrument") in INSTRUMENTS:
        label = f"{INSTRUMENTS[details['instrument']].capitalize()} signed"
    tier = details.get("tier") or details.get("to_tier")
    return f"{label} ({tier_label(tier)})" if tier else label


def tier_label(tier: str | None) -> str:
    return (tier or "").replace("_", " ")


def web_url(url: Any) -> str | None:
    """The URL if it is an http(s) address a browser may follow, else None (it is then shown as text)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def details_text(details: dict[str, Any]) -> list[tuple[str, str]]:
    """The details of an event worth a reader's eye, as (name, value) pairs."""
    out = []
    for key, value in details.items():
        if key in ("note", "instrument", "visit", "forum") or value in (None, "", []):
            continue
        if key == "people":
            value = "; ".join(", ".join(x for x in (p.get("name"), p.get("role"), p.get("city")) if x) for p in value)
        elif isinstance(value, (list, dict)):
            value = ", ".join(map(str, value)) if isinstance(value, list) else ", ".join(f"{k}: {v}" for k, v in value.items())
        out.append((key.replace("_", " "), tier_label(str(value)) if key.endswith("tier") else str(value)))
    return out


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("amity.web", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(when=when, instant=instant, milestone=milestone, status_label=status_label, event_label=event_label, tier_label=tier_label, web_url=web_url, details_text=details_text)
    env.globals.update(STATUSES=STATUSES, TIERS=TIERS, ROWS_SHOWN=ROWS_SHOWN)
    return env
