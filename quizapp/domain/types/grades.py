"""Moodle's valid grades (question_bank::fraction_options_full), in percent, in one place.

Why: Moodle refuses to import or save any other grade, so a question we hold with 33% or -37%
could not go back to Moodle. Like Moodle's `match_grade_options` (format.php, "error" mode), a
grade within 0.001 percentage points of a listed one is that one (33.333 is 33.33333).
"""

from __future__ import annotations

import math

POSITIVE_GRADES = (
    100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333,
    30.0, 25.0, 20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0,
)  # fmt: skip
VALID_GRADES = (*POSITIVE_GRADES, 0.0, *(-grade for grade in reversed(POSITIVE_GRADES)))
_TOLERANCE = 0.001  # percentage points: Moodle's 0.00001 of a fraction


def valid_grade(percent: object) -> float | None:
    """The listed grade `percent` stands for, or None when it is none of Moodle's grades."""
    if not isinstance(percent, int | float) or isinstance(percent, bool):
        return None
    if not math.isfinite(percent):
        return None
    return next((g for g in VALID_GRADES if abs(percent - g) < _TOLERANCE), None)


def grade_list(low: float = -100.0) -> str:
    """The grades from `low` up, as a message lists them."""
    return ", ".join(percent_text(g) for g in VALID_GRADES if g >= low)


def grade_problem(percent: object, low: float = -100.0) -> str | None:
    """Why `percent` cannot be a grade here (not listed, or below `low`); None when it can."""
    grade = valid_grade(percent)
    if grade is None or grade < low:
        shown = f"{percent:g}" if isinstance(percent, float) else repr(percent)
        return f"The grade {shown}% is not one of Moodle's grades ({grade_list(low)})."
    return None


def to_mark(percent: float) -> float:
    """A percent as a mark in [0, 1], rounded so that 3 x 33.33333% gives exactly 1."""
    return min(1.0, max(0.0, round(percent / 100, 5)))


def percent_text(percent: float) -> str:
    """A grade as the formats write it: "50", "33.33333", "-100"."""
    return f"{percent:.5f}".rstrip("0").rstrip(".")
