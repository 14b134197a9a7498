"""The trainee home page's data: banks and topics with my scores, assigned quizzes, recent
attempts. A fixed number of queries whatever the size of the bank or my history."""

from __future__ import annotations

from dataclasses import dataclass

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


def recent_attempts(user: User, limit: int | None = 5) -> list[Attempt]:
    query = (
        select(Attempt)
        .where(Attempt.user_id == user.id, Attempt.status != AttemptStatus.DISCARDED)
        .order_by(Attempt.number.desc())
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def scores_with_topics(user_id: int) -> list[TopicScore]:
    """A trainee's topic records with their topics loaded (one query), for the manager's view."""
    return list(
        db.session.scalars(
            select(TopicScore)
            .where(TopicScore.user_id == user_id)
            .options(joinedload(TopicScore.topic))
        )
    )
