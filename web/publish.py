"""``amity publish``: one city's profile as a static page that needs no server, in the spirit of the
Kuala Lumpur City Hall page of twin cities, generated from the ledger.

Every statement is dated at its own precision and cites its source; the page is as of the day it is
published (``AMITY_TODAY`` or the system date) and ends with the ledger's digest and position, so a
reader holding the ledger can run ``amity verify --digest D --position P``. The stylesheet is
inlined: the folder can be opened from disk, mailed or copied to any web host as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from markupsafe import Markup

from amity.events.dates import PartialDate
from amity.ledger.app import Ledger
from amity.web import STATIC
from amity.web.documents import Documents, When
from amity.web.present import environment
from amity.web.timeline import timeline

SECTIONS = [
    ("active", "Partnerships in force"), ("suspended", "Suspended"), ("intent", "In preparation"),
    ("approved", "In preparation"), ("proposed", "In preparation"), ("none", "Other ties on record"), ("terminated", "Ended"),
]


def profile(ledger: Ledger, place: str) -> dict[str, Any]:
    """The published document: the place, each partnership with the statements that hold today, anniversaries, digest."""
    docs, when = Documents(ledger), When()
    day = when.day
    here = docs.place(place)
    partners = []
    for row in docs.status_rows(when, place=here["canonical"]):
        names, records = docs.records(*row["place_ids"], when)
        history = docs.history(names, records)
        partners.append({
            "status": row, "partner": next(c for c in row["cities"] if c != here["canonical"]),
            "statements": [e for e in history["events"] if not e["retracted"] and PartialDate.parse(e["date"]).earliest() <= day],
            "picture": timeline(records, history["events"], day),
        })
    return {"place": here, "as_of": day.isoformat(), "partnerships": partners,
            "anniversaries": docs.anniversaries(when, 365, here["canonical"]), "networks": docs.networks(here["canonical"], when),
            "ledger": docs.digest()}


def publish(ledger: Ledger, place: str, out: Path) -> Path:
    """Write ``out/index.html`` (and ``out/profile.json``, the data behind it); returns the page's path."""
    doc = profile(ledger, place)
    sections: list[tuple[str, list[dict[str, Any]]]] = []
    for status, title in SECTIONS:
        group = [p for p in doc["partnerships"] if p["status"]["status"] == status]
        if group and sections and sections[-1][0] == title:
            sections[-1][1].extend(group)
        elif group:
            sections.append((title, group))
    html = environment().get_template("publish.html").render(
        doc=doc, sections=sections, css=Markup((STATIC / "amity.css").read_text(encoding="utf-8")))  # our own stylesheet, not user data
    out.mkdir(parents=True, exist_ok=True)
    page = out / "index.html"
    page.write_text(html, encoding="utf-8")
    data = {**doc, "partnerships": [{k: v for k, v in p.items() if k != "picture"} for p in doc["partnerships"]]}
    (out / "profile.json").write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    return page
