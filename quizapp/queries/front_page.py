"""The front page's catalogue: each bank with its topics and their published question counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Bank, QuestionEntry, QuestionStatus, Topic


@dataclass(frozen=True)
class TopicCount:
    id: int
    title: str


@dataclass
class BankCatalogue:
    title: str
    description: str
    topics: list[tuple[TopicCount, int]] = field(default_factory=list)  # topic, published
    total: int = 0


def catalogue() -> list[BankCatalogue]:
    """Banks and topics in their order, counts of published questions; one query."""
    published = (
        select(QuestionEntry.topic_id, func.count().label("n"))
        .where(QuestionEntry.status == QuestionStatus.PUBLISHED)
        .group_by(QuestionEntry.topic_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Bank.id,
            Bank.title,
            Bank.description,
            Topic.id,
            Topic.title,
            func.coalesce(published.c.n, 0),
        )
        .join(Topic, Topic.bank_id == Bank.id)
        .outerjoin(published, published.c.topic_id == Topic.id)
        .order_by(Bank.position, Topic.position)
    ).all()
    banks: dict[int, BankCatalogue] = {}
    for bank_id, title, description, topic_id, topic_title, count in rows:
        entry = banks.setdefault(bank_id, BankCatalogue(title, description))
        entry.topics.append((TopicCount(topic_id, topic_title), int(count)))
        entry.total += int(count)
    return list(banks.values())
