"""Short answer: a typed text, right when it folds to one of the accepted answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quizapp.domain.answer_fields import Fields, typed
from quizapp.domain.types.base import Codec, Data, QuestionType, Review, register
from quizapp.domain.types.checks import Check, clean_text_list, fold


@register
class ShortAnswer(QuestionType):
    name = "short_answer"
    label = "Short answer"
    fields = frozenset({"accepted"})
    moodle_type = "shortanswer"

    def normalize(self, data: Data) -> dict[str, Any]:
        return {"accepted": clean_text_list(data.get("accepted"))}

    def _check(self, data: dict[str, Any], raw: Data, check: Check) -> None:
        if not isinstance(data["accepted"], list) or not data["accepted"]:
            check.add("accepted", "Give one or more accepted answers as a list.")
            return
        seen: dict[str, str] = {}
        for i, text in enumerate(data["accepted"]):
            check.text(text, f"accepted[{i}]", "accepted answer", seen)

    def grade(self, data: Data, response: object) -> float:
        if not isinstance(response, str) or not fold(response):
            return 0.0
        return 1.0 if fold(response) in {fold(a) for a in data["accepted"] if a} else 0.0

    def correct_response(self, data: Data) -> str:
        return next(text for text in data["accepted"] if text)

    def parse_response(self, data: Data, fields: Fields) -> str:
        return typed(fields)

    def review(self, data: Data, response: object, order: Sequence[str]) -> Review:
        return Review(
            my_answer="" if response is None else str(response),
            correct_answer=" or ".join(data["accepted"]),
        )

    def gift_answers(self, data: Data, text: Any) -> list[str]:
        return [f"={text(accepted, arrow=True)}" for accepted in data["accepted"]]

    def write_moodle_xml(self, element: Any, data: Data, codec: Codec) -> None:
        codec.add(element, "usecase", "0")
        for accepted in data["accepted"]:
            codec.answer(element, 100, accepted, None)
