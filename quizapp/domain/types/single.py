"""Single best answer: exactly one correct choice, all or nothing."""

from __future__ import annotations

from quizapp.domain.answer_fields import EmptyAnswer, Fields, among, one
from quizapp.domain.types.base import Data, register
from quizapp.domain.types.choice import ChoiceType


@register
class SingleChoice(ChoiceType):
    name = "single"
    label = "Single best answer"
    CORRECT = (1, 1, "exactly one")
    moodle_single = "true"
    one_key = True

    def grade(self, data: Data, response: object) -> float:
        if not isinstance(response, str):
            return 0.0
        return 1.0 if [response.strip()] == super().correct_response(data) else 0.0

    def correct_response(self, data: Data) -> str:
        return super().correct_response(data)[0]  # type: ignore[index]

    def parse_response(self, data: Data, fields: Fields) -> str:
        value = one(fields, "answer")
        if not value:
            raise EmptyAnswer("Choose one answer.")
        return among(value, {choice["id"] for choice in data["choices"]}, "choice")

    def fraction(self, correct: bool, right: float) -> float:
        return 100 if correct else 0

    def gift_mark(self, correct: bool, right: float) -> str:
        return "=" if correct else "~"
