"""An attempt's result: total, percent, pass or fail, and a breakdown by topic."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemMark:
    topic_id: int | None
    mark: float | None  # None: not answered
    max_mark: float = 1.0


@dataclass(frozen=True)
class TopicBreakdown:
    topic_id: int | None
    questions: int
    marks: float
    max_marks: float

    @property
    def percent(self) -> float:
        return 100.0 * self.marks / self.max_marks if self.max_marks else 0.0


@dataclass(frozen=True)
class AttemptResult:
    score: float
    max_score: float
    passed: bool | None
    topics: list[TopicBreakdown]

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0


def attempt_result(items: Sequence[ItemMark], pass_mark: float | None) -> AttemptResult:
    """Unanswered items score 0. `pass_mark` is a percent; None means no pass mark."""
    score = sum((item.mark or 0.0) * item.max_mark for item in items)
    max_score = sum(item.max_mark for item in items)
    topics: dict[int | None, list[ItemMark]] = {}
    for item in items:
        topics.setdefault(item.topic_id, []).append(item)
    breakdown = [
        TopicBreakdown(
            topic_id=topic_id,
            questions=len(group),
            marks=sum((i.mark or 0.0) * i.max_mark for i in group),
            max_marks=sum(i.max_mark for i in group),
        )
        for topic_id, group in topics.items()
    ]
    percent = 100.0 * score / max_score if max_score else 0.0
    passed = None if pass_mark is None else percent >= pass_mark - 1e-9
    return AttemptResult(score, max_score, passed, breakdown)
