"""Reads for the quiz builder and the instructor's quiz pages, as plain rows in a fixed number
of queries whatever the number of questions, quizzes or attempts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptStatus,
    CaseItem,
    QuestionEntry,
    QuestionStatus,
    QuestionVersion,
    Quiz,
    QuizAssignment,
    Topic,
)

SEARCH_LIMIT = 30


@dataclass(frozen=True)
class PickRow:
    uid: str
    stem: str
    topic: str


def available_per_topic() -> dict[str, int]:
    """Topic key -> how many published questions it holds (case-study items are asked only
    with their case, so they are not counted). One query."""
    rows = db.session.execute(
        select(Topic.key, func.count(QuestionEntry.id))
        .join(QuestionEntry, QuestionEntry.topic_id == Topic.id)
        .where(QuestionEntry.status == QuestionStatus.PUBLISHED)
        .where(QuestionEntry.id.not_in(select(CaseItem.question_id)))
        .group_by(Topic.key)
    )
    return {key: n for key, n in rows}


def _pick_query() -> Select[str, str, str]:
    current = (QuestionVersion.entry_id == QuestionEntry.id) & (
        QuestionVersion.number == QuestionEntry.current_version
    )
    return (
        select(QuestionEntry.uid, QuestionVersion.stem, Topic.title)
        .join(QuestionVersion, current)
        .outerjoin(Topic, Topic.id == QuestionEntry.topic_id)
        .where(QuestionEntry.status == QuestionStatus.PUBLISHED)
        .where(QuestionEntry.id.not_in(select(CaseItem.question_id)))  # asked with their case
    )


def search_questions(text: str, limit: int = SEARCH_LIMIT) -> list[PickRow]:
    """Published questions whose id or text contains `text` (at most `limit`). One query."""
    text = text.strip()[:200].replace("%", "").replace("_", "")
    if not text:
        return []
    like = f"%{text}%"
    rows = db.session.execute(
        _pick_query()
        .where(QuestionVersion.stem.ilike(like) | QuestionEntry.uid.ilike(like))
        .order_by(QuestionEntry.uid)
        .limit(limit)
    )
    return [PickRow(uid, stem, topic or "") for uid, stem, topic in rows]


def picked(uids: Iterable[str]) -> list[PickRow]:
    """The rows of these question ids, in the order given (unknown ids left out). One query."""
    order = list(dict.fromkeys(uids))
    if not order:
        return []
    rows = {
        uid: PickRow(uid, stem, topic or "")
        for uid, stem, topic in db.session.execute(
            _pick_query().where(QuestionEntry.uid.in_(order))
        )
    }
    return [rows[u] for u in order if u in rows]


def unpublished(uids: Iterable[str]) -> list[str]:
    """Those of these ids that are no published question (unknown, draft or retired)."""
    order = list(dict.fromkeys(uids))
    known = set(
        db.session.scalars(
            select(QuestionEntry.uid).where(
                QuestionEntry.uid.in_(order), QuestionEntry.status == QuestionStatus.PUBLISHED
            )
        )
    )
    return [u for u in order if u not in known]


@dataclass(frozen=True)
class AttemptCounts:
    total: int = 0
    in_progress: int = 0
    by_version: dict[int, int] | None = None


def attempt_counts(quiz_ids: list[int]) -> dict[int, AttemptCounts]:
    """Quiz id -> its attempts (all, in progress, per quiz version). One query."""
    rows = db.session.execute(
        select(Attempt.quiz_id, Attempt.quiz_version, Attempt.status, func.count())
        .where(Attempt.quiz_id.in_(quiz_ids))
        .group_by(Attempt.quiz_id, Attempt.quiz_version, Attempt.status)
    )
    totals: dict[int, list[int]] = {}
    versions: dict[int, dict[int, int]] = {}
    for quiz_id, version, status, n in rows:
        if quiz_id is None:
            continue
        total = totals.setdefault(quiz_id, [0, 0])
        total[0] += n
        total[1] += n if status is AttemptStatus.IN_PROGRESS else 0
        per = versions.setdefault(quiz_id, {})
        per[version or 1] = per.get(version or 1, 0) + n
    return {
        quiz_id: AttemptCounts(total, running, versions[quiz_id])
        for quiz_id, (total, running) in totals.items()
    }


@dataclass
class QuizRow:
    quiz: Quiz
    attempts: AttemptCounts

    def closed(self, now: datetime) -> bool:
        return self.quiz.close_at is not None and self.quiz.close_at <= now


def quiz_list(include_archived: bool = False) -> list[QuizRow]:
    """The quizzes, newest first, with units and attempt counts: four queries in all."""
    query = (
        select(Quiz)
        .options(selectinload(Quiz.assignments).selectinload(QuizAssignment.unit))
        .order_by(Quiz.id.desc())
    )
    if not include_archived:
        query = query.where(Quiz.archived_at.is_(None))
    quizzes = list(db.session.scalars(query))
    counts = attempt_counts([q.id for q in quizzes])
    return [QuizRow(q, counts.get(q.id, AttemptCounts(by_version={}))) for q in quizzes]


def archived_count() -> int:
    query = select(func.count()).select_from(Quiz).where(Quiz.archived_at.is_not(None))
    return db.session.scalar(query) or 0


def quiz_page(quiz_id: int) -> QuizRow | None:
    """One quiz with its units and attempt counts (four queries), or None."""
    quiz = db.session.scalar(
        select(Quiz)
        .where(Quiz.id == quiz_id)
        .options(selectinload(Quiz.assignments).selectinload(QuizAssignment.unit))
    )
    if quiz is None:
        return None
    counts = attempt_counts([quiz.id]).get(quiz.id, AttemptCounts(by_version={}))
    return QuizRow(quiz, counts)
