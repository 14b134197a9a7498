"""Test oracle: every trainee's per-topic record recomputed from the raw rows (attempts,
attempt_items, responses), written from the rules as the issue states them, not from
production code (no quizapp.domain or quizapp.services import).

Rules (issue 16):
- tutor practice: each answer counts when it is given, whatever becomes of the attempt later
  (ended, discarded, closed as stale);
- every other attempt (exam-mode practice, assigned quizzes in either mode): its answers count
  once, when it is submitted (by the trainee, by the overdue command, or as stale practice);
  a discarded or unfinished one counts nothing;
- an attempt's answers counted at submission go in question order; the record keeps the count,
  the sum of marks and the last 20 marks in the order they were counted; "mastered" is 80% or
  more over those last 20 with at least 10 of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RawAnswer:
    user_id: int
    attempt_id: int
    kind: str  # practice | assigned
    mode: str  # tutor | exam
    status: str  # in_progress | submitted | discarded
    submitted_at: datetime | None
    topic_id: int | None
    position: int
    mark: float | None
    answered_at: datetime


@dataclass(frozen=True)
class ExpectedRecord:
    answered: int
    marks: float
    recent: list[float]
    recent_score: float
    mastered: bool


def _counting_event(a: RawAnswer) -> tuple[datetime, int, int] | None:
    """When the answer was counted (time, then attempt and position to order ties), or None."""
    if a.kind == "practice" and a.mode == "tutor":
        return (a.answered_at, a.attempt_id, a.position)
    if a.status == "submitted" and a.submitted_at is not None:
        return (a.submitted_at, a.attempt_id, a.position)
    return None


def expected_records(answers: Iterable[RawAnswer]) -> dict[tuple[int, int], ExpectedRecord]:
    """(user id, topic id) -> the record those answers make."""
    counted: dict[tuple[int, int], list[tuple[tuple[datetime, int, int], float]]] = {}
    for a in answers:
        event = _counting_event(a)
        if event is None or a.topic_id is None or a.mark is None:
            continue
        counted.setdefault((a.user_id, a.topic_id), []).append((event, a.mark))
    result = {}
    for key, events in counted.items():
        marks = [mark for _, mark in sorted(events, key=lambda e: e[0])]
        recent = marks[-20:]
        recent_score = 100.0 * math.fsum(recent) / len(recent)
        result[key] = ExpectedRecord(
            answered=len(marks),
            marks=math.fsum(marks),
            recent=recent,
            recent_score=recent_score,
            mastered=len(recent) >= 10 and recent_score >= 80.0 - 1e-9,
        )
    return result
