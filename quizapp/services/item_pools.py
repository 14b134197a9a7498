"""Secure item pools: which questions practice must not draw, and the instructor's switches.

Practice in tutor mode shows each answer at once, and a practice review shows them all, so a
question an instructor keeps for quizzes (the question or its whole topic marked exam-only),
or one in a quiz attempt the trainee has open, must never reach practice.
"""

from __future__ import annotations

from sqlalchemy import select

from quizapp.database import begin_write
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
    begin_write()
    entry = db.session.get(QuestionEntry, entry_id)
    if entry is None:
        db.session.rollback()
        raise NotFound("No such question.")
    entry.exam_only = exam_only
    audit.record(
        "question.pool",
        actor_id=actor_id,
        object_type="question",
        object_key=entry.uid,
        exam_only=exam_only,
    )
    db.session.commit()
    return entry


def set_topic_exam_only(topic_id: int, exam_only: bool, actor_id: int | None) -> Topic:
    begin_write()
    topic = db.session.get(Topic, topic_id)
    if topic is None:
        db.session.rollback()
        raise NotFound("No such topic.")
    topic.exam_only = exam_only
    audit.record(
        "topic.pool",
        actor_id=actor_id,
        object_type="topic",
        object_key=topic.key,
        exam_only=exam_only,
    )
    db.session.commit()
    return topic
