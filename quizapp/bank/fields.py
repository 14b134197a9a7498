"""Small typed readers for fields of a YAML mapping, reporting problems instead of raising."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from quizapp.bank.specs import Problem
from quizapp.bank.yaml_lines import LineDict

KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_/.][a-z0-9]+)*$")
_DIGITS = re.compile(r"\s*[0-9]{1,6}\s*")


class FieldReader:
    """Reads fields from one mapping of one file and collects what is wrong with them."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def mapping(self, value: Any, line: int, what: str) -> LineDict | None:
        if isinstance(value, LineDict):
            return value
        self.problem(line, f"{what} must be a mapping of fields, not {_kind(value)}")
        return None

    def unknown(self, node: LineDict, allowed: set[str] | frozenset[str], what: str) -> None:
        for key in node:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.problem(node.line_of(key), f"unknown field {key!r} in {what} (known: {known})")

    def text(self, node: LineDict, key: str, *, required: bool = True, default: str = "") -> str:
        value = node.get(key)
        if value is None:
            if required:
                self.problem(node.line, f"missing required field {key!r}")
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(node.line_of(key), f"{key!r} must be text, not {_kind(value)}")
            return default
        text = str(value).strip()
        if required and not text:
            self.problem(node.line_of(key), f"{key!r} must not be empty")
        return text

    def key(self, node: LineDict, key: str) -> str:
        value = self.text(node, key)
        if value and not KEY_PATTERN.match(value):
            self.problem(
                node.line_of(key),
                f"{key!r} {value!r} must be lower-case letters and digits joined by - _ / or .",
            )
        return value

    def integer(
        self,
        node: LineDict,
        key: str,
        *,
        low: int,
        high: int,
        required: bool = True,
        digits: bool = False,
    ) -> int | None:
        """A whole number in low..high; with `digits`, also written as text ("2")."""
        value = node.get(key)
        if digits and isinstance(value, str) and _DIGITS.fullmatch(value):
            value = int(value)
        if value is None:
            if required:
                self.problem(node.line, f"missing required field {key!r}")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(node.line_of(key), f"{key!r} must be a whole number from {low} to {high}")
            return None
        return value

    def choice(self, node: LineDict, key: str, options: tuple[str, ...], default: str) -> str:
        value = node.get(key, default)
        if value not in options:
            self.problem(node.line_of(key), f"{key!r} must be one of {', '.join(options)}")
            return default
        return str(value)

    def text_list(
        self,
        node: LineDict,
        key: str,
        *,
        required: bool,
        check: Callable[[str], str | None] | None = None,
    ) -> tuple[str, ...]:
        value = node.get(key)
        line = node.line_of(key)
        if value is None:
            if required:
                self.problem(node.line, f"missing required field {key!r}")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(line, f"{key!r} must be a list of text, not {_kind(value)}")
            return ()
        items: list[str] = []
        for item in value:
            if (
                isinstance(item, bool)
                or not isinstance(item, str | int | float)
                or not str(item).strip()
            ):
                self.problem(line, f"every entry of {key!r} must be non-empty text")
                continue
            text = str(item).strip()
            message = check(text) if check else None
            if message:
                self.problem(line, message)
            items.append(text)
        if required and not items and value == []:
            self.problem(line, f"{key!r} must list at least one entry")
        return tuple(items)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return "text"
