"""Turn submitted form fields into a type's response value (pure: fields are given as a mapping
of name to list of values, as a form decodes them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Fields = Mapping[str, Sequence[str]]


class EmptyAnswer(ValueError):
    """Nothing was answered; the message says what to do."""


def _one(fields: Fields, name: str) -> str:
    values = fields.get(name) or []
    return values[0].strip() if values else ""


def parse_response(type_name: str, data: Mapping[str, Any], fields: Fields) -> Any:
    """The response value for `type_name` from the form fields, or EmptyAnswer."""
    if type_name == "single":
        value = _one(fields, "answer")
        if not value:
            raise EmptyAnswer("Choose one answer.")
        return value
    if type_name == "multiple":
        values = sorted({v for v in fields.get("answer", []) if v})
        if not values:
            raise EmptyAnswer("Select at least one answer.")
        return values
    if type_name == "true_false":
        value = _one(fields, "answer").lower()
        if value not in ("true", "false"):
            raise EmptyAnswer("Choose true or false.")
        return value == "true"
    if type_name == "matching":
        answer = {p["id"]: _one(fields, f"pair-{p['id']}") for p in data["pairs"]}
        if not any(answer.values()):
            raise EmptyAnswer("Choose a match for at least one item.")
        return {key: value for key, value in answer.items() if value}
    if type_name in ("numeric", "short_answer"):
        value = _one(fields, "answer")
        if not value:
            raise EmptyAnswer("Type an answer.")
        return value[:200]
    raise ValueError(f"unknown question type {type_name!r}")


def response_fields(type_name: str, response: Any) -> dict[str, Any]:
    """What to pre-fill a form with from a saved response (the inverse of parse_response)."""
    if response is None:
        return {}
    if type_name == "multiple":
        return {"answer": list(response)}
    if type_name == "true_false":
        return {"answer": "true" if response else "false"}
    if type_name == "matching":
        return {f"pair-{key}": value for key, value in dict(response).items()}
    return {"answer": str(response)}
