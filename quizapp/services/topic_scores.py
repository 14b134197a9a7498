"""Per-trainee, per-topic records, updated in the submitting transaction (for tutor practice,
in each answer's transaction: domain/counting.py).

Two submits at once (two tabs) on a topic with no record yet must not both insert it: the row
is created by an insert that cannot duplicate (ON CONFLICT DO NOTHING, on PostgreSQL and
SQLite alike), then read under a row lock, so the second submit waits for the first and adds
its marks to the first one's record.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from quizapp.database import require_unit_of_work
from quizapp.domain.mastery import TopicRecord, add_marks
from quizapp.extensions import db
from quizapp.models import TopicScore


def record_attempt(user_id: int, marks: Sequence[tuple[int | None, float]]) -> None:
    """Add an attempt's answered marks (in question order) to the user's topic records, in the
    caller's unit of work (the row locks must last until the answers are committed)."""
    require_unit_of_work("record_attempt")
    by_topic: dict[int, list[float]] = {}
    for topic_id, mark in marks:
        if topic_id is not None:
            by_topic.setdefault(topic_id, []).append(mark)
    if not by_topic:
        return
    rows = _locked_rows(user_id, sorted(by_topic))
    for topic_id, new_marks in by_topic.items():
        row = rows[topic_id]
        record = add_marks(
            TopicRecord(row.answered or 0, row.marks or 0.0, tuple(row.recent or ())), new_marks
        )
        row.answered = record.answered
        row.marks = record.marks
        row.recent = list(record.recent)
        row.recent_score = record.recent_score
        row.mastered = record.mastered


def _locked_rows(user_id: int, topic_ids: list[int]) -> dict[int, TopicScore]:
    """The user's records in these topics, created empty where missing, locked (topic order,
    so two submits over several topics cannot deadlock) until the transaction ends."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(TopicScore)
        .values(
            [
                {"user_id": user_id, "topic_id": t, "answered": 0, "marks": 0.0, "recent": []}
                for t in topic_ids
            ]
        )
        .on_conflict_do_nothing(index_elements=["user_id", "topic_id"])
    )
    rows = db.session.scalars(
        select(TopicScore)
        .where(TopicScore.user_id == user_id, TopicScore.topic_id.in_(topic_ids))
        .order_by(TopicScore.topic_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {row.topic_id: row for row in rows}
