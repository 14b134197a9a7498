"""True or false, with feedback for each of the two answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quizapp.domain.answer_fields import EmptyAnswer, Fields, one
from quizapp.domain.types.base import Codec, Data, Described, QuestionType, Review, register
from quizapp.domain.types.checks import Check, clean_bool, clean_text


@register
class TrueFalse(QuestionType):
    name = "true_false"
    label = "True or false"
    fields = frozenset({"answer", "feedback_true", "feedback_false"})
    moodle_type = "truefalse"

    def normalize(self, data: Data) -> dict[str, Any]:
        return {
            "answer": clean_bool(data.get("answer")),
            "feedback_true": clean_text(data.get("feedback_true"), None),
            "feedback_false": clean_text(data.get("feedback_false"), None),
        }

    def _check(self, data: dict[str, Any], raw: Data, check: Check) -> None:
        if not isinstance(data["answer"], bool):
            check.add("answer", "Write answer: true or false.")
        check.feedback(data["feedback_true"], "feedback_true")
        check.feedback(data["feedback_false"], "feedback_false")

    def grade(self, data: Data, response: object) -> float:
        answer = clean_bool(response)
        return 1.0 if isinstance(answer, bool) and answer is data["answer"] else 0.0

    def correct_response(self, data: Data) -> bool:
        return data["answer"]

    def describe(self, data: Data) -> list[Described]:
        """Which way the statement is, and the feedback for each answer."""
        answer = "True" if data["answer"] else "False"
        found = [Described("correct", "Correct answer", answer, True)]
        for side in ("true", "false"):
            if data.get(f"feedback_{side}"):
                label = f"Feedback for {side.capitalize()}"
                found.append(Described(f"feedback:{side}", label, data[f"feedback_{side}"]))
        return found

    def parse_response(self, data: Data, fields: Fields) -> bool:
        value = one(fields, "answer").lower()
        if value not in ("true", "false"):
            raise EmptyAnswer("Choose true or false.")
        return value == "true"

    def response_fields(self, response: object) -> dict[str, Any]:
        return {"answer": "true" if response else "false"}

    def strike_ids(self, data: Data) -> list[str]:
        return ["true", "false"]

    def review(self, data: Data, response: object, order: Sequence[str]) -> Review:
        review = Review(
            my_answer="" if response is None else ("True" if response else "False"),
            correct_answer="True" if data["answer"] else "False",
        )
        if response is not None:
            chosen_feedback = data.get("feedback_true" if response else "feedback_false")
            review.feedback = [chosen_feedback] if chosen_feedback else []
        return review

    def gift_answers(self, data: Data, text: Any) -> list[str]:
        answer = data["answer"] is True
        wrong, right = data["feedback_false"], data["feedback_true"]
        if not answer:
            wrong, right = right, wrong
        line = "T" if answer else "F"  # T#feedback-if-wrong#feedback-if-right
        if wrong or right:
            line += f"#{text(wrong or '')}" + (f"#{text(right)}" if right else "")
        return [line]

    def write_moodle_xml(self, element: Any, data: Data, codec: Codec) -> None:
        codec.answer(element, 100 if data["answer"] is True else 0, "true", data["feedback_true"])
        codec.answer(element, 0 if data["answer"] is True else 100, "false", data["feedback_false"])
