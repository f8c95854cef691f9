"""Fixtures of the web tests: a seeded store, the web view served on a free loopback port, a browser.

Servers are started and stopped by the fixtures (uvicorn in a thread, on a socket bound to
127.0.0.1:0); the browser is Debian's chromium driven by Playwright, one per test module.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS, new_store

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "build" / "screenshots"


def seeded(kind: str = "sqlite", extra: list[dict] | None = None) -> str:
    """A store holding the seed ledger (and any extra wire events)."""
    from amity.ledger.app import Ledger
    from amity.ledger.jsonlines import read_lines

    url = new_store(kind)
    ledger = Ledger(url)
    ledger.import_events(read_lines(str(SEEDS)), where=str(SEEDS))
    for event in extra or []:
        ledger.record(event)
    ledger.close()
    return url


class Served:
    """The web view of a store, served by uvicorn on 127.0.0.1 at a free port until ``stop``."""

    def __init__(self, store: str) -> None:
        import uvicorn

        from amity.web.app import create_app

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(create_app(store), log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the web view did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="module")
def web_store() -> str:
    return seeded()


@pytest.fixture(scope="module")
def served(web_store):
    server = Served(web_store)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium under Playwright (its own browser download cannot work here)."""
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing: `make test` installs it with apt-get (as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: the browser tests must run)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and failed requests in ``page.problems``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.problems = []
    p.on("console", lambda m: m.type == "error" and p.problems.append(m.text))
    p.on("pageerror", lambda e: p.problems.append(str(e)))
    p.on("requestfailed", lambda r: p.problems.append(f"{r.url}: {r.failure}"))
    yield p
    context.close()


def screenshot(page, name: str) -> None:
    """Save the page at 1280 and 390 pixels wide under build/screenshots/ (git-ignored) for people to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
