"""Turn submitted form fields into a type's response value (pure: fields are given as a mapping
of name to list of values, as a form decodes them). Each question type parses its own response
(`QuestionType.parse_response`), checked against the version's ids and capped in length."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quizapp.domain.answer_fields import (
    EmptyAnswer as EmptyAnswer,
    Fields as Fields,
    InvalidAnswer as InvalidAnswer,
)
from quizapp.domain.types import get_type


def parse_response(type_name: str, data: Mapping[str, Any], fields: Fields) -> Any:
    """The response value for `type_name` from the form fields, or EmptyAnswer/InvalidAnswer."""
    return get_type(type_name).parse_response(data, fields)


def response_fields(type_name: str, response: Any) -> dict[str, Any]:
    """What to pre-fill a form with from a saved response (the inverse of parse_response)."""
    if response is None:
        return {}
    return get_type(type_name).response_fields(response)
