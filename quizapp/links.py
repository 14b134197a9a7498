"""Absolute links for people to open later (invitations, password resets): the configured
public base URL, QUIZAPP_BASE_URL, joined to the path of an endpoint. Never built from the
request's Host header, which the client chooses."""

from __future__ import annotations

from typing import Any

from flask import current_app

from quizapp.services.errors import Conflict


class BaseUrlMissing(Conflict):
    """A link is wanted but the public address of the site is not configured."""


def base_url() -> str:
    """The configured base URL (checked when the app was made), or BaseUrlMissing."""
    base = str(current_app.config.get("QUIZAPP_BASE_URL") or "")
    if not base:
        raise BaseUrlMissing(
            "Links cannot be made: QUIZAPP_BASE_URL is not set. Set it to the address people "
            "open the site at, for example QUIZAPP_BASE_URL=https://quiz.hospital.example, "
            "and restart the app."
        )
    return base


def absolute_url(endpoint: str, **values: Any) -> str:
    """The endpoint's path (relative to the app, whatever the request) after the base URL."""
    base = base_url()
    adapter = current_app.url_map.bind("localhost", script_name="/")
    path = adapter.build(endpoint, values, force_external=False)
    return base + path
