"""When the request arrived: stamped by a WSGI middleware before Flask does any work, or taken
from a trusted front proxy's `X-Request-Start` (nginx: `proxy_set_header X-Request-Start
"t=${msec}";`). Used for the deadline, so time spent queued does not count against a trainee.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, request

from quizapp.domain.deadline import choose_arrival, parse_request_start

ENVIRON_KEY = "quizapp.arrived_at"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ArrivalStamp:
    """Stamp `environ` with the time the WSGI server handed the request over (unless the
    server already put an earlier stamp there)."""

    def __init__(self, wsgi_app: WSGIApp) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        environ.setdefault(ENVIRON_KEY, time.time())
        return self.wsgi_app(environ, start_response)


def register(app: Flask) -> None:
    # Flask's documented way to add WSGI middleware; mypy sees wsgi_app as a method.
    app.wsgi_app = ArrivalStamp(app.wsgi_app)  # type: ignore[method-assign]


def request_arrival() -> datetime:
    """The arrival time of the current request, as an aware UTC datetime."""
    server = request.environ.get(ENVIRON_KEY)
    if not isinstance(server, float):
        server = time.time()
    proxy = None
    # Only a front proxy we were told about sets the header (nginx's proxy_set_header replaces
    # whatever the client sent); with no trusted proxy, anyone could send it.
    if int(current_app.config.get("TRUSTED_PROXIES") or 0) > 0:
        proxy = parse_request_start(request.headers.get("X-Request-Start"))
    return datetime.fromtimestamp(choose_arrival(server, proxy), tz=UTC)


def deadline_grace() -> float:
    """Seconds after the deadline that an answer which arrived in them still counts."""
    return float(current_app.config.get("DEADLINE_GRACE_SECONDS", 5))
