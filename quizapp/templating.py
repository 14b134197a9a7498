"""Jinja filters: `rich` and `rich_inline` show question text; `local_dt`, `local_date` and
`local_time` show every date and time.

Why filters: every page that shows a stem, a choice, a feedback or a rationale goes through
the one sanitising renderer in `quizapp.domain.rich_text`, and nothing else marks text safe.
Likewise every moment shown to a person goes through one conversion from the stored UTC to
the viewer's zone (their own, else the site's QUIZAPP_TIMEZONE), which the text then names.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context
from flask_login import current_user
from markupsafe import Markup, escape

from quizapp.domain import local_time
from quizapp.domain.rich_text import render_block, render_inline
from quizapp.models.base import utcnow


def rich(text: str | None) -> Markup:
    return Markup(render_block(text))  # sanitised by nh3 with an allow-list


def rich_inline(text: str | None) -> Markup:
    return Markup(render_inline(text))  # sanitised by nh3 with an allow-list


def viewer_zone_key() -> str:
    """The zone key dates are shown (and typed) in for the current person."""
    if has_request_context() and current_user.is_authenticated:
        chosen = getattr(current_user, "time_zone", None)
        if chosen and local_time.is_zone_name(chosen):
            return str(chosen)
    return str(current_app.config.get("TIMEZONE") or "UTC")


def viewer_zone() -> ZoneInfo:
    return local_time.get_zone(viewer_zone_key())


def local_dt(value: datetime | None, seconds: bool = False) -> str:
    """As "2 Dec 2026, 14:05 CET" in the viewer's zone; "" for None."""
    if value is None:
        return ""
    return local_time.format_datetime(value, viewer_zone(), seconds=seconds)


def local_time_of_day(value: datetime | None) -> str:
    """As "14:05 CET" in the viewer's zone; "" for None."""
    return local_time.format_time(value, viewer_zone()) if value is not None else ""


def local_date(value: date | datetime | None, year: bool = True) -> str:
    """As "2 Dec 2026" (year=False: "2 Dec"), the viewer's calendar day; "" for None."""
    if value is None:
        return ""
    return local_time.format_date(value, viewer_zone(), year=year)


def iso_utc(value: datetime | None) -> str:
    return local_time.iso_utc(value) if value is not None else ""


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z ]", " ", text.lower()).split())


def says_already(stem: str | None, hint: str | None) -> bool:
    """Whether the stem already carries the type's hint ("... (Select all that apply.)"), so
    the page does not say it twice."""
    return bool(hint) and _words(hint or "") in _words(stem or "")


def breakable_url(url: str | None) -> Markup:
    """A URL shown as text with a line-break chance after each `/`, `.`, `-` and `?`: on a
    phone a long address then wraps between its parts, not in the middle of a word."""
    parts = re.split(r"(?<=[/.\-?&=])", url or "")
    return Markup("<wbr>").join(escape(part) for part in parts)


def register(app: Flask) -> None:
    app.jinja_env.filters["rich"] = rich
    app.jinja_env.filters["rich_inline"] = rich_inline
    app.jinja_env.filters["local_dt"] = local_dt
    app.jinja_env.filters["local_date"] = local_date
    app.jinja_env.filters["local_time"] = local_time_of_day
    app.jinja_env.filters["iso_utc"] = iso_utc
    app.jinja_env.filters["breakable_url"] = breakable_url
    app.jinja_env.tests["said_in"] = lambda hint, stem: says_already(stem, hint)
    app.jinja_env.globals["viewer_zone_key"] = viewer_zone_key
    app.jinja_env.globals["utc_now"] = utcnow
