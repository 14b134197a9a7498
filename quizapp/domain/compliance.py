"""Where a trainee stands with an assigned quiz, as of a moment (now, or the end of the range a
manager is looking at). Pure: the caller counts the attempts.

The states, first match wins:
- passed: an attempt passed (whatever the due date);
- failed, no attempts left: every allowed attempt is used and none passed (nothing more can be
  done, so this outranks overdue);
- overdue: the due date has passed and the quiz is not passed (an attempt may be running);
- in progress: an attempt is running, the due date is ahead (or there is none);
- attempts left: attempts were submitted, none passed, and more are allowed;
- not started: no attempt yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PASSED = "passed"
NO_ATTEMPTS_LEFT = "failed, no attempts left"
OVERDUE = "overdue"
IN_PROGRESS = "in progress"
ATTEMPTS_LEFT = "attempts left"
NOT_STARTED = "not started"

STATES = (PASSED, NO_ATTEMPTS_LEFT, OVERDUE, IN_PROGRESS, ATTEMPTS_LEFT, NOT_STARTED)


@dataclass(frozen=True)
class Standing:
    state: str
    detail: str  # the attempts in words, e.g. "1 of 2 attempts used"

    @property
    def css(self) -> str:
        return {NO_ATTEMPTS_LEFT: "failed", ATTEMPTS_LEFT: "attempts-left"}.get(
            self.state, self.state.replace(" ", "-")
        )


def _attempts_words(used: int, allowed: int | None) -> str:
    if allowed is None:
        return f"{used} attempt{'s' if used != 1 else ''} used (no limit)"
    return f"{used} of {allowed} attempt{'s' if allowed != 1 else ''} used"


def standing(
    *,
    used: int,
    allowed: int | None,
    passed: bool,
    running: bool,
    due_at: datetime | None,
    as_of: datetime,
) -> Standing:
    """`used`: attempts started before `as_of`; `allowed`: None for no limit; `passed`: one
    was submitted and passed before `as_of`; `running`: one was in progress at `as_of`."""
    words = _attempts_words(used, allowed)
    if passed:
        state = PASSED
    elif allowed is not None and used >= allowed and not running:
        state = NO_ATTEMPTS_LEFT
    elif due_at is not None and due_at <= as_of:
        state = OVERDUE
    elif running:
        state = IN_PROGRESS
    elif used:
        state = ATTEMPTS_LEFT
    else:
        state = NOT_STARTED
    return Standing(state, words)
