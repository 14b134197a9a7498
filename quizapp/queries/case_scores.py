"""Scores per clinical-judgment step, over the answers that count (domain/counting.py: tutor
practice at once, everything else once submitted), for the trainee home and the manager's
dashboard. One grouped query each, whatever the number of answers or trainees."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select

from quizapp.domain.case_steps import StepScore, step_scores_from_sums
from quizapp.domain.counting import PRACTICE, TUTOR
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    CaseAttemptItem,
    Response,
    Role,
    UnitMembership,
    User,
)


def _step_sums() -> Select:
    counted = or_(
        and_(Attempt.kind == PRACTICE, Attempt.mode == TUTOR),
        Attempt.status == AttemptStatus.SUBMITTED,
    )
    return (
        select(
            CaseAttemptItem.step,
            func.count(),
            func.sum(Response.mark),
            func.sum(AttemptItem.max_mark),
        )
        .join(AttemptItem, AttemptItem.id == CaseAttemptItem.attempt_item_id)
        .join(Response, Response.item_id == AttemptItem.id)
        .join(Attempt, Attempt.id == CaseAttemptItem.attempt_id)
        .where(Response.mark.is_not(None), counted)
        .group_by(CaseAttemptItem.step)
    )


def _scores(query: Select) -> list[StepScore]:
    return step_scores_from_sums(
        (step, int(n), float(marks or 0), float(top or 0))
        for step, n, marks, top in db.session.execute(query)
    )


def trainee_step_scores(user_id: int) -> list[StepScore]:
    """My counted answers to case items, per step (steps never answered left out)."""
    return _scores(_step_sums().where(Attempt.user_id == user_id))


def unit_step_scores(
    unit_id: int, start: datetime | None = None, end: datetime | None = None
) -> list[StepScore]:
    """The unit's active trainees' counted answers to case items, per step, in the range."""
    trainees = (
        select(User.id)
        .join(UnitMembership, UnitMembership.user_id == User.id)
        .where(
            UnitMembership.unit_id == unit_id,
            User.role == Role.TRAINEE,
            User.active.is_(True),
        )
        .scalar_subquery()
    )
    query = _step_sums().where(Attempt.user_id.in_(trainees))
    if start is not None:
        query = query.where(Response.answered_at >= start)
    if end is not None:
        query = query.where(Response.answered_at < end)
    return _scores(query)
