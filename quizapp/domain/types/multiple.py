"""Select all that apply: +1/k for each right pick, -1/k for each wrong one, floored at 0."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from quizapp.domain.answer_fields import EmptyAnswer, Fields, InvalidAnswer, among, checked
from quizapp.domain.types.base import Data, register
from quizapp.domain.types.choice import ChoiceType, gift_weight


@register
class MultipleChoice(ChoiceType):
    name = "multiple"
    label = "Select all that apply"
    CORRECT = (1, 5, "at least one")
    hint = "Select all that apply."
    moodle_single = "false"

    def grade(self, data: Data, response: object) -> float:
        if isinstance(response, str | bytes | Mapping) or not isinstance(response, Iterable):
            return 0.0
        chosen = {item.strip() for item in response if isinstance(item, str)}
        right = {c["id"] for c in data["choices"] if c["correct"]}
        wrong = {c["id"] for c in data["choices"] if not c["correct"]}
        return max(0, len(chosen & right) - len(chosen & wrong)) / len(right) if right else 0.0

    def parse_response(self, data: Data, fields: Fields) -> list[str]:
        given = fields.get("answer") or []
        if len(given) > len(data["choices"]):
            raise InvalidAnswer(
                "More answers were sent than this question has choices, so nothing was saved. "
                "Select each answer once."
            )
        values = sorted({checked(value) for value in given} - {""})
        if not values:
            raise EmptyAnswer("Select at least one answer.")
        ids = {choice["id"] for choice in data["choices"]}
        return [among(value, ids, "choice") for value in values]

    def response_fields(self, response: object) -> dict[str, Any]:
        return {"answer": list(response) if isinstance(response, list | tuple) else []}

    def fraction(self, correct: bool, right: float) -> float:
        return right if correct else -right

    def gift_mark(self, correct: bool, right: float) -> str:
        return "~" + gift_weight(right if correct else -right)
