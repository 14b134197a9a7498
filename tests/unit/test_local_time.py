"""Stored UTC shown in a zone, named; typed local times stored UTC; across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from quizapp.domain.local_time import (
    UnknownZone,
    format_date,
    format_datetime,
    format_time,
    get_zone,
    iso_utc,
    local_to_utc,
)
from quizapp.templating import says_already

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def test_a_winter_moment_is_shown_in_the_zone_and_named() -> None:
    moment = datetime(2026, 12, 2, 13, 5, tzinfo=UTC)
    assert format_datetime(moment, BERLIN) == "2 Dec 2026, 14:05 CET"
    assert format_datetime(moment, NEW_YORK) == "2 Dec 2026, 08:05 EST"
    assert format_datetime(moment, ZoneInfo("UTC")) == "2 Dec 2026, 13:05 UTC"
    assert format_time(moment, BERLIN) == "14:05 CET"


def test_seconds_are_shown_when_asked() -> None:
    moment = datetime(2026, 12, 2, 13, 5, 9, tzinfo=UTC)
    assert format_datetime(moment, BERLIN, seconds=True) == "2 Dec 2026, 14:05:09 CET"


def test_the_spring_change_moves_the_offset_and_the_name() -> None:
    # Clocks in Berlin go from 02:00 CET to 03:00 CEST at 01:00 UTC on 29 March 2026.
    before = datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    after = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert format_datetime(before, BERLIN) == "29 Mar 2026, 01:59 CET"
    assert format_datetime(after, BERLIN) == "29 Mar 2026, 03:00 CEST"


def test_the_autumn_hour_shown_twice_is_told_apart_by_its_name() -> None:
    # 25 October 2026: 02:30 Berlin time happens at 00:30 UTC (CEST) and at 01:30 UTC (CET).
    assert format_time(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), BERLIN) == "02:30 CEST"
    assert format_time(datetime(2026, 10, 25, 1, 30, tzinfo=UTC), BERLIN) == "02:30 CET"


def test_none_shows_as_nothing() -> None:
    assert format_datetime(None, BERLIN) == ""
    assert format_time(None, BERLIN) == ""
    assert format_date(None, BERLIN) == ""


def test_a_naive_value_is_taken_as_utc() -> None:
    assert format_datetime(datetime(2026, 12, 2, 13, 5), BERLIN) == "2 Dec 2026, 14:05 CET"


def test_a_zone_with_only_a_numeric_abbreviation_is_named_by_its_key() -> None:
    moment = datetime(2026, 12, 2, 13, 5, tzinfo=UTC)
    assert format_datetime(moment, ZoneInfo("Asia/Dubai")) == "2 Dec 2026, 17:05 Asia/Dubai"


def test_the_date_is_the_local_calendar_day() -> None:
    late = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)  # already 3 December in Berlin
    assert format_date(late, BERLIN) == "3 Dec 2026"
    assert format_date(late, NEW_YORK) == "2 Dec 2026"
    assert format_date(late, BERLIN, year=False) == "3 Dec"
    assert format_date(date(2026, 12, 2), NEW_YORK) == "2 Dec 2026"  # a day is not converted


def test_a_typed_local_time_is_stored_as_utc_in_winter_and_summer() -> None:
    assert local_to_utc(datetime(2026, 12, 20, 9, 0), BERLIN) == datetime(
        2026, 12, 20, 8, 0, tzinfo=UTC
    )
    assert local_to_utc(datetime(2026, 7, 20, 9, 0), BERLIN) == datetime(
        2026, 7, 20, 7, 0, tzinfo=UTC
    )
    # the repeated autumn hour: the first (summer-time) one is meant
    assert local_to_utc(datetime(2026, 10, 25, 2, 30), BERLIN) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_iso_utc_is_what_the_countdown_reads() -> None:
    moment = datetime(2026, 12, 2, 14, 5, 30, 123456, tzinfo=BERLIN)
    assert iso_utc(moment) == "2026-12-02T13:05:30Z"


# "posix/UTC" and "posixrules" are files ZoneInfo would read, but not zone names
@pytest.mark.parametrize(
    "name", ["Mars/Olympus", "../../etc/passwd", "", "europe/berlin", "posix/UTC", "posixrules"]
)
def test_unknown_zone_names_are_refused(name: str) -> None:
    with pytest.raises(UnknownZone):
        get_zone(name)


def test_known_zone_names_are_accepted() -> None:
    assert get_zone("Europe/Berlin") == BERLIN


def test_the_hint_is_not_repeated_when_the_stem_says_it() -> None:
    hint = "Select all that apply."
    assert says_already("Which signs suggest infiltration? (Select all that apply.)", hint)
    assert says_already("Which checks belong here? (Select all that\n  apply.)", hint)
    assert says_already("Which of these? select ALL that apply", hint)
    assert not says_already("Which signs suggest infiltration?", hint)
    assert not says_already("Which signs suggest infiltration?", "")
