"""The read-only web view of a ledger (``amity serve``): a starlette app over the projections.

Every page is a jinja2 template over a document from ``web.documents`` (the CLI's ``--json``
documents) and answers ``?format=json`` with the document itself. ``as_of`` and ``as_known_at`` are
query parameters of every page, carried by every link, so any answer can be shared as a URL.
There is no write endpoint: ``web.guard`` answers 405 to any method but GET and HEAD. Handlers are
``async`` and run one at a time on the event loop: the ledger's connections are never shared
between threads, and each page takes milliseconds.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.datastructures import URL
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from amity.ledger.app import Ledger
from amity.ledger.errors import AmityError, BadInput
from amity.projections.status import status_row
from amity.web import STATIC
from amity.web.documents import Documents, When
from amity.web.guard import Guard
from amity.web.present import STATUSES, environment
from amity.web.timeline import timeline

templates = Jinja2Templates(env=environment())


def docs(request: Request) -> Documents:
    return request.app.state.documents


def page(request: Request, template: str, document: Any, when: When, **context: Any) -> Response:
    """The page, or with ``?format=json`` its document (the CLI's ``--json``)."""
    if request.query_params.get("format") == "json":
        return Response(orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS), media_type="application/json")

    def href(name: str, /, **path: str) -> str:
        """A link to another page that keeps the day asked about (``as_of``, ``as_known_at``); a registry place's id
        (``amity:name/region/cc``) cannot be one path segment, so such a place is linked by its canonical name."""
        path = {k: ids.get(v).canonical if "/" in v else v for k, v in path.items()}
        return str(URL(str(request.app.url_path_for(name, **path))).include_query_params(**when.query()))

    ids = docs(request).reader.ledger.gazetteer
    context.update(doc=document, when=when, href=href, place_id=lambda name: ids.resolve(name).id,
                   json_href=str(request.url.include_query_params(format="json")))
    return templates.TemplateResponse(request, template, context)


async def front(request: Request) -> Response:
    q = request.query_params
    when, d = When.of(q), docs(request)
    filters = {k: q.get(k) or None for k in ("place", "country", "status", "tier")}
    if filters["status"] and filters["status"] not in STATUSES:
        raise BadInput(f"status {filters['status']!r}: use one of {', '.join(STATUSES)}")
    if filters["place"]:
        filters["place"] = d.find_place(filters["place"])
    rows = d.status_rows(when, **filters)
    upcoming = d.anniversaries(when)
    return page(request, "front.html", {"status": rows, "anniversaries": upcoming}, when, filters=filters)


async def partnership(request: Request) -> Response:
    when, d = When.of(request.query_params), docs(request)
    names, records = d.records(request.path_params["a"], request.path_params["b"], when)
    doc = d.history(names, records)
    row = status_row(records, on=when.day)  # the rule the status view keeps, applied to this pair's records
    return page(request, "partnership.html", doc, when, row=row, picture=timeline(records, doc["events"], when.day))


async def city(request: Request) -> Response:
    when, d = When.of(request.query_params), docs(request)
    place = d.place(request.path_params["place"])
    doc = {"place": place, "partnerships": d.status_rows(when, place=place["canonical"]),
           "anniversaries": d.anniversaries(when, 365, place["canonical"]), "networks": d.networks(place["canonical"], when)}
    doc |= d.sections(place["canonical"], when, "counts", "disputes")  # official counts and open disputes, as `amity city`
    return page(request, "city.html", doc, when)


async def audit(request: Request) -> Response:
    q = request.query_params
    when, filters = When.of(q), {k: q.get(k) or None for k in ("by", "since", "until")}
    return page(request, "audit.html", docs(request).audit(**filters), when, filters=filters)


async def calendar(request: Request) -> Response:
    from amity.projections.calendar import to_ics

    when = When.of(request.query_params)
    days = request.query_params.get("days") or "365"
    if not days.isdigit() or not 1 <= int(days) <= 3660:
        raise BadInput(f"days {days!r}: use a number of days from 1 to 3660")
    pages = docs(request)
    rows = pages.anniversaries(when, int(days), networks=True)
    revisions = pages.reader.revisions(sorted({r["event_id"] for r in rows}))  # SEQUENCE and LAST-MODIFIED, as the CLI's
    return Response(to_ics(rows, revisions), media_type="text/calendar", headers={"Content-Disposition": 'attachment; filename="anniversaries.ics"'})


async def failed(request: Request, exc: Exception) -> Response:
    """A rejected question (a bad date, an unknown or ambiguous place) or a page that does not exist."""
    code = exc.status_code if isinstance(exc, HTTPException) else 400
    message = str(exc.detail if isinstance(exc, HTTPException) else exc)
    if request.query_params.get("format") == "json":
        return Response(orjson.dumps({"error": message}), status_code=code, media_type="application/json")
    try:
        when = When.of(request.query_params)  # the time bar keeps the day asked about, when that is not the problem
    except AmityError:
        when = When()
    return templates.TemplateResponse(request, "error.html", {"message": message, "when": when, "code": code,
                                                              "href": lambda name, **_: str(request.app.url_path_for(name))}, status_code=code)


def create_app(store: Ledger | str | None) -> Starlette:
    """The web view of a ledger (or of the store at a URL); the gazetteer and views are made ready before the first request."""
    ledger = store if isinstance(store, Ledger) else Ledger(store)
    documents = Documents(ledger)
    documents.reader.catch_up()
    _ = ledger.gazetteer.resolve("Kuala Lumpur, MY")  # loads the place index once, not in the first request
    routes = [
        Route("/", front, name="front"),
        Route("/partnership/{a}/{b}", partnership, name="partnership"),
        Route("/city/{place}", city, name="city"),
        Route("/audit", audit, name="audit"),
        Route("/anniversaries.ics", calendar, name="calendar"),
        # networks: a /network/{name} page and the city page's networks section, once the ledger records them
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(Guard)], exception_handlers={AmityError: failed, HTTPException: failed})
    app.state.documents = documents
    return app
