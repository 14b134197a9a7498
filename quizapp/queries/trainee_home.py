"""The trainee home page's data: banks and topics with my scores, assigned quizzes, recent
attempts. A fixed number of queries whatever the size of the bank or my history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Bank, Topic, TopicScore, User


@dataclass
class TopicRow:
    topic: Topic
    score: TopicScore | None


def topic_rows(user: User) -> list[tuple[Bank, list[TopicRow]]]:
    rows = db.session.execute(
        select(Bank, Topic, TopicScore)
        .join(Topic, Topic.bank_id == Bank.id)
        .outerjoin(TopicScore, (TopicScore.topic_id == Topic.id) & (TopicScore.user_id == user.id))
        .order_by(Bank.position, Topic.position)
    ).all()
    banks: dict[int, tuple[Bank, list[TopicRow]]] = {}
    for bank, topic, score in rows:
        banks.setdefault(bank.id, (bank, []))[1].append(TopicRow(topic, score))
    return list(banks.values())


@dataclass(frozen=True)
class AttemptRow:
    """One line of a trainee's history: what the attempt was (the quiz's title, or for a
    practice its topics' names), how, when, and how it went."""

    id: int
    number: int
    title: str
    mode: str  # tutor | exam
    started_at: datetime
    status: AttemptStatus
    percent: float | None
    passed: bool | None

    @property
    def status_text(self) -> str:
        return STATUS_TEXT.get(self.status.value, self.status.value.replace("_", " "))

    @property
    def mode_text(self) -> str:
        return MODE_TEXT.get(self.mode, self.mode)


STATUS_TEXT = {"submitted": "Submitted", "in_progress": "In progress", "discarded": "Discarded"}
MODE_TEXT = {"tutor": "Tutor mode", "exam": "Exam mode"}
TOPICS_NAMED = 3  # a practice names this many topics, then "and N more"


def practice_title(names: list[str]) -> str:
    """'Practice: Intravenous route, Epidural route' (and 'and 2 more' past TOPICS_NAMED)."""
    if not names:
        return "Practice"
    shown = ", ".join(names[:TOPICS_NAMED])
    more = len(names) - TOPICS_NAMED
    return f"Practice: {shown}" + (f" and {more} more" if more > 0 else "")


def _topic_ids(attempt: Attempt) -> list[int]:
    ids = (attempt.settings or {}).get("topics") or []
    return [i for i in ids if isinstance(i, int)]


def recent_attempts(user: User, limit: int | None = 5) -> list[AttemptRow]:
    """The trainee's attempts, newest first: two queries however many (the attempts, then
    the titles of every topic their practices used)."""
    query = (
        select(Attempt)
        .where(Attempt.user_id == user.id, Attempt.status != AttemptStatus.DISCARDED)
        .order_by(Attempt.number.desc())
    )
    if limit:
        query = query.limit(limit)
    found = list(db.session.scalars(query))
    wanted = {i for a in found if not a.settings.get("title") for i in _topic_ids(a)}
    titles: dict[int, str] = {}
    if wanted:
        titles = dict(
            db.session.execute(select(Topic.id, Topic.title).where(Topic.id.in_(wanted))).all()
        )
    return [
        AttemptRow(
            id=a.id,
            number=a.number,
            title=a.settings.get("title")
            or practice_title([titles[i] for i in _topic_ids(a) if i in titles]),
            mode=a.mode,
            started_at=a.started_at,
            status=a.status,
            percent=a.percent,
            passed=a.passed,
        )
        for a in found
    ]


def scores_with_topics(user_id: int) -> list[TopicScore]:
    """A trainee's topic records with their topics loaded (one query), for the manager's view."""
    return list(
        db.session.scalars(
            select(TopicScore)
            .where(TopicScore.user_id == user_id)
            .options(joinedload(TopicScore.topic))
        )
    )
