"""When an attempt's answers count towards the trainee's per-topic records, and what may be
done with an unfinished practice.

Tutor practice counts each answer as it is checked (the trainee has just seen whether it was
right, so `/me` should say so at once); exam-mode practice and every assigned quiz count all
their answers once, at submission. So an attempt's answers are counted exactly once either
way: by `save_answer` for tutor practice, by `finalize` for the rest.
"""

from __future__ import annotations

from datetime import datetime, timedelta

PRACTICE = "practice"
TUTOR = "tutor"
DEFAULT_PRACTICE_IDLE_HOURS = 24.0


def counts_per_answer(kind: str, mode: str) -> bool:
    """True when each accepted answer is counted at once (tutor practice), False when the
    attempt's answers are counted together at submission."""
    return kind == PRACTICE and mode == TUTOR


def discard_refusal(kind: str, in_progress: bool) -> str | None:
    """Why this attempt may not be discarded, or None when it may (unfinished practice)."""
    if kind != PRACTICE:
        return (
            "An assigned quiz cannot be discarded: your instructor sees every attempt at it. "
            "Carry on with it, or submit it when you are ready."
        )
    if not in_progress:
        return "This practice has already ended, so there is nothing to discard."
    return None


def idle_since(started_at: datetime, last_answer_at: datetime | None) -> datetime:
    """When a practice attempt was last used: its last answer, or its start when none."""
    return last_answer_at if last_answer_at is not None else started_at


def is_stale(
    started_at: datetime, last_answer_at: datetime | None, now: datetime, hours: float
) -> bool:
    """Left untouched for longer than `hours` (then it closes itself)."""
    return now - idle_since(started_at, last_answer_at) > timedelta(hours=hours)
