"""The weekly digest to each manager: per unit they manage, trainees overdue, competencies
expiring within REMINDER_EXPIRY_DAYS, and attempts failed in the last 7 days. One message per
manager per ISO week (the key), whichever day the job first runs in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, select

from quizapp.database import unit_of_work
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptStatus,
    Competency,
    QuizAssignment,
    ReminderOptOut,
    Unit,
    UnitMembership,
    User,
    utcnow,
)
from quizapp.services.outbox import link, queue


@dataclass(frozen=True)
class UnitNews:
    name: str
    overdue: int
    expiring: int
    failed: int


def queue_digests(now: datetime | None = None) -> int:
    now = now or utcnow()
    year, week, _ = now.isocalendar()
    with unit_of_work():
        managers = db.session.execute(
            select(User, Unit)
            .join(UnitMembership, UnitMembership.user_id == User.id)
            .join(Unit, Unit.id == UnitMembership.unit_id)
            .where(
                UnitMembership.is_manager.is_(True),
                User.active.is_(True),
                ~select(ReminderOptOut.user_id).where(ReminderOptOut.user_id == User.id).exists(),
            )
            .order_by(User.id, Unit.name)
        ).all()
        units: dict[int, tuple[User, list[UnitNews]]] = {}
        news: dict[int, UnitNews] = {}
        for user, unit in managers:
            if unit.id not in news:
                news[unit.id] = _unit_news(unit, now)
            units.setdefault(user.id, (user, []))[1].append(news[unit.id])
        queued = 0
        for user, unit_news in units.values():
            queued += queue(
                f"digest:user{user.id}:{year}-W{week:02d}",
                "digest",
                user.email,
                f"Your units, week {week}",
                user_id=user.id,
                link=link("/manage/"),
                name=user.name,
                units=unit_news,
                days=current_app.config["REMINDER_EXPIRY_DAYS"],
            )
        return queued


def _members(unit_id: int) -> Select[Any]:
    return select(UnitMembership.user_id).where(
        UnitMembership.unit_id == unit_id, UnitMembership.is_manager.is_(False)
    )


def _unit_news(unit: Unit, now: datetime) -> UnitNews:
    members = _members(unit.id)
    passed = (
        select(Attempt.id)
        .where(
            Attempt.user_id == UnitMembership.user_id,
            Attempt.quiz_id == QuizAssignment.quiz_id,
            Attempt.status == AttemptStatus.SUBMITTED,
            Attempt.passed.is_(True),
        )
        .exists()
    )
    overdue = db.session.scalar(
        select(func.count())
        .select_from(QuizAssignment)
        .join(UnitMembership, UnitMembership.unit_id == QuizAssignment.unit_id)
        .where(
            QuizAssignment.unit_id == unit.id,
            UnitMembership.is_manager.is_(False),
            QuizAssignment.due_at < now,
            ~passed,
        )
    )
    days = int(current_app.config["REMINDER_EXPIRY_DAYS"])
    pairs = (
        select(Competency.user_id, Competency.topic_id)
        .where(
            Competency.user_id.in_(members),
            Competency.expires_at > now,
            Competency.expires_at <= now + timedelta(days=days),
        )
        .distinct()
        .subquery()
    )
    expiring = db.session.scalar(select(func.count()).select_from(pairs))
    failed = db.session.scalar(
        select(func.count()).where(
            Attempt.user_id.in_(members),
            Attempt.status == AttemptStatus.SUBMITTED,
            Attempt.passed.is_(False),
            Attempt.submitted_at > now - timedelta(days=7),
        )
    )
    return UnitNews(unit.name, overdue or 0, expiring or 0, failed or 0)
