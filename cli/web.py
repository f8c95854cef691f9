"""Commands for people who do not live in a terminal: serve (the read-only web view) and publish (a static page)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from amity.cli.main import Store, app, open_ledger

Opt = typer.Option
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _web_stack() -> None:
    from amity.ledger.errors import BadInput

    try:
        import jinja2, starlette, uvicorn  # noqa: F401,E401
    except ImportError as exc:
        raise BadInput(f"the web view needs {exc.name}: pip install 'amity[web]'") from None


@app.command()
def serve(
    host: Annotated[str, Opt("--host", help="Address to listen on; keep 127.0.0.1 unless a proxy in front controls who may read.")] = "127.0.0.1",
    port: Annotated[int, Opt("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    store: Store = None,
) -> None:
    """Serve a read-only web view of the ledger: partnerships, timelines, cities, the audit log, JSON and .ics.

    Example: amity serve --store demo.db   (then open http://127.0.0.1:8000/)
    """
    _web_stack()
    import uvicorn

    from amity.web.app import create_app

    web = create_app(open_ledger(store))
    if host not in LOOPBACK:
        typer.echo(f"warning: listening on {host}: anyone who can reach it can read the whole ledger", err=True)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"Amity web view on http://{shown}:{port}/ (read-only; Ctrl-C stops it)", err=True)
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)


@app.command()
def publish(
    place: Annotated[str, typer.Argument(metavar="PLACE", help="The city whose profile to publish, e.g. 'Kuala Lumpur'.")],
    out: Annotated[Path, Opt("--out", help="Folder to write index.html (and profile.json) into; created if missing.")],
    store: Store = None,
) -> None:
    """Write a static HTML page of a city's partnerships, each statement dated and sourced, with the ledger's digest.

    Example: amity publish "Kuala Lumpur" --out site/
    """
    _web_stack()
    from amity.ledger.errors import BadInput
    from amity.web.publish import publish as write_page

    try:
        page = write_page(open_ledger(store), place, out)
    except OSError as exc:
        raise BadInput(f"cannot write {out}: {exc.strerror}") from None
    typer.echo(f"wrote {page}")
