"""Managers' dashboard: where each trainee stands with the unit's assigned quizzes and their
competency quizzes, as of a moment (now, or the end of the range being looked at).

A fixed number of queries whatever the number of trainees or attempts; the states and the
validity words come from the pure domain (domain/compliance.py, domain/competency.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, case, func, or_, select

from quizapp.domain.competency import Validity, explain
from quizapp.domain.compliance import Standing, standing
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Competency, Quiz, QuizAssignment
from quizapp.queries.dashboard import Cell, DashboardFilter

WEAK_BELOW = 50.0  # percent: a topic score under this is shown beside a competency


def as_of(f: DashboardFilter, now: datetime) -> datetime:
    """The moment compliance and competency are read at: the end of the range, or now."""
    return min(now, f.end) if f.end is not None else now


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def assigned_quizzes(f: DashboardFilter) -> list[tuple[Quiz, datetime | None]]:
    rows = db.session.execute(
        select(Quiz, QuizAssignment.due_at)
        .join(QuizAssignment, QuizAssignment.quiz_id == Quiz.id)
        .where(QuizAssignment.unit_id == f.unit_id)
        .order_by(QuizAssignment.due_at, Quiz.id)
    )
    return [(quiz, _aware(due)) for quiz, due in rows]


@dataclass(frozen=True)
class ComplianceRow:
    user_id: int
    quiz_id: int
    standing: Standing
    attempts: int
    best: float | None

    @property
    def status(self) -> str:
        return self.standing.state


def compliance(
    moment: datetime,
    assigned: list[tuple[Quiz, datetime | None]],
    trainee_ids: list[int],
) -> dict[tuple[int, int], ComplianceRow]:
    """Each trainee's standing in each assigned quiz as of `moment`: attempts started before
    it count, a pass counts once submitted before it, one submitted later was running then."""
    quizzes = {quiz.id: (quiz, due) for quiz, due in assigned}
    if not quizzes or not trainee_ids:
        return {}
    done = and_(Attempt.submitted_at.is_not(None), Attempt.submitted_at < moment)
    running = or_(Attempt.submitted_at.is_(None), Attempt.submitted_at >= moment)
    rows = db.session.execute(
        select(
            Attempt.user_id,
            Attempt.quiz_id,
            func.count(),
            func.max(case((and_(done, Attempt.passed.is_(True)), 1), else_=0)),
            func.max(case((running, 1), else_=0)),
            func.max(case((done, Attempt.percent), else_=None)),
        )
        .where(
            Attempt.user_id.in_(trainee_ids),
            Attempt.quiz_id.in_(list(quizzes)),
            Attempt.started_at < moment,
            Attempt.status != AttemptStatus.DISCARDED,
        )
        .group_by(Attempt.user_id, Attempt.quiz_id)
    )
    stats = {(u, q): (n, passed, running, best) for u, q, n, passed, running, best in rows}
    result = {}
    for user_id in trainee_ids:
        for quiz_id, (quiz, due) in quizzes.items():
            n, passed, running, best = stats.get((user_id, quiz_id), (0, 0, 0, None))
            where = standing(
                used=int(n),
                allowed=quiz.attempts_allowed,
                passed=bool(passed),
                running=bool(running),
                due_at=due,
                as_of=moment,
            )
            result[(user_id, quiz_id)] = ComplianceRow(user_id, quiz_id, where, int(n), best)
    return result


@dataclass(frozen=True)
class CompetencyCell:
    quiz_id: int | None
    validity: Validity
    topic_ids: tuple[int, ...]
    weak: tuple[tuple[int, Cell], ...]  # (topic id, its score) under WEAK_BELOW, if any


def competencies(
    moment: datetime,
    trainee_ids: list[int],
    topic_ids: list[int],
    cells: dict[tuple[int, int], Cell],
) -> tuple[list[tuple[int | None, str]], dict[tuple[int, int | None], CompetencyCell]]:
    """The competency quizzes passed before `moment` (columns: quiz id, title) and, per
    (trainee, quiz), the latest pass explained as of `moment`. A weak topic score (from the
    heatmap's `cells`) is listed beside it; it never changes the validity."""
    if not trainee_ids or not topic_ids:
        return [], {}
    rows = db.session.execute(
        select(
            Competency.user_id,
            Competency.quiz_id,
            Quiz.title,
            Competency.topic_id,
            func.max(Competency.achieved_at),
            func.max(Competency.expires_at),
        )
        .outerjoin(Quiz, Quiz.id == Competency.quiz_id)
        .where(
            Competency.user_id.in_(trainee_ids),
            Competency.topic_id.in_(topic_ids),
            Competency.achieved_at < moment,
        )
        .group_by(Competency.user_id, Competency.quiz_id, Quiz.title, Competency.topic_id)
    )
    titles: dict[int | None, str] = {}
    found: dict[tuple[int, int | None], tuple[datetime, datetime, list[int]]] = {}
    for user_id, quiz_id, title, topic_id, achieved, expires in rows:
        titles[quiz_id] = title or "A deleted quiz"
        achieved = achieved if achieved.tzinfo else achieved.replace(tzinfo=UTC)
        expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
        old = found.get((user_id, quiz_id))
        if old is not None:
            achieved, expires = max(achieved, old[0]), max(expires, old[1])
        found[(user_id, quiz_id)] = (achieved, expires, [*(old[2] if old else []), topic_id])
    result = {}
    for (user_id, quiz_id), (achieved, expires, topics) in found.items():
        weak = tuple(
            (t, cells[(user_id, t)])
            for t in topics
            if (user_id, t) in cells and cells[(user_id, t)].score < WEAK_BELOW
        )
        result[(user_id, quiz_id)] = CompetencyCell(
            quiz_id, explain(achieved, expires, moment), tuple(topics), weak
        )
    columns = sorted(titles.items(), key=lambda item: (item[1], item[0] or 0))
    return columns, result
