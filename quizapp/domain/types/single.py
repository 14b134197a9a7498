"""Single best answer: exactly one correct (100%) choice; the others may give partial credit."""

from __future__ import annotations

from quizapp.domain.answer_fields import EmptyAnswer, Fields, among, one
from quizapp.domain.types.base import Data, register
from quizapp.domain.types.choice import ChoiceType, gift_weight
from quizapp.domain.types.grades import to_mark


@register
class SingleChoice(ChoiceType):
    name = "single"
    label = "Single best answer"
    CORRECT = (1, "exactly one")
    LOW_GRADE = 0.0  # partial credit only: Moodle's penalties on a wrong pick are not ours
    mismatch = "The correct choice has the grade 100, and only it."
    moodle_single = "true"
    one_key = True

    def most_correct(self, choices: list) -> int:
        return 1

    def implied_grade(self, correct: bool) -> float:
        return 100.0 if correct else 0.0

    def is_correct_grade(self, fraction: float) -> bool:
        return fraction >= 100

    def own_scoring(self, grades: list[float]) -> bool:
        return all(grade in (0, 100) for grade in grades)

    def grades(self, data: Data) -> list[float]:
        return [
            self.implied_grade(c["correct"] is True) if c["fraction"] is None else c["fraction"]
            for c in data["choices"]
        ]

    def grade(self, data: Data, response: object) -> float:
        if not isinstance(response, str):
            return 0.0
        picked = response.strip()
        for choice, grade in zip(data["choices"], self.grades(data), strict=True):
            if choice["id"] == picked:
                return to_mark(grade)
        return 0.0

    def correct_response(self, data: Data) -> str:
        return self.correct_ids(data)[0]

    def parse_response(self, data: Data, fields: Fields) -> str:
        value = one(fields, "answer")
        if not value:
            raise EmptyAnswer("Choose one answer.")
        return among(value, {choice["id"] for choice in data["choices"]}, "choice")

    def gift_mark(self, correct: bool, grade: float) -> str:
        if correct:
            return "="
        return "~" + (gift_weight(grade) if grade else "")
