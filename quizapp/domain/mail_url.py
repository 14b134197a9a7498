"""MAIL_URL, read: smtp://user:pass@host:587?starttls=1 or smtps://user:pass@host:465."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit


class BadMailUrl(ValueError):
    """MAIL_URL cannot be used; the message says what to write instead."""


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    username: str
    password: str
    tls: str  # "none" | "starttls" | "ssl"
    timeout: float


def parse_mail_url(url: str) -> MailServer:
    """The server `url` names; BadMailUrl when it is not smtp:// or smtps:// with a host."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps"):
        raise BadMailUrl(
            f"MAIL_URL must start with smtp:// or smtps:// (got {parts.scheme or 'nothing'!r})."
        )
    if not parts.hostname:
        raise BadMailUrl("MAIL_URL names no host, for example smtp://mail.example.org:587.")
    query = parse_qs(parts.query)
    starttls = query.get("starttls", ["0"])[-1].lower() in ("1", "true", "yes")
    tls = "ssl" if parts.scheme == "smtps" else ("starttls" if starttls else "none")
    try:
        port = parts.port or (465 if tls == "ssl" else 587 if starttls else 25)
        timeout = float(query.get("timeout", ["20"])[-1])
    except ValueError as exc:
        raise BadMailUrl(f"MAIL_URL: {exc}") from exc
    return MailServer(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        tls=tls,
        timeout=timeout,
    )


def backoff_seconds(tries: int, base: float = 60.0, cap: float = 6 * 3600.0) -> float:
    """How long to wait before try number `tries + 1`: 1, 2, 4, 8 ... minutes, at most 6 h."""
    exponent = max(0, tries - 1)
    return float(min(cap, base * 2**exponent))
