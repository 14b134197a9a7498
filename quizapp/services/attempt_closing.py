"""Closing attempts: scoring one exactly once (`finalize`), and submitting those whose time is
up (`close_overdue`).

Only the call whose guarded UPDATE flips the status from in progress scores the attempt and
counts its answers, in the caller's unit of work, so a double submit, a submit racing the
overdue command, or a stale practice closed while the trainee answers, counts nothing twice.
Tutor practice counted each answer when it was checked (`domain.counting`), so `finalize`
scores it but counts none of its answers again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from quizapp.arrival import deadline_grace
from quizapp.database import matched_rows, require_unit_of_work, unit_of_work
from quizapp.domain.competency import DEFAULT_VALIDITY_MONTHS, add_months
from quizapp.domain.counting import counts_per_answer
from quizapp.domain.results import ItemMark, attempt_result
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, AttemptStatus, Competency, Quiz, utcnow
from quizapp.services.item_sums import MarkedItem, record_submission
from quizapp.services.topic_scores import record_attempt


def finalize(attempt: Attempt, now: datetime, *, auto: bool, seen_seq: int | None = None) -> bool:
    """Score the attempt and update per-topic records, if this call is the one that closes it.

    Runs inside the caller's unit of work; returns False when someone else closed it first
    (or, given `seen_seq`, when an answer was accepted since the caller looked at it).
    """
    require_unit_of_work("finalize")
    guard = [Attempt.id == attempt.id, Attempt.status == AttemptStatus.IN_PROGRESS]
    if seen_seq is not None:
        guard.append(Attempt.seq == seen_seq)
    flipped = matched_rows(
        update(Attempt)
        .where(*guard)
        .values(status=AttemptStatus.SUBMITTED, submitted_at=now, auto_submitted=auto)
        .execution_options(synchronize_session=False)
    )
    if flipped != 1:
        return False
    db.session.refresh(attempt)
    items = db.session.scalars(
        select(AttemptItem)
        .where(AttemptItem.attempt_id == attempt.id)
        .order_by(AttemptItem.position)
        .options(selectinload(AttemptItem.response))
    ).all()
    pass_mark = attempt.settings.get("pass_mark")
    result = attempt_result(
        [ItemMark(i.topic_id, i.response.mark if i.response else None, i.max_mark) for i in items],
        pass_mark,
    )
    attempt.score = result.score
    attempt.max_score = result.max_score
    attempt.percent = result.percent
    attempt.passed = result.passed
    if not counts_per_answer(attempt.kind, attempt.mode):
        record_attempt(
            attempt.user_id,
            [
                (i.topic_id, i.response.mark)
                for i in items
                if i.response and i.response.mark is not None
            ],
        )
    if attempt.quiz_id is not None:
        record_submission(
            attempt.quiz_id, [_marked(i) for i in items], quiz_version=attempt.quiz_version or 1
        )
    if result.passed and attempt.quiz_id is not None:
        _record_competencies(attempt, {i.topic_id for i in items if i.topic_id is not None}, now)
    return True


def _marked(item: AttemptItem) -> MarkedItem:
    response = item.response
    return MarkedItem(
        item.position,
        item.version_id,
        response.mark or 0.0 if response else 0.0,
        item.max_mark,
        response.answer if response else None,
    )


def _record_competencies(attempt: Attempt, topic_ids: set[int], now: datetime) -> None:
    quiz = db.session.get(Quiz, attempt.quiz_id)
    if quiz is None or not quiz.is_competency:
        return
    expires = add_months(now, quiz.validity_months or DEFAULT_VALIDITY_MONTHS)
    for topic_id in sorted(topic_ids):
        db.session.add(
            Competency(
                user_id=attempt.user_id,
                topic_id=topic_id,
                quiz_id=quiz.id,
                attempt_id=attempt.id,
                achieved_at=now,
                expires_at=expires,
            )
        )


def close_overdue(now: datetime | None = None) -> int:
    """Submit every attempt whose time is up, with the answers it has. Returns how many."""
    now = now or utcnow()
    closed = 0
    ids = db.session.scalars(
        select(Attempt.id).where(
            Attempt.status == AttemptStatus.IN_PROGRESS,
            Attempt.deadline_at.is_not(None),
            Attempt.deadline_at <= now - timedelta(seconds=deadline_grace()),
        )
    ).all()
    for attempt_id in ids:
        with unit_of_work():
            attempt = db.session.get(Attempt, attempt_id)
            if attempt is not None and finalize(attempt, now, auto=True):
                closed += 1
    return closed
