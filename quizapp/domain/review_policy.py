"""What a trainee may see when reviewing an attempt, by the quiz's review settings and the time.

Why a pure function: the rule is business policy (an exam's answers must not leak before the
quiz closes, or ever when the quiz says "never"), so it is decided in one place, from plain
values, and unit-tested for every combination of settings; the pages only ask it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

REVIEW_SHOWS = ("score", "answers", "full")
REVIEW_WHEN = ("immediately", "after_close", "never")

AFTER_CLOSE_NOTE = "Answers and explanations are shown after the quiz closes."
NEVER_NOTE = "This quiz shows your score only."


@dataclass(frozen=True)
class ReviewVisibility:
    """`shows`: "score" (the mark only), "answers" (without explanations) or "full";
    `note`: why less than the settings' `review_shows` is shown now ("" when nothing is held)."""

    shows: str
    note: str = ""


def review_visibility(
    review_shows: str,
    review_when: str,
    *,
    in_quiz: bool,
    close_at: datetime | None,
    now: datetime,
) -> ReviewVisibility:
    """What the review may show at `now`. "after_close" holds everything but the score until
    `close_at` for an attempt at a quiz (practice has no close date); "never" always does."""
    if review_when == "after_close" and in_quiz and close_at is not None and now < close_at:
        return ReviewVisibility("score", AFTER_CLOSE_NOTE)
    if review_when == "never":
        return ReviewVisibility("score", NEVER_NOTE)
    return ReviewVisibility(review_shows)
