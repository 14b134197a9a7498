"""The provider's discovery document and signing keys, fetched over HTTPS and kept an hour.

Why the keys come only from discovery: the ID token names its key by id, and the only keys
that may sign it are the ones the issuer publishes at the `jwks_uri` of its own discovery
document (fetched from the configured issuer, whose `issuer` member must match exactly).
Keys are fetched again when a token names a key id we do not have (the provider rotated its
keys), at most once a minute, so a stream of forged key ids cannot make us hammer it.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests

TIMEOUT_SECONDS = 10
KEEP_SECONDS = 3600
REFETCH_KEYS_AFTER_SECONDS = 60
RETRY_AFTER_FAILURE_SECONDS = 15  # an unreachable provider is not asked at every click
MAX_DOCUMENT_BYTES = 512 * 1024


class DiscoveryFailed(Exception):
    """The provider could not be reached or answered something that is not its metadata."""


@dataclass
class _Entry:
    metadata: dict[str, Any]
    jwks: dict[str, Any]
    fetched_at: float
    keys_fetched_at: float = field(default=0.0)


_cache: dict[str, _Entry] = {}
_failed: dict[str, tuple[float, str]] = {}
_lock = threading.Lock()


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def provider_metadata(issuer: str, verify: str | bool = True) -> dict[str, Any]:
    """The discovery document of `issuer` (cached); DiscoveryFailed when it cannot be had."""
    return _entry(issuer, verify).metadata


def signing_keys(issuer: str, verify: str | bool = True, refresh: bool = False) -> dict[str, Any]:
    """The issuer's JWKS from its discovery `jwks_uri`; `refresh` fetches it again unless that
    was done less than a minute ago."""
    entry = _entry(issuer, verify)
    if refresh and time.monotonic() - entry.keys_fetched_at > REFETCH_KEYS_AFTER_SECONDS:
        entry.jwks = _get_json(entry.metadata["jwks_uri"], verify)
        entry.keys_fetched_at = time.monotonic()
    return entry.jwks


def forget(issuer: str | None = None) -> None:
    """Drop what was cached (tests that restart their provider; an operator's new keys)."""
    with _lock:
        if issuer is None:
            _cache.clear()
            _failed.clear()
        else:
            _cache.pop(issuer, None)
            _failed.pop(issuer, None)


def _entry(issuer: str, verify: str | bool) -> _Entry:
    with _lock:
        entry = _cache.get(issuer)
    if entry is not None and time.monotonic() - entry.fetched_at < KEEP_SECONDS:
        return entry
    failed_at, why = _failed.get(issuer, (0.0, ""))
    if time.monotonic() - failed_at < RETRY_AFTER_FAILURE_SECONDS:
        raise DiscoveryFailed(f"{why} (not asked again yet)")
    try:
        entry = _fetch(issuer, verify)
    except DiscoveryFailed as exc:
        with _lock:
            _failed[issuer] = (time.monotonic(), str(exc))
        raise
    with _lock:
        _cache[issuer] = entry
        _failed.pop(issuer, None)
    return entry


def _fetch(issuer: str, verify: str | bool) -> _Entry:
    metadata = _get_json(discovery_url(issuer), verify)
    if metadata.get("issuer") != issuer:
        raise DiscoveryFailed(
            f"the discovery document names issuer {str(metadata.get('issuer'))[:200]!r}, "
            f"not {issuer!r}"
        )
    for member in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(member), str):
            raise DiscoveryFailed(f"the discovery document has no {member}")
    jwks = _get_json(metadata["jwks_uri"], verify)
    now = time.monotonic()
    return _Entry(metadata=metadata, jwks=jwks, fetched_at=now, keys_fetched_at=now)


def _get_json(url: str, verify: str | bool) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS, verify=verify, stream=True)
        response.raise_for_status()
        body = response.raw.read(MAX_DOCUMENT_BYTES + 1, decode_content=True)
        response.close()
    except requests.RequestException as exc:
        raise DiscoveryFailed(f"{url}: {type(exc).__name__}") from exc
    if len(body) > MAX_DOCUMENT_BYTES:
        raise DiscoveryFailed(f"{url}: the answer is too large")
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise DiscoveryFailed(f"{url}: the answer is not JSON") from exc
    if not isinstance(document, dict):
        raise DiscoveryFailed(f"{url}: the answer is not a JSON object")
    return document
