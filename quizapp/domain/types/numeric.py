"""Numeric answer: a number graded by the best of its answers whose range holds it.

Each answer is a value with a tolerance (or a `min`..`max` range), a grade (`fraction`, percent)
and feedback. Units are optional; each accepted unit has a multiplier as in Moodle
(value_in_unit = value * multiplier: mL/h 1, L/h 0.001), and a response may leave its unit
out. `value`/`tolerance`/`unit` is the short form for one answer worth 100% (the bank's).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.domain.answer_fields import Fields, typed
from quizapp.domain.types.base import Codec, Data, Described, QuestionType, Review, register
from quizapp.domain.types.checks import (
    MAX_ENTRIES,
    Check,
    clean_grade,
    clean_number,
    clean_text,
    format_number,
    parse_number,
)
from quizapp.domain.types.grades import grade_problem, percent_text, to_mark

ANSWER_FIELDS = ("value", "tolerance", "min", "max", "fraction", "feedback")
UNIT_FIELDS = ("unit", "multiplier")


def _whole(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _answer(raw: Mapping[str, Any]) -> dict[str, Any]:
    low, high = clean_number(raw.get("min")), clean_number(raw.get("max"))
    if raw.get("value") is None and isinstance(low, float) and isinstance(high, float):
        value, tolerance = (low + high) / 2, (high - low) / 2
    else:
        value, tolerance = clean_number(raw.get("value")), clean_number(raw.get("tolerance"))
    return {
        "value": value,
        "tolerance": 0.0 if tolerance is None else tolerance,
        "fraction": clean_grade(raw.get("fraction", 100.0)),
        "feedback": clean_text(raw.get("feedback"), None),
    }


def _unit(raw: Mapping[str, Any]) -> dict[str, Any]:
    multiplier = raw.get("multiplier")
    return {
        "unit": clean_text(raw.get("unit")),
        "multiplier": 1.0 if multiplier is None else clean_number(multiplier),
    }


def _entries(items: object, make: Any) -> Any:
    if isinstance(items, list | tuple):
        return [make(item) if isinstance(item, Mapping) else item for item in items]
    return items


@register
class Numeric(QuestionType):
    name = "numeric"
    calculator = True  # a calculation: the answer page offers the on-screen calculator
    label = "Numeric answer"
    fields = frozenset({"value", "tolerance", "unit", "answers", "units"})
    moodle_type = "numerical"
    parse_number = staticmethod(parse_number)

    def normalize(self, data: Data) -> dict[str, Any]:
        answers, units = data.get("answers"), data.get("units")
        if answers is None:
            answers = [{"value": data.get("value"), "tolerance": data.get("tolerance")}]
        if units is None:
            unit = data.get("unit")
            units = [{"unit": unit}] if unit is not None and clean_text(unit) != "" else []
        return {"answers": _entries(answers, _answer), "units": _entries(units, _unit)}

    def _check(self, data: dict[str, Any], raw: Data, check: Check) -> None:
        short = "answers" not in raw
        if check.count(data["answers"], "answers", 1, MAX_ENTRIES):
            for path, answer in check.mappings(
                data["answers"], "answers", raw.get("answers"), ANSWER_FIELDS
            ):
                self._check_answer(answer, "" if short else f"{path}.", check)
            if not check.problems and max(a["fraction"] for a in data["answers"]) < 100:
                check.add("answers", "Give one answer the grade 100.")
        if data["units"] == [] or not check.count(data["units"], "units", 0, MAX_ENTRIES):
            return
        seen: dict[str, str] = {}
        for path, unit in check.mappings(data["units"], "units", raw.get("units"), UNIT_FIELDS):
            where = "unit" if "units" not in raw else f"{path}.unit"
            check.text(unit["unit"], where, "unit (such as mL/h)", seen)
            number = unit["multiplier"]
            if not isinstance(number, float) or not math.isfinite(number) or number <= 0:
                check.add(f"{path}.multiplier", "The multiplier must be a number above 0.")
        if data["units"][0].get("multiplier") != 1.0:
            check.add("units[0].multiplier", "The first unit is the answers' own: multiplier 1.")

    def _check_answer(self, answer: dict[str, Any], prefix: str, check: Check) -> None:
        for field in ("value", "tolerance"):
            if not isinstance(answer[field], float) or not math.isfinite(answer[field]):
                check.add(f"{prefix}{field}", f"The {field} must be a finite number.")
            elif answer[field] < 0 and field == "tolerance":
                check.add(f"{prefix}{field}", "The tolerance must be zero or more.")
        check.feedback(answer["feedback"], f"{prefix}feedback")
        if problem := grade_problem(answer["fraction"], low=0.0):
            check.add(f"{prefix}fraction", problem)

    def number(self, data: Data, response: object) -> float | None:
        """The response in the answers' unit: a unit it ends with divides by its multiplier."""
        if isinstance(response, str):
            text = response.strip()
            for unit in sorted(data["units"], key=lambda u: -len(u["unit"])):
                name = unit["unit"]
                if len(text) > len(name) and text[-len(name) :].casefold() == name.casefold():
                    number = parse_number(text, name)
                    return None if number is None else number / unit["multiplier"]
        return parse_number(response)

    def matched(self, data: Data, response: object) -> dict[str, Any] | None:
        number = self.number(data, response)
        if number is None:
            return None
        hits = [a for a in data["answers"] if abs(number - a["value"]) <= a["tolerance"] + 1e-9]
        return max(hits, key=lambda a: a["fraction"], default=None)

    def grade(self, data: Data, response: object) -> float:
        answer = self.matched(data, response)
        return to_mark(answer["fraction"]) if answer else 0.0

    def best(self, data: Data) -> dict[str, Any]:
        return max(data["answers"], key=lambda a: a["fraction"])

    def correct_response(self, data: Data) -> float:
        return self.best(data)["value"]

    def describe(self, data: Data) -> list[Described]:
        """Each accepted value with its tolerance, grade and feedback; the accepted units."""
        found: list[Described] = []
        unit = data["units"][0]["unit"] if data["units"] else ""
        for number, answer in enumerate(data["answers"], start=1):
            key = f"answer:{number}"
            label = "Correct value" if number == 1 else f"Answer {number}"
            value = f"{format_number(answer['value'])} ± {format_number(answer['tolerance'])}"
            value += f" {unit}" if unit else ""
            grade = f" (grade {percent_text(answer['fraction'])}%)"
            found.append(Described(key, label, value + grade, True))
            if answer.get("feedback"):
                found.append(Described(f"{key}:feedback", f"{label} feedback", answer["feedback"]))
        units = "; ".join(
            f"{u['unit']} (multiplier {format_number(u['multiplier'])})" for u in data["units"]
        )
        return [*found, Described("units", "Units", units or "none")]

    def parse_response(self, data: Data, fields: Fields) -> str:
        return typed(fields)

    def review(self, data: Data, response: object, order: Sequence[str]) -> Review:
        best, unit = self.best(data), (data["units"][0]["unit"] if data["units"] else "")
        tolerance = f" (± {best['tolerance']:g})" if best["tolerance"] else ""
        answer = self.matched(data, response)
        return Review(
            unit=unit,
            my_answer="" if response is None else str(response),
            correct_answer=f"{best['value']:g} {unit}".rstrip() + tolerance,
            feedback=[answer["feedback"]] if answer and answer["feedback"] else [],
        )

    def short_form(self, data: Data) -> dict[str, Any] | None:
        """value/tolerance/unit when that holds the data (one 100% answer, one plain unit)."""
        answers, units = data["answers"], data["units"]
        if len(answers) != 1 or answers[0]["fraction"] != 100 or answers[0]["feedback"]:
            return None
        if len(units) > 1 or (units and units[0]["multiplier"] != 1):
            return None
        unit = units[0]["unit"] if units else ""
        return {"value": answers[0]["value"], "tolerance": answers[0]["tolerance"], "unit": unit}

    def file_fields(self, data: Data) -> dict[str, Any]:
        if (short := self.short_form(data)) is not None:
            return {k: _whole(v) for k, v in short.items() if v != "" or k != "unit"}
        answers = [
            {k: _whole(v) for k, v in a.items() if v is not None and (k, v) != ("fraction", 100)}
            for a in data["answers"]
        ]
        units = [{k: _whole(v) for k, v in u.items()} for u in data["units"]]
        return {"answers": answers} | ({"units": units} if units else {})

    def hash_form(self, data: Data) -> dict[str, Any]:
        return self.short_form(data) or dict(data)

    def gift_answers(self, data: Data, text: Any) -> list[str]:
        lines = []
        for a in data["answers"]:
            weight = "" if a["fraction"] == 100 else f"%{percent_text(a['fraction'])}%"
            feedback = f"#{text(a['feedback'])}" if a["feedback"] else ""
            pair = f"{format_number(a['value'])}:{format_number(a['tolerance'] or 0.0)}"
            lines.append(f"={weight}{pair}{feedback}")
        lines[0] = "#" + lines[0].removeprefix("=") if len(lines) == 1 else "#" + lines[0]
        return lines

    def gift_comments(self, data: Data) -> tuple[list[tuple[str, object]], list[tuple[int, str]]]:
        units = data.get("units") or []
        others = [("unit", f"{u['unit']}={format_number(u['multiplier'])}") for u in units[1:]]
        return ([("unit", units[0]["unit"]), *others] if units else []), []

    def write_moodle_xml(self, element: Any, data: Data, codec: Codec) -> None:
        for a in data["answers"]:
            answer = codec.answer(element, a["fraction"], format_number(a["value"]), a["feedback"])
            codec.add(answer, "tolerance", format_number(a["tolerance"] or 0.0))
        if data["units"]:
            units = codec.add(element, "units")
            for u in data["units"]:
                unit = codec.add(units, "unit")
                codec.add(unit, "multiplier", format_number(u["multiplier"]))
                codec.add(unit, "unit_name", u["unit"])
        # Moodle's qtype_numerical: unitgradingtype 0 = units optional; showunits 0 = UNITINPUT
        # (a box for the unit), 3 = UNITNONE (units not used).
        showunits = 0 if data["units"] else 3
        for tag, value in (("unitgradingtype", 0), ("showunits", showunits), ("unitsleft", 0)):
            codec.add(element, tag, value)
