"""Select all that apply. Our own items: +1/k for each right pick, -1/k for each wrong one,
floored at 0. A question whose choices carry Moodle grades (imported): the sum of the picked
grades, clamped to [0, 1], as Moodle grades it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from quizapp.domain.answer_fields import EmptyAnswer, Fields, InvalidAnswer, among, checked
from quizapp.domain.types.base import Data, register
from quizapp.domain.types.checks import Check
from quizapp.domain.types.choice import ChoiceType, gift_weight
from quizapp.domain.types.grades import to_mark


@register
class MultipleChoice(ChoiceType):
    name = "multiple"
    label = "Select all that apply"
    CORRECT = (1, "at least one")
    LOW_GRADE = -100.0
    mismatch = "A correct choice has a grade above 0, a wrong one 0 or below."
    hint = "Select all that apply."
    moodle_single = "false"

    def implied_grade(self, correct: bool) -> float | None:
        return None if correct else 0.0  # a right choice's share is not implied

    def is_correct_grade(self, fraction: float) -> bool:
        return fraction > 0

    def _check_grades(self, choices: list[dict[str, Any]], check: Check) -> None:
        if any(c["fraction"] is None for c in choices):
            check.add("choices", "Give every correct choice a grade once one choice has one.")
            return
        total = sum(c["fraction"] for c in choices if c["fraction"] > 0)
        if round(total, 2) != 100:  # Moodle: the positive grades add up to 100%
            check.add("choices", f"The positive grades add up to {total:g}%, not 100%.")

    def own_scoring(self, grades: list[float]) -> bool:
        """+100/k for each of the k right choices and -100/k for each other one."""
        share = 100 / max(1, sum(grade > 0 for grade in grades))
        return all(abs(abs(grade) - share) < 0.001 for grade in grades)

    def grades(self, data: Data) -> list[float]:
        if self.graded_by_fraction(data):
            return [c["fraction"] for c in data["choices"]]
        share = 100 / max(1, sum(c["correct"] is True for c in data["choices"]))
        return [share if c["correct"] else -share for c in data["choices"]]

    def grade(self, data: Data, response: object) -> float:
        if isinstance(response, str | bytes | Mapping) or not isinstance(response, Iterable):
            return 0.0
        chosen = {item.strip() for item in response if isinstance(item, str)}
        if self.graded_by_fraction(data):
            picked = [c["fraction"] for c in data["choices"] if c["id"] in chosen]
            return to_mark(sum(picked))
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

    def gift_mark(self, correct: bool, grade: float) -> str:
        return "~" + gift_weight(grade)
