"""Which assigned quizzes a trainee has, and whether they may start one now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptStatus,
    Quiz,
    QuizAssignment,
    UnitMembership,
    User,
    utcnow,
)
from quizapp.services.errors import NotFound


@dataclass
class QuizView:
    quiz: Quiz
    due_at: datetime | None
    attempts_used: int
    in_progress: Attempt | None
    best_percent: float | None
    last_percent: float | None
    passed: bool
    can_start: bool
    reason: str

    @property
    def grade_percent(self) -> float | None:
        return self.last_percent if self.quiz.grading == "last" else self.best_percent

    def status(self, now: datetime) -> str:
        if self.passed:
            return "passed"
        if self.in_progress is not None:
            return "in progress"
        if self.attempts_used:
            return "failed" if self.quiz.pass_mark else "done"
        if self.due_at is not None and self.due_at < now:
            return "overdue"
        return "not started"


def _assigned(user: User, quiz_id: int | None = None) -> list[tuple[Quiz, datetime | None]]:
    units = select(UnitMembership.unit_id).where(UnitMembership.user_id == user.id)
    query = (
        select(Quiz, func.min(QuizAssignment.due_at))
        .join(QuizAssignment, QuizAssignment.quiz_id == Quiz.id)
        .where(
            QuizAssignment.unit_id.in_(units),
            Quiz.published.is_(True),
            Quiz.archived_at.is_(None),  # archived: kept for the records, gone for trainees
        )
        .group_by(Quiz.id)
        .order_by(func.min(QuizAssignment.due_at), Quiz.id)
    )
    if quiz_id is not None:
        query = query.where(Quiz.id == quiz_id)
    return [(quiz, due) for quiz, due in db.session.execute(query)]


def assigned_quizzes(user: User, now: datetime | None = None) -> list[QuizView]:
    """Every quiz assigned to one of the user's units, with their standing. Two queries."""
    now = now or utcnow()
    assigned = _assigned(user)
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user.id, Attempt.quiz_id.in_([q.id for q, _ in assigned]))
        .order_by(Attempt.number)
    ).all()
    by_quiz: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        by_quiz.setdefault(attempt.quiz_id or 0, []).append(attempt)
    return [_view(quiz, due, by_quiz.get(quiz.id, []), now) for quiz, due in assigned]


def quiz_for_trainee(user: User, quiz_id: int, now: datetime | None = None) -> QuizView:
    """The quiz as this trainee sees it; NotFound when it is not assigned to them."""
    now = now or utcnow()
    assigned = _assigned(user, quiz_id)
    if not assigned:
        raise NotFound("No such quiz is assigned to you.")
    quiz, due = assigned[0]
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user.id, Attempt.quiz_id == quiz.id)
        .order_by(Attempt.number)
    ).all()
    return _view(quiz, due, list(attempts), now)


def _view(quiz: Quiz, due: datetime | None, attempts: list[Attempt], now: datetime) -> QuizView:
    done = [a for a in attempts if a.status is AttemptStatus.SUBMITTED]
    in_progress = next((a for a in attempts if a.status is AttemptStatus.IN_PROGRESS), None)
    percents = [a.percent for a in done if a.percent is not None]
    can_start, reason = True, ""
    if quiz.open_at is not None and now < quiz.open_at:
        can_start, reason = False, "This quiz is not open yet."
    elif quiz.close_at is not None and now >= quiz.close_at:
        can_start, reason = False, "This quiz has closed."
    elif quiz.attempts_allowed is not None and len(attempts) >= quiz.attempts_allowed:
        can_start, reason = False, "You have used all the attempts this quiz allows."
    return QuizView(
        quiz=quiz,
        due_at=due,
        attempts_used=len(attempts),
        in_progress=in_progress,
        best_percent=max(percents) if percents else None,
        last_percent=percents[-1] if percents else None,
        passed=any(a.passed for a in done),
        can_start=can_start and in_progress is None,
        reason=reason,
    )
