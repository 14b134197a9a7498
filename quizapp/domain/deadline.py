"""When an answer counts as in time: measured from when the request arrived, plus a grace.

Why: the deadline used to be checked when a worker picked the request up, so answers sent just
before it but queued behind other requests were refused. The arrival time is the earliest
trustworthy stamp (the front proxy's, else the WSGI server's) and the grace covers queueing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_QUEUE_SECONDS = 120.0  # a proxy stamp older than this (or in the future) is not believed
CLOCK_SKEW_SECONDS = 1.0  # proxy and app clocks may differ by this much


def parse_request_start(value: str | None) -> float | None:
    """Seconds since the epoch from an `X-Request-Start` header, or None.

    Accepts nginx's `t=${msec}` (seconds with a fraction) and the `t=` forms in milliseconds
    or microseconds that other proxies send.
    """
    if not value:
        return None
    text = value.strip()
    if text.startswith("t="):
        text = text[2:]
    if not text or len(text) > 24:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number <= 0:  # NaN or nonsense
        return None
    if number > 1e14:
        return number / 1e6
    if number > 1e11:
        return number / 1e3
    return number


def choose_arrival(server_stamp: float, proxy_stamp: float | None) -> float:
    """The proxy's stamp when it is plausible (not after the server's, not far before it)."""
    if proxy_stamp is None:
        return server_stamp
    if server_stamp - MAX_QUEUE_SECONDS <= proxy_stamp <= server_stamp + CLOCK_SKEW_SECONDS:
        return min(proxy_stamp, server_stamp)
    return server_stamp


def is_past(deadline: datetime | None, arrived: datetime, grace_seconds: float) -> bool:
    """True when a request that arrived at `arrived` is too late for `deadline`."""
    return deadline is not None and arrived >= deadline + timedelta(seconds=grace_seconds)
