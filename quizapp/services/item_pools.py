"""Secure item pools: which questions practice must not draw, and the instructor's switches.

Practice in tutor mode shows each answer at once, and a practice review shows them all, so a
question an instructor keeps for quizzes (the question or its whole topic marked exam-only),
or one in a quiz attempt the trainee has open, must never reach practice.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select

from quizapp.database import unit_of_work
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    QuestionEntry,
    QuestionVersion,
    Topic,
)
from quizapp.services import audit
from quizapp.services.errors import NotFound


def examined_entries(user_id: int, *, besides: int | None = None) -> set[int]:
    """Entry ids of the questions in the user's open assigned-quiz attempts (but `besides`)."""
    query = (
        select(QuestionVersion.entry_id)
        .join(AttemptItem, AttemptItem.version_id == QuestionVersion.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Attempt.user_id == user_id,
            Attempt.quiz_id.is_not(None),
            Attempt.status == AttemptStatus.IN_PROGRESS,
        )
    )
    if besides is not None:
        query = query.where(Attempt.id != besides)
    return set(db.session.scalars(query))


def set_question_exam_only(entry_id: int, exam_only: bool, actor_id: int | None) -> QuestionEntry:
    entry = _set_exam_only(QuestionEntry, entry_id, exam_only, actor_id, "question", "uid")
    assert isinstance(entry, QuestionEntry)
    return entry


def set_topic_exam_only(topic_id: int, exam_only: bool, actor_id: int | None) -> Topic:
    topic = _set_exam_only(Topic, topic_id, exam_only, actor_id, "topic", "key")
    assert isinstance(topic, Topic)
    return topic


_Pooled = TypeVar("_Pooled", QuestionEntry, Topic)


def _set_exam_only(
    model: type[_Pooled],
    object_id: int,
    exam_only: bool,
    actor_id: int | None,
    kind: str,
    key_field: str,
) -> _Pooled:
    """Mark a question or a whole topic exam-only (or not), with its audit row, in one unit."""
    with unit_of_work():
        row = db.session.get(model, object_id)
        if row is None:
            raise NotFound(f"No such {kind}.")
        row.exam_only = exam_only
        audit.record(
            f"{kind}.pool",
            actor_id=actor_id,
            object_type=kind,
            object_key=getattr(row, key_field),
            exam_only=exam_only,
        )
        return row
