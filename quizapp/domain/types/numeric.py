"""Numeric answer: a number within a tolerance of the value, in a stated unit."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from quizapp.domain.answer_fields import Fields, typed
from quizapp.domain.types.base import Codec, Data, QuestionType, Review, register
from quizapp.domain.types.checks import Check, clean_number, format_number, parse_number


def _whole(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


@register
class Numeric(QuestionType):
    name = "numeric"
    label = "Numeric answer"
    fields = frozenset({"value", "tolerance", "unit"})
    moodle_type = "numerical"
    parse_number = staticmethod(parse_number)

    def normalize(self, data: Data) -> dict[str, Any]:
        unit = data.get("unit")
        return {
            "value": clean_number(data.get("value")),
            "tolerance": clean_number(data.get("tolerance")),
            "unit": unit.strip() if isinstance(unit, str) else unit,
        }

    def _check(self, data: dict[str, Any], raw: Data, check: Check) -> None:
        for field in ("value", "tolerance"):
            if not isinstance(data[field], float) or not math.isfinite(data[field]):
                check.add(field, f"The {field} must be a finite number.")
            elif data[field] < 0 and field == "tolerance":
                check.add(field, "The tolerance must be zero or more.")
        check.text(data["unit"], "unit", "unit (such as mL/h)")

    def grade(self, data: Data, response: object) -> float:
        number = parse_number(response, data.get("unit"))
        if number is None:
            return 0.0
        return 1.0 if abs(number - data["value"]) <= data["tolerance"] + 1e-9 else 0.0

    def correct_response(self, data: Data) -> float:
        return data["value"]

    def parse_response(self, data: Data, fields: Fields) -> str:
        return typed(fields)

    def review(self, data: Data, response: object, order: Sequence[str]) -> Review:
        tolerance = f" (± {data['tolerance']:g})" if data["tolerance"] else ""
        return Review(
            unit=data["unit"],
            my_answer="" if response is None else str(response),
            correct_answer=f"{data['value']:g} {data['unit']}{tolerance}",
        )

    def file_fields(self, data: Data) -> dict[str, Any]:
        return {key: _whole(value) for key, value in data.items()}

    def gift_answers(self, data: Data, text: Any) -> list[str]:
        return [f"#{format_number(data['value'])}:{format_number(data['tolerance'] or 0.0)}"]

    def gift_comments(self, data: Data) -> tuple[list[tuple[str, object]], list[tuple[int, str]]]:
        return ([("unit", data["unit"])] if data.get("unit") else []), []

    def write_moodle_xml(self, element: Any, data: Data, codec: Codec) -> None:
        answer = codec.answer(element, 100, format_number(data["value"]), None)
        codec.add(answer, "tolerance", format_number(data["tolerance"] or 0.0))
        if data["unit"]:
            unit = codec.add(codec.add(element, "units"), "unit")
            codec.add(unit, "multiplier", "1")
            codec.add(unit, "unit_name", data["unit"])
        for tag, value in (("unitgradingtype", 0), ("showunits", 3), ("unitsleft", 0)):
            codec.add(element, tag, value)
