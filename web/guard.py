"""What every response of the web view shares: read-only methods, safe headers and its own timing.

A pure ASGI middleware. Any method but GET and HEAD is answered 405 before it reaches a route, so the
view has no write endpoint at all. The Content-Security-Policy allows only the view's own files: even
markup that slipped past escaping could run no script. ``Server-Timing`` tells how long the page took.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse

READ_METHODS = {"GET", "HEAD"}
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class Guard:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in READ_METHODS:
            response = PlainTextResponse("Amity's web view is read-only: record facts with the amity command.\n",
                                         status_code=405, headers={"Allow": "GET, HEAD"})
            await response(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                headers.append("Server-Timing", f"app;dur={(time.perf_counter() - started) * 1000:.1f}")
            await send(message)

        await self.app(scope, receive, send=timed_send)
