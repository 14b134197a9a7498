"""Managers' dashboard numbers, aggregated in SQL over the per-topic records and attempts.

Each function runs a fixed number of queries whatever the number of trainees or answers; the
rows it returns are the table a manager reads (trainees x topics at most).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Date, Select, and_, case, cast, func, literal_column, select

from quizapp.domain.competency import competency_status
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptStatus,
    Bank,
    Competency,
    Quiz,
    QuizAssignment,
    Role,
    Topic,
    TopicScore,
    Unit,
    UnitMembership,
    User,
)
from quizapp.services.errors import NotFound

BUCKETS = (("0-49%", 0, 50), ("50-79%", 50, 80), ("80-100%", 80, 101))


@dataclass(frozen=True)
class DashboardFilter:
    unit_id: int
    bank: str = ""
    start: datetime | None = None
    end: datetime | None = None


def managed_units(user: User) -> list[Unit]:
    query = select(Unit).order_by(Unit.name)
    if user.role is not Role.ADMIN:
        query = query.join(UnitMembership).where(
            UnitMembership.user_id == user.id, UnitMembership.is_manager.is_(True)
        )
    return list(db.session.scalars(query))


def unit_for_manager(user: User, unit_id: int) -> Unit:
    """The unit if this user manages it (admins manage all), else NotFound."""
    query = select(Unit).where(Unit.id == unit_id)
    if user.role is not Role.ADMIN:
        query = query.join(UnitMembership).where(
            UnitMembership.user_id == user.id, UnitMembership.is_manager.is_(True)
        )
    unit = db.session.scalar(query)
    if unit is None:
        raise NotFound("No such unit among the units you manage.")
    return unit


def _trainees(unit_id: int) -> Select:
    return (
        select(User.id, User.name, User.email)
        .join(UnitMembership, UnitMembership.user_id == User.id)
        .where(
            UnitMembership.unit_id == unit_id,
            User.role == Role.TRAINEE,
            User.active.is_(True),
        )
    )


def _topics(bank: str) -> Select:
    query = (
        select(Topic.id, Topic.key, Topic.title).join(Bank).order_by(Bank.position, Topic.position)
    )
    return query.where(Bank.key == bank) if bank else query


def trainees(f: DashboardFilter) -> list[tuple[int, str, str]]:
    return [tuple(r) for r in db.session.execute(_trainees(f.unit_id).order_by(User.name))]


def topics(f: DashboardFilter) -> list[tuple[int, str, str]]:
    return [tuple(r) for r in db.session.execute(_topics(f.bank))]


@dataclass(frozen=True)
class Cell:
    answered: int
    score: float  # percent over the last answers (the mastery window)
    mastered: bool


def heatmap(f: DashboardFilter) -> dict[tuple[int, int], Cell]:
    """(trainee id, topic id) -> their record; absent when they have not answered there."""
    trainee_ids = _trainees(f.unit_id).with_only_columns(User.id).scalar_subquery()
    topic_ids = _topics(f.bank).with_only_columns(Topic.id).scalar_subquery()
    rows = db.session.execute(
        select(
            TopicScore.user_id,
            TopicScore.topic_id,
            TopicScore.answered,
            TopicScore.recent_score,
            TopicScore.mastered,
        ).where(TopicScore.user_id.in_(trainee_ids), TopicScore.topic_id.in_(topic_ids))
    )
    return {(u, t): Cell(n, s, m) for u, t, n, s, m in rows}


@dataclass(frozen=True)
class TopicSummary:
    topic_id: int
    trainees: int  # trainees with answers in the topic
    average: float | None
    mastered: int
    buckets: tuple[int, ...]


def topic_summary(f: DashboardFilter) -> dict[int, TopicSummary]:
    # Driven from the unit's trainees (a few hundred rows) through the (user, topic) index, so
    # the cost follows the unit's size, not the number of trainees in the whole hospital.
    members = _trainees(f.unit_id).subquery()
    topic_ids = _topics(f.bank).with_only_columns(Topic.id).scalar_subquery()
    bucket_columns = [
        func.sum(
            case((and_(TopicScore.recent_score >= lo, TopicScore.recent_score < hi), 1), else_=0)
        )
        for _, lo, hi in BUCKETS
    ]
    rows = db.session.execute(
        select(
            TopicScore.topic_id,
            func.count(),
            func.avg(TopicScore.recent_score),
            func.sum(case((TopicScore.mastered.is_(True), 1), else_=0)),
            *bucket_columns,
        )
        .select_from(members)
        .join(TopicScore, TopicScore.user_id == members.c.id)
        .where(TopicScore.topic_id.in_(topic_ids), TopicScore.answered > 0)
        .group_by(TopicScore.topic_id)
    )
    return {
        row[0]: TopicSummary(
            row[0], row[1], row[2], int(row[3] or 0), tuple(int(b or 0) for b in row[4:])
        )
        for row in rows
    }


def _week_start(column):
    """Monday of the week, as a date, on SQLite and PostgreSQL."""
    if db.engine.dialect.name == "sqlite":
        return func.date(column, literal_column("'weekday 0'"), literal_column("'-6 days'"))
    return cast(func.date_trunc("week", column), Date)


def weekly_trend(f: DashboardFilter) -> list[tuple[date, int, float]]:
    """Per week: submitted attempts by the unit's trainees and their average percent."""
    trainee_ids = _trainees(f.unit_id).with_only_columns(User.id).scalar_subquery()
    week = _week_start(Attempt.submitted_at).label("week")
    query = (
        select(week, func.count(), func.avg(Attempt.percent))
        .where(Attempt.user_id.in_(trainee_ids), Attempt.status == AttemptStatus.SUBMITTED)
        .group_by(week)
        .order_by(week)
    )
    if f.start:
        query = query.where(Attempt.submitted_at >= f.start)
    if f.end:
        query = query.where(Attempt.submitted_at < f.end)
    result = []
    for week_value, count, average in db.session.execute(query):
        day = week_value if isinstance(week_value, date) else date.fromisoformat(str(week_value))
        result.append((day, int(count), float(average or 0.0)))
    return result


@dataclass(frozen=True)
class ComplianceRow:
    user_id: int
    quiz_id: int
    status: str  # not started, in progress, passed, failed, overdue
    attempts: int
    best: float | None


def assigned_quizzes(f: DashboardFilter) -> list[tuple[Quiz, datetime | None]]:
    rows = db.session.execute(
        select(Quiz, QuizAssignment.due_at)
        .join(QuizAssignment, QuizAssignment.quiz_id == Quiz.id)
        .where(QuizAssignment.unit_id == f.unit_id)
        .order_by(QuizAssignment.due_at, Quiz.id)
    )
    return [(quiz, due) for quiz, due in rows]


def compliance(
    f: DashboardFilter,
    now: datetime,
    assigned: list[tuple[Quiz, datetime | None]],
    people: list[tuple[int, str, str]],
) -> dict[tuple[int, int], ComplianceRow]:
    """Status of each trainee in each assigned quiz (`assigned` and `people` as the caller
    already has them from assigned_quizzes() and trainees())."""
    quizzes = {quiz.id: due for quiz, due in assigned}
    trainee_ids = [t[0] for t in people]
    if not quizzes or not trainee_ids:
        return {}
    rows = db.session.execute(
        select(
            Attempt.user_id,
            Attempt.quiz_id,
            func.count(),
            func.max(case((Attempt.passed.is_(True), 1), else_=0)),
            func.max(case((Attempt.status == AttemptStatus.IN_PROGRESS, 1), else_=0)),
            func.max(Attempt.percent),
        )
        .where(Attempt.user_id.in_(trainee_ids), Attempt.quiz_id.in_(list(quizzes)))
        .group_by(Attempt.user_id, Attempt.quiz_id)
    )
    stats = {(u, q): (n, passed, running, best) for u, q, n, passed, running, best in rows}
    result = {}
    for user_id in trainee_ids:
        for quiz_id, due in quizzes.items():
            n, passed, running, best = stats.get((user_id, quiz_id), (0, 0, 0, None))
            if passed:
                status = "passed"
            elif running:
                status = "in progress"
            elif due is not None and due < now:
                status = "overdue"
            elif n:
                status = "failed"
            else:
                status = "not started"
            result[(user_id, quiz_id)] = ComplianceRow(user_id, quiz_id, status, int(n), best)
    return result


def competencies(f: DashboardFilter, now: datetime) -> dict[tuple[int, int], tuple[str, datetime]]:
    """(trainee, topic) -> (valid | expiring | expired, the latest expiry)."""
    trainee_ids = _trainees(f.unit_id).with_only_columns(User.id).scalar_subquery()
    topic_ids = _topics(f.bank).with_only_columns(Topic.id).scalar_subquery()
    rows = db.session.execute(
        select(Competency.user_id, Competency.topic_id, func.max(Competency.expires_at))
        .where(Competency.user_id.in_(trainee_ids), Competency.topic_id.in_(topic_ids))
        .group_by(Competency.user_id, Competency.topic_id)
    )
    result = {}
    for user_id, topic_id, expires in rows:
        if expires is not None and expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        result[(user_id, topic_id)] = (competency_status(expires, now), expires)
    return result


def trainee_in_unit(f: DashboardFilter, user_id: int) -> User:
    found = db.session.scalar(
        select(User).where(
            User.id.in_(_trainees(f.unit_id).with_only_columns(User.id)), User.id == user_id
        )
    )
    if found is None:
        raise NotFound("No such trainee in this unit.")
    return found
