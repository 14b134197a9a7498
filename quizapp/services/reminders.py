"""Reminders queued in the outbox: quiz due in N days (REMINDER_DUE_DAYS) and overdue,
competency expiring in N days (REMINDER_EXPIRY_DAYS) and expired, and managers' weekly digest.

Each message's key names its occasion ("due:quiz42:user7:2026-12-05"), so the job may run as
often as it likes: a reminder is queued once. Nobody who opted out (account page) gets one,
nor about a quiz whose reminders are off, archived, closed or unpublished, nor about a quiz the
trainee has passed. Overdue and expired reminders look back LOOKBACK_DAYS only, so switching
e-mail on does not send years of old news.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, exists, or_, select

from quizapp.database import require_unit_of_work, unit_of_work
from quizapp.domain.local_time import format_date, get_zone
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptStatus,
    Competency,
    Quiz,
    QuizAssignment,
    ReminderOptOut,
    Role,
    Topic,
    UnitMembership,
    User,
    utcnow,
)
from quizapp.services.outbox import link, queue

LOOKBACK_DAYS = 14


def wants_reminders() -> Any:
    """A WHERE clause on User: active and not opted out."""
    return and_(
        User.active.is_(True),
        ~exists().where(ReminderOptOut.user_id == User.id),
    )


def quiz_reminds(now: datetime) -> Any:
    return and_(
        Quiz.reminders.is_(True),
        Quiz.published.is_(True),
        Quiz.archived_at.is_(None),
        or_(Quiz.close_at.is_(None), Quiz.close_at > now),
    )


def _passed() -> Any:
    return exists().where(
        Attempt.user_id == User.id,
        Attempt.quiz_id == Quiz.id,
        Attempt.status == AttemptStatus.SUBMITTED,
        Attempt.passed.is_(True),
    )


def _date(user: Any, value: datetime) -> str:
    zone = get_zone(user.time_zone or current_app.config["TIMEZONE"])
    return format_date(value, zone)


def queue_reminders(now: datetime | None = None) -> int:
    """Queue every reminder due now (one transaction); how many new messages."""
    now = now or utcnow()
    with unit_of_work():
        return _quiz_reminders(now) + _competency_reminders(now)


def _quiz_reminders(now: datetime) -> int:
    days = int(current_app.config["REMINDER_DUE_DAYS"])
    rows = db.session.execute(
        select(QuizAssignment.due_at, Quiz.id, Quiz.title, User)
        .join(Quiz, Quiz.id == QuizAssignment.quiz_id)
        .join(UnitMembership, UnitMembership.unit_id == QuizAssignment.unit_id)
        .join(User, User.id == UnitMembership.user_id)
        .where(
            QuizAssignment.due_at.is_not(None),
            QuizAssignment.due_at > now - timedelta(days=LOOKBACK_DAYS),
            QuizAssignment.due_at <= now + timedelta(days=days),
            User.role == Role.TRAINEE,
            wants_reminders(),
            quiz_reminds(now),
            ~_passed(),
        )
    ).all()
    queued = 0
    for due_at, quiz_id, title, user in rows:
        assert due_at is not None  # the query's condition
        overdue = due_at <= now
        kind = "overdue" if overdue else "due"
        when = _date(user, due_at)
        text = (
            f"The quiz “{title}” was due on {when}. Please take it as soon as you can."
            if overdue
            else f"The quiz “{title}” is due on {when}."
        )
        queued += queue(
            f"{kind}:quiz{quiz_id}:user{user.id}:{due_at.date().isoformat()}",
            "reminder",
            user.email,
            f"Overdue: {title}" if overdue else f"Due {when}: {title}",
            user_id=user.id,
            link=link("/"),
            name=user.name,
            text=text,
        )
    return queued


def _competency_reminders(now: datetime) -> int:
    days = int(current_app.config["REMINDER_EXPIRY_DAYS"])
    newer = Competency.__table__.alias("newer")
    rows = db.session.execute(
        select(Competency.topic_id, Competency.expires_at, Topic.title, User)
        .join(Topic, Topic.id == Competency.topic_id)
        .join(User, User.id == Competency.user_id)
        .outerjoin(Quiz, Quiz.id == Competency.quiz_id)
        .where(
            Competency.expires_at > now - timedelta(days=LOOKBACK_DAYS),
            Competency.expires_at <= now + timedelta(days=days),
            or_(Competency.quiz_id.is_(None), Quiz.reminders.is_(True)),
            wants_reminders(),
            ~exists().where(
                newer.c.user_id == Competency.user_id,
                newer.c.topic_id == Competency.topic_id,
                newer.c.expires_at > Competency.expires_at,
            ),
        )
    ).all()
    queued = 0
    for topic_id, expires_at, topic, user in rows:
        expired = expires_at <= now
        kind = "expired" if expired else "expiring"
        when = _date(user, expires_at)
        text = (
            f"Your competency in {topic} expired on {when}. Take the check again to renew it."
            if expired
            else f"Your competency in {topic} expires on {when}. Take the check again to renew it."
        )
        queued += queue(
            f"{kind}:user{user.id}:topic{topic_id}:{expires_at.date().isoformat()}",
            "reminder",
            user.email,
            f"Competency expired: {topic}" if expired else f"Competency expiring: {topic}",
            user_id=user.id,
            link=link("/"),
            name=user.name,
            text=text,
        )
    return queued


def queue_assignment_made(assignment: QuizAssignment) -> int:
    """Tell the unit's trainees about a new assignment, in the assigning unit of work."""
    require_unit_of_work("queue_assignment_made")
    now = utcnow()
    rows = db.session.execute(
        select(Quiz.title, User)
        .select_from(Quiz)
        .join(UnitMembership, UnitMembership.unit_id == assignment.unit_id)
        .join(User, User.id == UnitMembership.user_id)
        .where(Quiz.id == assignment.quiz_id, User.role == Role.TRAINEE, wants_reminders())
        .where(quiz_reminds(now))
    ).all()
    queued = 0
    for title, user in rows:
        due = f" It is due on {_date(user, assignment.due_at)}." if assignment.due_at else ""
        queued += queue(
            f"assigned:quiz{assignment.quiz_id}:unit{assignment.unit_id}:user{user.id}",
            "reminder",
            user.email,
            f"New quiz: {title}",
            user_id=user.id,
            link=link("/"),
            name=user.name,
            text=f"The quiz “{title}” has been assigned to you.{due}",
        )
    return queued
