"""Per-trainee, per-topic records, updated in the submitting transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from quizapp.domain.mastery import TopicRecord, add_marks
from quizapp.extensions import db
from quizapp.models import TopicScore


def record_attempt(user_id: int, marks: Sequence[tuple[int | None, float]]) -> None:
    """Add an attempt's answered marks (in question order) to the user's topic records."""
    by_topic: dict[int, list[float]] = {}
    for topic_id, mark in marks:
        if topic_id is not None:
            by_topic.setdefault(topic_id, []).append(mark)
    if not by_topic:
        return
    rows = {
        row.topic_id: row
        for row in db.session.scalars(
            select(TopicScore)
            .where(TopicScore.user_id == user_id, TopicScore.topic_id.in_(by_topic))
            .with_for_update()
        )
    }
    for topic_id, new_marks in by_topic.items():
        row = rows.get(topic_id)
        if row is None:
            row = TopicScore(user_id=user_id, topic_id=topic_id, answered=0, marks=0.0, recent=[])
            db.session.add(row)
        record = add_marks(
            TopicRecord(row.answered or 0, row.marks or 0.0, tuple(row.recent or ())), new_marks
        )
        row.answered = record.answered
        row.marks = record.marks
        row.recent = list(record.recent)
        row.recent_score = record.recent_score
        row.mastered = record.mastered
