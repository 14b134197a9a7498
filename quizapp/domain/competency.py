"""Competency validity: passing a competency check is valid for some months; the dashboard
shows valid, expiring (within 30 days) and expired."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

EXPIRING_WITHIN = timedelta(days=30)
DEFAULT_VALIDITY_MONTHS = 12


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def competency_status(expires_at: datetime | None, now: datetime) -> str:
    if expires_at is None:
        return "none"
    if expires_at <= now:
        return "expired"
    if expires_at - now <= EXPIRING_WITHIN:
        return "expiring"
    return "valid"


@dataclass(frozen=True)
class Validity:
    """A competency quiz's pass, explained: valid / expiring / expired as of a moment, with
    the days left (or since it expired) in words."""

    status: str
    achieved_at: datetime
    expires_at: datetime
    words: str


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def explain(achieved_at: datetime, expires_at: datetime, as_of: datetime) -> Validity:
    """Only the pass and its expiry decide; a later weak score in a topic does not."""
    status = competency_status(expires_at, as_of)
    if status == "expired":
        days = (as_of - expires_at).days
        words = "expired today" if days == 0 else f"expired {_days(days)} ago"
    else:
        left = expires_at - as_of
        days = left.days
        words = "expires today" if days == 0 else f"expires in {_days(days)}"
    return Validity(status, achieved_at, expires_at, words)
