"""The answer blocks of GIFT questions (inside the braces), read into our answer data.

Weights must be among Moodle's grades; what a format cannot say is refused naming its line.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from quizapp.domain.types.choice import choice_type
from quizapp.domain.types.grades import grade_list, valid_grade
from quizapp.interchange._common import quoted
from quizapp.interchange._gift_text import QuestionText, rich_text, show
from quizapp.interchange.model import MAX_ANSWERS, InterchangeSyntaxError

_WEIGHT = re.compile(r"\s*%\s*([-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*%")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_TF = {"T": True, "TRUE": True, "F": False, "FALSE": False}

Answer = tuple[int, str, float | None, str, str]  # offset, marker, weight, text, feedback


def _pieces(q: QuestionText, text: str, offset: int, separators: str) -> list[tuple[int, str]]:
    """`text` cut before each separator character, with each piece's offset.

    The separators are counted first: a block of millions of answers is refused before
    anything is built for them (5 MB of "~a" took 43 s and 1.2 GB).
    """
    count = sum(text.count(separator) for separator in separators)
    if count > MAX_ANSWERS:
        raise q.fail(offset, f"the question has {count} answers; at most {MAX_ANSWERS} are read")
    cuts = [0, *(i for i, ch in enumerate(text) if ch in separators), len(text)]
    return [(offset + a, text[a:b]) for a, b in pairwise(cuts)]


def _answers(q: QuestionText, text: str, offset: int, separators: str) -> list[Answer]:
    pieces = _pieces(q, text, offset, separators)
    lead_offset, lead = pieces[0]
    if lead.strip():
        raise q.fail(
            lead_offset, f"answer {quoted(lead.strip())} must start with one of {separators}"
        )
    answers = []
    for at, piece in pieces[1:]:
        marker, body = piece[0], piece[1:]
        weight = None
        if match := _WEIGHT.match(body):
            weight, body = valid_grade(float(match.group(1))), body[match.end() :]
            if weight is None:
                raise q.fail(
                    at,
                    f"answer weight {match.group(1)}% is not one of Moodle's grades "
                    f"({grade_list()})",
                )
        elif body.lstrip().startswith("%"):
            raise q.fail(at, "an answer weight must be a percentage such as %50%")
        answer, _, feedback = body.partition("#")
        if not answer.strip():
            raise q.fail(at, f"an answer after {marker!r} has no text")
        answers.append((at, marker, weight, answer, feedback))
    return answers


def read_choices(q: QuestionText, text: str, offset: int, fmt: str) -> tuple[str, dict[str, Any]]:
    """Moodle's rule: single choice when an answer is marked '=', else multiple response;
    '=' is worth 100% and '~' 0% unless a %weight% says otherwise."""
    answers = _answers(q, text, offset, "~=")
    single = any(marker == "=" for _, marker, _, _, _ in answers)
    if not single and all(weight is None for _, _, weight, _, _ in answers):
        raise q.fail(offset, "a multiple-choice block needs one '=' answer (or %weights%)")
    grades = [
        (100.0 if marker == "=" else 0.0) if weight is None else weight
        for _, marker, weight, _, _ in answers
    ]
    texts = [
        (rich_text(answer, fmt)[0], rich_text(feedback, fmt)[0]) for *_, answer, feedback in answers
    ]
    qtype = "single" if single else "multiple"
    return qtype, choice_type(qtype).from_grades(texts, grades)


def read_matching(
    q: QuestionText, text: str, offset: int, fmt: str, feedback: dict[int, str]
) -> dict[str, Any]:
    pairs: list[dict[str, Any]] = []
    distractors: list[str] = []
    pieces = _pieces(q, text, offset, "=")
    if pieces[0][1].strip():
        raise q.fail(pieces[0][0], "each matching line must start with '='")
    for at, piece in pieces[1:]:
        prompt, arrow, answer = piece[1:].partition("->")
        if not arrow:
            raise q.fail(at, f"the matching line {quoted(show(piece).strip())} has no '->'")
        prompt, answer = rich_text(prompt, fmt)[0], rich_text(answer, fmt)[0]
        if not answer:
            raise q.fail(at, "a matching line has no answer after '->'")
        if prompt:
            pairs.append({"prompt": prompt, "answer": answer})
            pairs[-1]["feedback"] = feedback.get(len(pairs))
        else:
            distractors.append(answer)
    return {"pairs": pairs, "distractors": distractors}


def _number(q: QuestionText, raw: str, at: int) -> float:
    text = show(raw).strip()
    if not _NUMBER.fullmatch(text):
        raise q.fail(at, f"the numeric answer {quoted(text)} is not a number")
    return float(text)


def _units(given: list[tuple[int, str]]) -> list[dict[str, Any]]:
    """Units from `[unit:NAME]` comments; after the first, `NAME=MULTIPLIER`."""
    units = []
    for i, (line, text) in enumerate(given):
        name, equals, multiplier = text.rpartition("=") if i else ("", "", "")
        if not equals:
            units.append({"unit": text, "multiplier": 1.0})
        elif _NUMBER.fullmatch(multiplier.strip()):
            units.append({"unit": name.strip(), "multiplier": float(multiplier)})
        else:
            raise InterchangeSyntaxError(line, f"the unit {quoted(text)} needs NAME=MULTIPLIER")
    return units


def read_numeric(q: QuestionText, text: str, offset: int, units: list) -> dict[str, Any]:
    body = text[1:].partition("~")[0]  # what follows ~ is feedback for any other answer
    if not body.strip():
        raise q.fail(offset, "the numeric block has no answer")
    offset += 1
    if not body.lstrip().startswith("="):  # a single answer may leave out the '='
        body, offset = "=" + body, offset - 1
    answers: list[dict[str, Any]] = []
    for at, _, weight, answer, feedback in _answers(q, body, offset, "="):
        answer = answer.strip()
        if answer == "*":
            continue
        if ".." in answer:
            low, high = (_number(q, part, at) for part in answer.split("..", 1))
            if high < low:
                raise q.fail(at, f"the numeric range {quoted(show(answer))} runs backwards")
            value, tolerance = (low + high) / 2, (high - low) / 2
        elif ":" in answer:
            value_text, tolerance_text = answer.split(":", 1)
            value, tolerance = _number(q, value_text, at), _number(q, tolerance_text, at)
        else:
            value, tolerance = _number(q, answer, at), 0.0
        fraction = 100.0 if weight is None else weight
        answers.append({"value": value, "tolerance": tolerance, "fraction": fraction})
        answers[-1]["feedback"] = rich_text(feedback)[0] or None
    if not any(a["fraction"] >= 100 for a in answers):
        raise q.fail(offset, "a numeric block needs an answer worth 100%")
    return {"answers": answers, "units": _units(units)}


def read_short(q: QuestionText, text: str, offset: int, fmt: str, case: bool) -> dict[str, Any]:
    answers: list[dict[str, Any]] = [
        {"text": rich_text(a, fmt)[0], "fraction": 100.0 if w is None else w}
        | {"feedback": rich_text(feedback, fmt)[0] or None}
        for _, _, w, a, feedback in _answers(q, text, offset, "=")
    ]
    if not any(a["fraction"] >= 100 for a in answers):
        raise q.fail(offset, "a short-answer block needs an answer worth 100%")
    return {"answers": answers, "case_sensitive": case}


def read_true_false(text: str, fmt: str) -> dict[str, Any] | None:
    head, _, feedback = text.partition("#")
    answer = _TF.get(head.strip().upper())
    if answer is None:
        return None
    wrong, _, right = feedback.partition("#")  # Moodle: #if-wrong#if-right
    if_wrong, if_right = rich_text(wrong, fmt)[0] or None, rich_text(right, fmt)[0] or None
    if answer:
        return {"answer": True, "feedback_true": if_right, "feedback_false": if_wrong}
    return {"answer": False, "feedback_true": if_wrong, "feedback_false": if_right}
