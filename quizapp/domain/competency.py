"""Competency validity: passing a competency check is valid for some months; the dashboard
shows valid, expiring (within 30 days) and expired."""

from __future__ import annotations

import calendar
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
