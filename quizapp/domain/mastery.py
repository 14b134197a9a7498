"""What "mastered" means, defined once: 80% or more over my last 20 answers in a topic, with
at least 10 answers. The per-topic record keeps just those last marks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WINDOW = 20
MINIMUM_ANSWERS = 10
THRESHOLD = 80.0  # percent

MASTERY_RULE = (
    f"Mastered: {THRESHOLD:.0f}% or more over your last {WINDOW} answers in the topic, "
    f"with at least {MINIMUM_ANSWERS} answers."
)


@dataclass(frozen=True)
class TopicRecord:
    answered: int
    marks: float
    recent: tuple[float, ...]

    @property
    def recent_score(self) -> float:
        return 100.0 * sum(self.recent) / len(self.recent) if self.recent else 0.0

    @property
    def score(self) -> float:
        return 100.0 * self.marks / self.answered if self.answered else 0.0

    @property
    def mastered(self) -> bool:
        return len(self.recent) >= MINIMUM_ANSWERS and self.recent_score >= THRESHOLD - 1e-9


def add_marks(record: TopicRecord, new_marks: Sequence[float]) -> TopicRecord:
    """The record after these answers, in the order they were given."""
    recent = (*record.recent, *new_marks)[-WINDOW:]
    return TopicRecord(
        answered=record.answered + len(new_marks),
        marks=record.marks + sum(new_marks),
        recent=tuple(recent),
    )


EMPTY = TopicRecord(answered=0, marks=0.0, recent=())
