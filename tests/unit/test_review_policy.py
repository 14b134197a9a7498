"""The review policy (`domain.review_policy.review_visibility`) for every review_shows x
review_when combination, before and after the close date, in a quiz and in practice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain.review_policy import (
    AFTER_CLOSE_NOTE,
    NEVER_NOTE,
    REVIEW_SHOWS,
    REVIEW_WHEN,
    ReviewVisibility,
    review_visibility,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OPEN = NOW + timedelta(minutes=1)  # the quiz closes after now
CLOSED = NOW - timedelta(minutes=1)  # the quiz closed before now


def _expected(
    shows: str, when: str, *, in_quiz: bool, close_at: datetime | None
) -> ReviewVisibility:
    """The rule written out as a table, independently of the function's branches."""
    if when == "never":
        return ReviewVisibility("score", NEVER_NOTE)
    if when == "after_close" and in_quiz and close_at is not None and close_at > NOW:
        return ReviewVisibility("score", AFTER_CLOSE_NOTE)
    return ReviewVisibility(shows, "")


@pytest.mark.parametrize("shows", REVIEW_SHOWS)
@pytest.mark.parametrize("when", REVIEW_WHEN)
@pytest.mark.parametrize("close_at", [None, OPEN, CLOSED], ids=["no-close", "open", "closed"])
@pytest.mark.parametrize("in_quiz", [True, False], ids=["quiz", "practice"])
def test_every_combination_follows_the_rule(
    shows: str, when: str, close_at: datetime | None, in_quiz: bool
) -> None:
    got = review_visibility(shows, when, in_quiz=in_quiz, close_at=close_at, now=NOW)
    assert got == _expected(shows, when, in_quiz=in_quiz, close_at=close_at)


@pytest.mark.parametrize("shows", REVIEW_SHOWS)
@pytest.mark.parametrize("close_at", [None, OPEN, CLOSED])
def test_never_hides_the_answers_whatever_review_shows_says(
    shows: str, close_at: datetime | None
) -> None:
    got = review_visibility(shows, "never", in_quiz=True, close_at=close_at, now=NOW)
    assert got.shows == "score"
    assert got.note == NEVER_NOTE


@pytest.mark.parametrize("shows", REVIEW_SHOWS)
def test_after_close_shows_the_score_only_while_the_quiz_is_open(shows: str) -> None:
    got = review_visibility(shows, "after_close", in_quiz=True, close_at=OPEN, now=NOW)
    assert got == ReviewVisibility("score", AFTER_CLOSE_NOTE)


@pytest.mark.parametrize("shows", REVIEW_SHOWS)
def test_after_close_shows_the_settings_once_closed_or_at_the_close_instant(shows: str) -> None:
    for close_at in (CLOSED, NOW):
        got = review_visibility(shows, "after_close", in_quiz=True, close_at=close_at, now=NOW)
        assert got == ReviewVisibility(shows, "")


def test_after_close_without_a_close_date_does_not_wait() -> None:
    got = review_visibility("full", "after_close", in_quiz=True, close_at=None, now=NOW)
    assert got == ReviewVisibility("full", "")


def test_practice_is_not_held_by_a_close_date() -> None:
    got = review_visibility("answers", "after_close", in_quiz=False, close_at=OPEN, now=NOW)
    assert got == ReviewVisibility("answers", "")


@pytest.mark.parametrize("shows", REVIEW_SHOWS)
def test_immediately_shows_what_the_settings_say(shows: str) -> None:
    got = review_visibility(shows, "immediately", in_quiz=True, close_at=OPEN, now=NOW)
    assert got == ReviewVisibility(shows, "")
