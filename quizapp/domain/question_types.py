"""Question types: normalise, validate and grade each type's answer data (stdlib only).

Each type is a small class in `REGISTRY`, like CTFd's flag classes; docs/question-format.md
describes the answer-data fields. `normalize` never raises on a mapping: values it cannot coerce
are kept as they are, so that `validate` (which normalises first) can name them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from string import ascii_lowercase
from typing import Any, ClassVar, TypeVar

from quizapp.domain.answer_fields import (
    EmptyAnswer,
    Fields,
    InvalidAnswer,
    among,
    checked,
    one,
    typed,
)

Data = Mapping[str, Any]
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class AnswerDataProblem:
    field: str  # a path such as "choices", "choices[2].text", "pairs[0].answer"
    message: str


class UnknownQuestionType(ValueError):
    """Raised by `get_type` for a name that is not registered."""


def fold(text: str) -> str:
    """Strip, fold each run of white space to one space, and casefold."""
    return " ".join(text.split()).casefold()


def parse_number(raw: object, unit: str | None = None) -> float | None:
    """A finite number from a number or text ("12.5", " 12,5 ", "125 mL/h"), else None."""
    if isinstance(raw, str):
        text, unit = raw.strip(), unit.strip() if isinstance(unit, str) else ""
        if unit and len(text) > len(unit) and text[-len(unit) :].casefold() == unit.casefold():
            text = text[: -len(unit)].rstrip()
        if text.count(",") == 1:
            text = text.replace(",", ".")  # a decimal comma
        raw = float(text) if _NUMBER.fullmatch(text) else None
    if not isinstance(raw, int | float) or isinstance(raw, bool):
        return None
    try:
        return float(raw) if math.isfinite(raw) else None
    except OverflowError:  # an int too big for a float
        return None


def _text(value: object, empty: Any = "") -> Any:
    """Stripped text (numbers become text); `empty` for None or blank; anything else unchanged."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        value = value.strip()
    return empty if value is None or value == "" else value


def _bool(value: object) -> Any:
    text = value.strip().casefold() if isinstance(value, str) else None
    return text == "true" if text in ("true", "false") else value


def _number(value: object) -> Any:
    """A float from a number or numeric text; inf and nan stay floats for validate to report."""
    if isinstance(value, str):
        number = parse_number(value)
        return value if number is None else number
    try:
        return float(value) if isinstance(value, int | float) and type(value) is not bool else value
    except OverflowError:
        return value


def _text_list(value: object) -> Any:
    if value is None or isinstance(value, str):
        value = [] if value is None else [value]
    return [_text(item) for item in value] if isinstance(value, list | tuple) else value


class _Check:
    """Collects problems; a `seen` dict maps a folded text (or an id) to its first path."""

    def __init__(self) -> None:
        self.problems: list[AnswerDataProblem] = []

    def add(self, field: str, message: str) -> bool:
        self.problems.append(AnswerDataProblem(field, message))
        return False

    def text(
        self, value: object, path: str, what: str, seen: dict | None = None, key: Callable = fold
    ) -> bool:
        if not isinstance(value, str) or not value:
            return self.add(path, f"The {what} must be non-empty text.")
        if seen is not None and (first := seen.setdefault(key(value), path)) != path:
            return self.add(path, f"The {what} {value!r} repeats {first}.")
        return True

    def feedback(self, value: object, path: str) -> None:
        if value is not None and not isinstance(value, str):
            self.add(path, "Feedback must be text, or left out.")

    def count(self, items: object, path: str, low: int, high: int) -> bool:
        if not isinstance(items, list):
            return self.add(path, f"Give the {path} as a list of {low} to {high} entries.")
        if not low <= len(items) <= high:
            self.add(path, f"Give {low} to {high} {path}; there are {len(items)}.")
        return True

    def mappings(self, items: list, path: str, raw: object, known: tuple) -> Iterator[tuple]:
        """(path, item) for each mapping item; reports other items and unknown raw keys."""
        raws = list(raw) if isinstance(raw, list | tuple) else []
        for i, item in enumerate(items):
            for key in raws[i] if i < len(raws) and isinstance(raws[i], Mapping) else ():
                if key not in known:
                    self.add(f"{path}[{i}]", f"Unknown field {key!r}; use {', '.join(known)}.")
            if isinstance(item, Mapping):
                yield f"{path}[{i}]", item
            else:
                self.add(f"{path}[{i}]", "Each entry must be a mapping of fields.")


class QuestionType:
    """Base class; one instance of each type lives in REGISTRY."""

    name: ClassVar[str]
    label: ClassVar[str]
    fields: ClassVar[frozenset[str]]  # the authored fields that make up this type's answer data

    def normalize(self, data: Data) -> dict[str, Any]:
        """A new plain dict in canonical form; unknown keys are left out."""
        raise NotImplementedError

    def validate(self, data: object) -> list[AnswerDataProblem]:
        """Problems with raw or normalised answer data; empty when valid. Never raises."""
        check = _Check()
        if isinstance(data, Mapping):
            self._check(self.normalize(data), data, check)
        else:
            check.add("data", "The answer data must be a mapping of fields.")
        return check.problems

    def _check(self, data: dict[str, Any], raw: Data, check: _Check) -> None:
        raise NotImplementedError

    def grade(self, data: Data, response: object) -> float:
        """A mark in [0, 1] for `response` against normalised, valid `data`. Never raises."""
        raise NotImplementedError

    def correct_response(self, data: Data) -> object:
        """The canonical correct response, for showing the correct answer."""
        raise NotImplementedError

    def parse_response(self, data: Data, fields: Fields) -> object:
        """The response in form `fields`, checked against this version's `data` (its ids and
        options), so nothing a client invents is stored; EmptyAnswer or InvalidAnswer."""
        raise NotImplementedError

    def response_fields(self, response: object) -> dict[str, Any]:
        """Form fields that pre-fill a saved response (the inverse of parse_response)."""
        return {"answer": str(response)}

    def choice_keys(self, data: Data, response: object) -> list[str]:
        """The version's own choice ids a response picked (the item analysis counts them)."""
        return []


QT = TypeVar("QT", bound=type[QuestionType])
REGISTRY: dict[str, QuestionType] = {}


def register(cls: QT) -> QT:
    """Class decorator: puts an instance of `cls` in REGISTRY under `cls.name`."""
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        raise ValueError(f"{cls.__name__} needs a non-empty `name`.")
    if name in REGISTRY and type(REGISTRY[name]) is not cls:
        raise ValueError(f"The question type {name!r} is already registered.")
    REGISTRY[name] = cls()
    return cls


def get_type(name: str) -> QuestionType:
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        known = ", ".join(REGISTRY)
        raise UnknownQuestionType(f"Unknown question type {name!r}; known: {known}.") from None


class _ChoiceType(QuestionType):
    fields = frozenset({"choices"})
    FIELDS = ("id", "text", "correct", "feedback")
    CORRECT: ClassVar[tuple[int, int, str]]  # fewest and most correct choices, and the rule

    def normalize(self, data: Data) -> dict[str, Any]:
        choices = data.get("choices")
        if isinstance(choices, list | tuple):
            choices = [
                {
                    "id": _text(c.get("id"), ascii_lowercase[i] if i < 26 else str(i + 1)),
                    "text": _text(c.get("text")),
                    "correct": False if c.get("correct") is None else _bool(c.get("correct")),
                    "feedback": _text(c.get("feedback"), None),
                }
                if isinstance(c, Mapping)
                else c
                for i, c in enumerate(choices)
            ]
        return {"choices": choices}

    def _check(self, data: dict[str, Any], raw: Data, check: _Check) -> None:
        if not check.count(data["choices"], "choices", 3, 5):
            return
        ids: dict[str, str] = {}
        texts: dict[str, str] = {}
        correct = 0
        for path, choice in check.mappings(
            data["choices"], "choices", raw.get("choices"), self.FIELDS
        ):
            check.text(choice["id"], f"{path}.id", "id", ids, key=str)
            check.text(choice["text"], f"{path}.text", "choice text", texts)
            check.feedback(choice["feedback"], f"{path}.feedback")
            if not isinstance(choice["correct"], bool):
                check.add(f"{path}.correct", "Write correct: true or false.")
            correct += choice["correct"] is True
        low, high, rule = self.CORRECT
        if not low <= correct <= high:
            check.add("choices", f"Mark {rule} choice correct; {correct} are marked.")

    def correct_response(self, data: Data) -> object:
        return [choice["id"] for choice in data["choices"] if choice["correct"]]

    def choice_keys(self, data: Data, response: object) -> list[str]:
        picked = [response] if isinstance(response, str) else response
        if not isinstance(picked, list | tuple):
            return []
        ids = {choice["id"] for choice in data["choices"]}
        return [key for key in dict.fromkeys(picked) if isinstance(key, str) and key in ids]


@register
class SingleChoice(_ChoiceType):
    name = "single"
    label = "Single best answer"
    CORRECT = (1, 1, "exactly one")

    def grade(self, data: Data, response: object) -> float:
        if not isinstance(response, str):
            return 0.0
        return 1.0 if [response.strip()] == super().correct_response(data) else 0.0

    def correct_response(self, data: Data) -> str:
        return super().correct_response(data)[0]

    def parse_response(self, data: Data, fields: Fields) -> str:
        value = one(fields, "answer")
        if not value:
            raise EmptyAnswer("Choose one answer.")
        return among(value, {choice["id"] for choice in data["choices"]}, "choice")


@register
class MultipleChoice(_ChoiceType):
    name = "multiple"
    label = "Select all that apply"
    CORRECT = (1, 5, "at least one")

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


@register
class TrueFalse(QuestionType):
    name = "true_false"
    label = "True or false"
    fields = frozenset({"answer", "feedback_true", "feedback_false"})

    def normalize(self, data: Data) -> dict[str, Any]:
        return {
            "answer": _bool(data.get("answer")),
            "feedback_true": _text(data.get("feedback_true"), None),
            "feedback_false": _text(data.get("feedback_false"), None),
        }

    def _check(self, data: dict[str, Any], raw: Data, check: _Check) -> None:
        if not isinstance(data["answer"], bool):
            check.add("answer", "Write answer: true or false.")
        check.feedback(data["feedback_true"], "feedback_true")
        check.feedback(data["feedback_false"], "feedback_false")

    def grade(self, data: Data, response: object) -> float:
        answer = _bool(response)
        return 1.0 if isinstance(answer, bool) and answer is data["answer"] else 0.0

    def correct_response(self, data: Data) -> bool:
        return data["answer"]

    def parse_response(self, data: Data, fields: Fields) -> bool:
        value = one(fields, "answer").lower()
        if value not in ("true", "false"):
            raise EmptyAnswer("Choose true or false.")
        return value == "true"

    def response_fields(self, response: object) -> dict[str, Any]:
        return {"answer": "true" if response else "false"}


@register
class Matching(QuestionType):
    name = "matching"
    label = "Matching"
    fields = frozenset({"pairs", "distractors"})
    FIELDS = ("id", "prompt", "answer", "feedback")

    def normalize(self, data: Data) -> dict[str, Any]:
        pairs = data.get("pairs")
        if isinstance(pairs, list | tuple):
            pairs = [
                {
                    "id": _text(p.get("id"), str(i + 1)),
                    "prompt": _text(p.get("prompt")),
                    "answer": _text(p.get("answer")),
                    "feedback": _text(p.get("feedback"), None),
                }
                if isinstance(p, Mapping)
                else p
                for i, p in enumerate(pairs)
            ]
        return {"pairs": pairs, "distractors": _text_list(data.get("distractors"))}

    def _check(self, data: dict[str, Any], raw: Data, check: _Check) -> None:
        ids: dict[str, str] = {}
        prompts: dict[str, str] = {}
        answers: dict[str, str] = {}
        if check.count(data["pairs"], "pairs", 3, 8):
            for path, pair in check.mappings(data["pairs"], "pairs", raw.get("pairs"), self.FIELDS):
                check.text(pair["id"], f"{path}.id", "id", ids, key=str)
                check.text(pair["prompt"], f"{path}.prompt", "prompt", prompts)
                if check.text(pair["answer"], f"{path}.answer", "answer"):
                    answers.setdefault(fold(pair["answer"]), f"{path}.answer")
                check.feedback(pair["feedback"], f"{path}.feedback")
        if not isinstance(data["distractors"], list):
            check.add("distractors", "Give the distractors as a list of texts.")
            return
        seen: dict[str, str] = {}
        for j, text in enumerate(data["distractors"]):
            path = f"distractors[{j}]"
            if check.text(text, path, "distractor", seen) and fold(text) in answers:
                check.add(path, f"The distractor {text!r} is the answer of {answers[fold(text)]}.")

    def options(self, data: Data) -> list[str]:
        """What each select offers: the answers and distractors, sorted, without repeats."""
        unique: dict[str, str] = {}
        for text in [*(pair["answer"] for pair in data["pairs"]), *data.get("distractors", ())]:
            unique.setdefault(fold(text), text)
        return sorted(unique.values(), key=lambda text: (fold(text), text))

    def grade(self, data: Data, response: object) -> float:
        if not isinstance(response, Mapping) or not data["pairs"]:
            return 0.0
        pairs = data["pairs"]
        hits = [
            isinstance(c := response.get(p["id"]), str) and fold(c) == fold(p["answer"])
            for p in pairs
        ]
        return sum(hits) / len(pairs)

    def correct_response(self, data: Data) -> dict[str, str]:
        return {pair["id"]: pair["answer"] for pair in data["pairs"]}

    def parse_response(self, data: Data, fields: Fields) -> dict[str, str]:
        """Keys among the pair ids, values among the offered options (stored as offered)."""
        ids = [pair["id"] for pair in data["pairs"]]
        for name in fields:
            if name.startswith("pair-"):
                among(name.removeprefix("pair-"), ids, "matching item")
        options = {fold(text): text for text in self.options(data)}
        answer = {}
        for pair_id in ids:
            value = one(fields, f"pair-{pair_id}")
            if value:
                answer[pair_id] = options[among(fold(value), options, "match")]
        if not answer:
            raise EmptyAnswer("Choose a match for at least one item.")
        return answer

    def response_fields(self, response: object) -> dict[str, Any]:
        if not isinstance(response, Mapping):
            return {}
        return {f"pair-{key}": value for key, value in response.items()}


@register
class Numeric(QuestionType):
    name = "numeric"
    label = "Numeric answer"
    fields = frozenset({"value", "tolerance", "unit"})
    parse_number = staticmethod(parse_number)

    def normalize(self, data: Data) -> dict[str, Any]:
        unit = data.get("unit")
        return {
            "value": _number(data.get("value")),
            "tolerance": _number(data.get("tolerance")),
            "unit": unit.strip() if isinstance(unit, str) else unit,
        }

    def _check(self, data: dict[str, Any], raw: Data, check: _Check) -> None:
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


@register
class ShortAnswer(QuestionType):
    name = "short_answer"
    label = "Short answer"
    fields = frozenset({"accepted"})

    def normalize(self, data: Data) -> dict[str, Any]:
        return {"accepted": _text_list(data.get("accepted"))}

    def _check(self, data: dict[str, Any], raw: Data, check: _Check) -> None:
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
