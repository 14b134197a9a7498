"""Managers' dashboard numbers, aggregated in SQL over the per-topic records and attempts.

Each function runs a fixed number of queries whatever the number of trainees or answers; the
rows it returns are the table a manager reads (trainees x topics at most).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Date, Select, and_, case, cast, func, literal_column, or_, select

from quizapp.domain.counting import PRACTICE, TUTOR
from quizapp.domain.mastery import MINIMUM_ANSWERS, THRESHOLD, WINDOW
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    Bank,
    Response,
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
    answered: int  # answers the score rests on (in the range, when there is one)
    score: float  # percent over the last answers (the mastery window)
    mastered: bool


def _mastered(window_count: int, score: float) -> bool:
    return window_count >= MINIMUM_ANSWERS and score >= THRESHOLD - 1e-9


def heatmap(f: DashboardFilter) -> dict[tuple[int, int], Cell]:
    """(trainee id, topic id) -> their record; absent when they have no answer there. With a
    date range, from the answers given in it (one query either way)."""
    if f.start is not None or f.end is not None:
        return _heatmap_in_range(f)
    trainee_ids = _trainees(f.unit_id).with_only_columns(User.id).scalar_subquery()
    topic_ids = _topics(f.bank).with_only_columns(Topic.id).scalar_subquery()
    rows = db.session.execute(
        select(
            TopicScore.user_id,
            TopicScore.topic_id,
            TopicScore.answered,
            TopicScore.recent_score,
            TopicScore.mastered,
        ).where(
            TopicScore.user_id.in_(trainee_ids),
            TopicScore.topic_id.in_(topic_ids),
            TopicScore.answered > 0,
        )
    )
    return {(u, t): Cell(n, s, m) for u, t, n, s, m in rows}


def _counted_answers(f: DashboardFilter) -> Select:
    """The marked answers of the unit's trainees in the range that count towards their topic
    records (domain/counting.py: tutor practice at once, everything else once submitted)."""
    trainee_ids = _trainees(f.unit_id).with_only_columns(User.id).scalar_subquery()
    topic_ids = _topics(f.bank).with_only_columns(Topic.id).scalar_subquery()
    counted = or_(
        and_(Attempt.kind == PRACTICE, Attempt.mode == TUTOR),
        Attempt.status == AttemptStatus.SUBMITTED,
    )
    query = (
        select(
            Attempt.user_id.label("user_id"),
            AttemptItem.topic_id.label("topic_id"),
            Response.mark.label("mark"),
            func.row_number()
            .over(
                partition_by=(Attempt.user_id, AttemptItem.topic_id),
                order_by=(Response.answered_at.desc(), Response.id.desc()),
            )
            .label("newest"),
        )
        .join(AttemptItem, AttemptItem.id == Response.item_id)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(
            Attempt.user_id.in_(trainee_ids),
            AttemptItem.topic_id.in_(topic_ids),
            Response.mark.is_not(None),
            counted,
        )
    )
    if f.start is not None:
        query = query.where(Response.answered_at >= f.start)
    if f.end is not None:
        query = query.where(Response.answered_at < f.end)
    return query


def _heatmap_in_range(f: DashboardFilter) -> dict[tuple[int, int], Cell]:
    ranked = _counted_answers(f).subquery()
    in_window = ranked.c.newest <= WINDOW
    rows = db.session.execute(
        select(
            ranked.c.user_id,
            ranked.c.topic_id,
            func.count(),
            func.sum(case((in_window, ranked.c.mark), else_=0.0)),
            func.sum(case((in_window, 1), else_=0)),
        ).group_by(ranked.c.user_id, ranked.c.topic_id)
    )
    cells = {}
    for user_id, topic_id, answered, marks, window in rows:
        score = 100.0 * float(marks or 0.0) / int(window) if window else 0.0
        cells[(user_id, topic_id)] = Cell(int(answered), score, _mastered(int(window), score))
    return cells


@dataclass(frozen=True)
class TopicSummary:
    topic_id: int
    trainees: int  # trainees with answers in the topic
    average: float | None
    mastered: int
    buckets: tuple[int, ...]


def topic_summary(cells: dict[tuple[int, int], Cell]) -> dict[int, TopicSummary]:
    """Per topic, over the trainees with answers there (the heatmap's cells: no query); a topic
    nobody answered has no entry."""
    by_topic: dict[int, list[Cell]] = {}
    for (_user_id, topic_id), cell in cells.items():
        if cell.answered > 0:
            by_topic.setdefault(topic_id, []).append(cell)
    return {
        topic_id: TopicSummary(
            topic_id,
            len(found),
            sum(c.score for c in found) / len(found),
            sum(1 for c in found if c.mastered),
            tuple(sum(1 for c in found if lo <= c.score < hi) for _, lo, hi in BUCKETS),
        )
        for topic_id, found in by_topic.items()
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


def trainee_in_unit(f: DashboardFilter, user_id: int) -> User:
    found = db.session.scalar(
        select(User).where(
            User.id.in_(_trainees(f.unit_id).with_only_columns(User.id)), User.id == user_id
        )
    )
    if found is None:
        raise NotFound("No such trainee in this unit.")
    return found


def attempt_in_unit(f: DashboardFilter, attempt_id: int) -> Attempt:
    """An attempt by one of the unit's trainees, else NotFound (the caller has checked that
    the unit is the manager's)."""
    found = db.session.scalar(
        select(Attempt).where(
            Attempt.id == attempt_id,
            Attempt.user_id.in_(_trainees(f.unit_id).with_only_columns(User.id)),
        )
    )
    if found is None:
        raise NotFound("No such attempt by a trainee of this unit.")
    return found
