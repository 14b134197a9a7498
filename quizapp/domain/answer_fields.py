"""Reading a trainee's answer out of form fields, with the refusals every type shares (pure).

The question types (`quizapp/domain/types/`) use these helpers in their `parse_response`, so that
what a form may send is checked against the question version's own ids and capped in length:
nothing a client invents (an unknown choice id, a 480 KB "answer") gets stored or counted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

Fields = Mapping[str, Sequence[str]]

MAX_TEXT = 200  # characters kept of a typed answer (short answer, numeric)
MAX_SUBMITTED = 1000  # a value longer than this is refused, not silently cut


class InvalidAnswer(ValueError):
    """The answer cannot be accepted as sent; the message says what to do instead."""


class EmptyAnswer(InvalidAnswer):
    """Nothing was answered; the message says what to do."""


def checked(value: str) -> str:
    """`value` stripped, or InvalidAnswer when it is grossly over-long."""
    if len(value) > MAX_SUBMITTED:
        raise InvalidAnswer(
            f"That answer is too long ({len(value):,} characters); an answer can be at most "
            f"{MAX_TEXT} characters. Nothing was saved."
        )
    return value.strip()


def one(fields: Fields, name: str) -> str:
    """The first value of field `name`, checked and stripped ("" when absent)."""
    values = fields.get(name) or []
    return checked(values[0]) if values else ""


def among(value: str, allowed: Collection[str], what: str) -> str:
    """`value` when it is one of `allowed`, else InvalidAnswer (a page or client out of step)."""
    if value not in allowed:
        raise InvalidAnswer(
            f"That answer names a {what} this question does not have. Nothing was saved; "
            "choose from the options shown."
        )
    return value


def typed(fields: Fields) -> str:
    """A typed answer (short answer, numeric): non-empty, capped at MAX_TEXT characters."""
    value = one(fields, "answer")
    if not value:
        raise EmptyAnswer("Type an answer.")
    return value[:MAX_TEXT]
