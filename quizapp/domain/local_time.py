"""Moments stored in UTC, shown and entered in a person's own time zone.

Why here: every page formats dates through these functions (via the Jinja filters in
`quizapp.templating`), so the format and the zone name are the same everywhere, and the
rules (a DST change, a naive value, a missing value) are tested without an app.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


class UnknownZone(ValueError):
    """A time-zone name that is not in the zone database."""


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone key the system knows, sorted (the choices of the account page)."""
    return tuple(sorted(available_timezones()))


@lru_cache(maxsize=1)
def _zone_set() -> frozenset[str]:
    return frozenset(zone_names())


def is_zone_name(name: str) -> bool:
    """Whether `name` is a zone key (a set lookup: it runs for every date a page shows)."""
    return name in _zone_set()


def get_zone(name: str) -> ZoneInfo:
    """The zone called `name`, or UnknownZone (only keys of the database, no file paths)."""
    if not is_zone_name(name):
        raise UnknownZone(f"{name!r} is not a time zone this server knows.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # listed but unreadable
        raise UnknownZone(f"{name!r} is not a time zone this server knows.") from exc


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as UTC already (how SQLite returns it)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_local(value: datetime, zone: ZoneInfo) -> datetime:
    return as_utc(value).astimezone(zone)


def zone_label(moment: datetime) -> str:
    """The zone's abbreviation at that moment ("CET", "CEST", "UTC"), or its key where the
    database has only a numeric one ("+04"), which reads worse than "Asia/Dubai"."""
    abbreviation = moment.tzname() or ""
    if abbreviation.isalpha():
        return abbreviation
    key = getattr(moment.tzinfo, "key", None)
    return str(key or abbreviation)


def format_datetime(value: datetime | None, zone: ZoneInfo, *, seconds: bool = False) -> str:
    """As "2 Dec 2026, 14:05 CET": day, month, year, 24-hour time (with seconds, for the audit
    log) and the zone; "" for None."""
    if value is None:
        return ""
    local = to_local(value, zone)
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{local.day} {local:%b %Y}, {clock} {zone_label(local)}"


def format_time(value: datetime | None, zone: ZoneInfo) -> str:
    """As "14:05 CET"; "" for None."""
    if value is None:
        return ""
    local = to_local(value, zone)
    return f"{local:%H:%M} {zone_label(local)}"


def format_date(value: date | datetime | None, zone: ZoneInfo, *, year: bool = True) -> str:
    """As "2 Dec 2026" (or "2 Dec"): the local calendar day of a moment; a plain date (a week
    bucket, say) is a day already and is not converted."""
    if value is None:
        return ""
    day = to_local(value, zone).date() if isinstance(value, datetime) else value
    return f"{day.day} {day:%b %Y}" if year else f"{day.day} {day:%b}"


def local_to_utc(value: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time someone typed (naive, in their zone) as aware UTC for storage.

    In the hour that repeats when clocks go back the first occurrence is meant (fold=0); a
    time inside the hour skipped in spring is read with the offset before the change.
    """
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    return value.replace(tzinfo=zone).astimezone(UTC)


def iso_utc(value: datetime) -> str:
    """As "2026-12-02T13:05:00Z": what the countdown script reads from a data- attribute."""
    return as_utc(value).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
