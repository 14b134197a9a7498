"""Responses are checked against the question version's own ids, options and length caps."""

from __future__ import annotations

import pytest

from quizapp.domain.answer_fields import MAX_SUBMITTED, MAX_TEXT
from quizapp.domain.question_types import get_type
from quizapp.domain.responses import EmptyAnswer, InvalidAnswer, parse_response

CHOICES = {"choices": [{"id": c, "text": c.upper(), "correct": c == "a"} for c in "abcd"]}
PAIRS = {
    "pairs": [
        {"id": "p1", "prompt": "Insulin", "answer": "Subcutaneous"},
        {"id": "p2", "prompt": "Vaccine", "answer": "Intramuscular"},
        {"id": "p3", "prompt": "Heparin flush", "answer": "Intravenous"},
    ],
    "distractors": ["Intradermal"],
}
HUGE = "x" * 480_000


@pytest.mark.parametrize(
    ("kind", "data", "fields"),
    [
        ("single", CHOICES, {"answer": ["e"]}),
        ("single", CHOICES, {"answer": ["a; DROP TABLE"]}),
        ("single", CHOICES, {"answer": [HUGE]}),
        ("multiple", CHOICES, {"answer": ["a", "zz"]}),
        ("multiple", CHOICES, {"answer": ["a", HUGE]}),
        ("multiple", CHOICES, {"answer": ["a"] * 5}),  # more values than choices
        ("matching", PAIRS, {"pair-p1": ["Subcutaneous"], "pair-p9": ["Intradermal"]}),
        ("matching", PAIRS, {"pair-p1": ["Orally"]}),
        ("matching", PAIRS, {"pair-p1": [HUGE]}),
        ("short_answer", {"accepted": ["x"]}, {"answer": [HUGE]}),
        ("numeric", {"value": 1.0, "tolerance": 0.0, "unit": "mL"}, {"answer": [HUGE]}),
        ("true_false", {"answer": True}, {"answer": [HUGE]}),
    ],
)
def test_answers_outside_the_version_are_refused_with_a_message(kind, data, fields) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        parse_response(kind, data, fields)
    assert "answer" in str(caught.value) or "true or false" in str(caught.value)
    assert len(str(caught.value)) < 300  # the message never echoes the value


def test_over_long_text_is_refused_but_a_slightly_long_one_is_cut_to_the_cap() -> None:
    data = {"accepted": ["x"]}
    with pytest.raises(InvalidAnswer, match="too long"):
        parse_response("short_answer", data, {"answer": ["y" * (MAX_SUBMITTED + 1)]})
    assert parse_response("short_answer", data, {"answer": ["y" * MAX_SUBMITTED]}) == "y" * MAX_TEXT


def test_valid_answers_are_accepted_as_the_version_names_them() -> None:
    assert parse_response("single", CHOICES, {"answer": [" b "]}) == "b"
    assert parse_response("multiple", CHOICES, {"answer": ["d", "a", "d"]}) == ["a", "d"]
    matched = parse_response("matching", PAIRS, {"pair-p1": [" subcutaneous "], "pair-p2": [""]})
    assert matched == {"p1": "Subcutaneous"}  # stored as offered; graded the same
    assert get_type("matching").grade(PAIRS, matched) == pytest.approx(1 / 3)
    assert parse_response("matching", PAIRS, {"pair-p3": ["Intradermal"]}) == {"p3": "Intradermal"}


def test_empty_answers_stay_empty_answers() -> None:
    with pytest.raises(EmptyAnswer):
        parse_response("multiple", CHOICES, {"answer": ["", " "]})
    with pytest.raises(EmptyAnswer):
        parse_response("matching", PAIRS, {"pair-p1": [""]})


def test_only_the_versions_own_choice_ids_are_counted() -> None:
    single, multiple = get_type("single"), get_type("multiple")
    assert single.choice_keys(CHOICES, "b") == ["b"]
    assert single.choice_keys(CHOICES, "garbage") == []
    assert multiple.choice_keys(CHOICES, ["a", "x" * 50, "c", "a"]) == ["a", "c"]
    assert multiple.choice_keys(CHOICES, {"a": 1}) == []
    assert get_type("matching").choice_keys(PAIRS, {"p1": "Subcutaneous"}) == []
