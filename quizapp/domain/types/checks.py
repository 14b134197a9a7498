"""The checks and coercions every question type shares (stdlib only).

`normalize` never raises on a mapping: values these helpers cannot coerce are kept as they are,
so that `validate` (which normalises first) can name them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from quizapp.domain.types.grades import valid_grade

MAX_ENTRIES = 100  # choices, pairs or answers one question may hold (interchange MAX_ANSWERS)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class AnswerDataProblem:
    field: str  # a path such as "choices", "choices[2].text", "pairs[0].answer"
    message: str


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


def clean_text(value: object, empty: Any = "") -> Any:
    """Stripped text (numbers become text); `empty` for None or blank; anything else unchanged."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        value = value.strip()
    return empty if value is None or value == "" else value


def clean_bool(value: object) -> Any:
    text = value.strip().casefold() if isinstance(value, str) else None
    return text == "true" if text in ("true", "false") else value


def clean_number(value: object) -> Any:
    """A float from a number or numeric text; inf and nan stay floats for validate to report."""
    if isinstance(value, str):
        number = parse_number(value)
        return value if number is None else number
    try:
        return float(value) if isinstance(value, int | float) and type(value) is not bool else value
    except OverflowError:
        return value


def clean_grade(value: object) -> Any:
    """A grade in percent: None when left out, the Moodle grade it stands for (33.333 is
    33.33333), or the value as given for validate to report."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = clean_number(value)
    if isinstance(number, float):
        return valid_grade(number) if valid_grade(number) is not None else number
    return number


def clean_text_list(value: object) -> Any:
    if value is None or isinstance(value, str):
        value = [] if value is None else [value]
    return [clean_text(item) for item in value] if isinstance(value, list | tuple) else value


class Check:
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


def sparse(items: list[dict[str, Any]], defaults: list[dict[str, Any]], fields: tuple) -> list:
    """Entries without what normalising gives back (the default id, false, None), so that the
    bank files stay as short as they were written."""
    return [
        {
            field: item[field]
            for field in fields
            if item[field] not in (None, False) and (field != "id" or item["id"] != default["id"])
        }
        for item, default in zip(items, defaults, strict=True)
    ]


def format_number(value: object) -> str:
    """A number as short text that reads back as the same float ("125", "0.5", "1e-07")."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)
