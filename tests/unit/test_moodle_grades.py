"""Issue 14's Moodle-grade answer model: grades per choice and answer, wildcards, units."""

from __future__ import annotations

import pytest

from quizapp.domain.types import get_type
from quizapp.domain.types.grades import VALID_GRADES, valid_grade


def fields(problems) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.field for p in problems]


def graded(name: str, data: dict) -> dict:
    kind = get_type(name)
    assert kind.validate(data) == [], kind.validate(data)
    return kind.normalize(data)


def test_moodle_grade_list_and_tolerant_match() -> None:
    assert len(VALID_GRADES) == 41 and 33.33333 in VALID_GRADES and -14.28571 in VALID_GRADES
    assert valid_grade(33.333) == 33.33333 and valid_grade(-50) == -50.0
    assert valid_grade(33) is None and valid_grade(-37) is None and valid_grade(33.33) is None


def test_single_gives_partial_credit_for_a_graded_choice() -> None:
    data = graded(
        "single",
        {"choices": [{"text": "Best", "correct": True}, {"text": "Half", "fraction": 50},
                     {"text": "Wrong"}]},
    )  # fmt: skip
    kind = get_type("single")
    assert [kind.grade(data, c) for c in ("a", "b", "c")] == [1.0, 0.5, 0.0]
    assert [c["fraction"] for c in data["choices"]] == [100.0, 50.0, 0.0]
    assert kind.file_fields(data)["choices"][1] == {"text": "Half", "fraction": 50.0}


@pytest.mark.parametrize(
    ("choice", "field"),
    [
        ({"text": "Half", "fraction": 33}, "choices[1].fraction"),
        ({"text": "Half", "fraction": -50}, "choices[1].fraction"),  # single: no penalties
        ({"text": "Half", "fraction": "lots"}, "choices[1].fraction"),
        ({"text": "Half", "fraction": 100, "correct": False}, "choices[1].fraction"),
    ],
)
def test_single_refuses_grades_naming_the_field(choice: dict, field: str) -> None:
    data = {"choices": [{"text": "Best", "correct": True}, choice, {"text": "Wrong"}]}
    assert field in fields(get_type("single").validate(data))


def test_multiple_with_moodle_fractions_sums_the_picks_and_clamps() -> None:
    data = graded(
        "multiple",
        {"choices": [{"text": t, "fraction": f} for t, f in
                     (("A", 50), ("B", -100), ("C", 50), ("D", -100))]},
    )  # fmt: skip
    kind = get_type("multiple")
    assert [c["correct"] for c in data["choices"]] == [True, False, True, False]
    assert kind.grade(data, ["a", "c"]) == 1.0
    assert kind.grade(data, ["a"]) == 0.5
    assert kind.grade(data, ["a", "b"]) == 0.0  # -0.5 clamped
    assert kind.grade(data, ["a", "c", "d"]) == 0.0
    # Our own scoring would give 0.5 for a, c, d (2 right - 1 wrong over 2): Moodle's is kept.
    assert kind.grades(data) == [50.0, -100.0, 50.0, -100.0]


def test_multiple_thirds_add_up_to_full_marks() -> None:
    data = graded("multiple", {"choices": [{"text": t, "fraction": 33.333} for t in "ABC"]})
    assert get_type("multiple").grade(data, ["a", "b", "c"]) == 1.0


def test_multiple_positive_grades_must_add_up_to_100() -> None:
    data = {"choices": [{"text": "A", "fraction": 40}, {"text": "B", "fraction": 50}]}
    assert fields(get_type("multiple").validate(data)) == ["choices"]


def test_short_answer_grades_fractions_wildcards_and_case() -> None:
    data = graded(
        "short_answer",
        {"answers": [{"text": "Cat", "fraction": 100, "feedback": "Yes."},
                     {"text": "ca*", "fraction": 50, "feedback": "Close."}]},
    )  # fmt: skip
    kind = get_type("short_answer")
    assert [kind.grade(data, r) for r in ("cat", " CAT ", "cattle", "car", "dog", "xca")] == [
        1.0, 1.0, 0.5, 0.5, 0.0, 0.0,
    ]  # fmt: skip
    assert kind.review(data, "cattle", []).feedback == ["Close."]
    assert kind.review(data, "Cat", []).feedback == ["Yes."]
    strict = graded("short_answer", {"answers": [{"text": "NaCl"}], "case_sensitive": True})
    assert (kind.grade(strict, "NaCl"), kind.grade(strict, "nacl")) == (1.0, 0.0)


def test_short_answer_needs_a_full_mark_answer_and_valid_grades() -> None:
    kind = get_type("short_answer")
    assert fields(kind.validate({"answers": [{"text": "Cat", "fraction": 50}]})) == ["answers"]
    assert fields(kind.validate({"answers": [{"text": "Cat", "fraction": 45}]})) == [
        "answers[0].fraction"
    ]


def test_numeric_several_answers_and_units_with_multipliers() -> None:
    data = graded(
        "numeric",
        {
            "answers": [{"value": 125, "tolerance": 0.5, "feedback": "Right."},
                        {"min": 120, "max": 130, "fraction": 50, "feedback": "Near."}],
            "units": [{"unit": "mL/h"}, {"unit": "L/h", "multiplier": 0.001}],
        },
    )  # fmt: skip
    kind = get_type("numeric")
    marks = [kind.grade(data, r) for r in ("125", "125 mL/h", "0.125 L/h", "0.121 L/h", "131")]
    assert marks == [1.0, 1.0, 1.0, 0.5, 0.0]
    assert kind.review(data, "0.121 L/h", []).feedback == ["Near."]
    assert kind.review(data, "125", []).correct_answer == "125 mL/h (± 0.5)"


def test_numeric_first_unit_is_the_answers_own() -> None:
    data = {"value": 1, "units": [{"unit": "L/h", "multiplier": 0.001}]}
    assert fields(get_type("numeric").validate(data)) == ["units[0].multiplier"]


def test_grade_texts_and_the_edges_of_the_grade_rules() -> None:
    """What mutation testing found unpinned (docs/testing.md): how a grade is written, what
    the refusal quotes, the strict tolerance, and the clamp of a mark."""
    from quizapp.domain.types import grades

    assert [grades.percent_text(g) for g in (50.0, 33.33333, -100.0, 0.0, 12.5)] == [
        "50", "33.33333", "-100", "0", "12.5"
    ]  # fmt: skip
    assert grades.grade_list(0.0).startswith("100, 90, 83.33333, ")
    assert grades.grade_list(0.0).endswith(", 5, 0")
    assert grades.grade_list(5.0).endswith(", 10, 5")
    assert (grades.grade_problem(37.0) or "").startswith("The grade 37% is not one of")
    assert (grades.grade_problem("x") or "").startswith("The grade 'x'% is not one of")
    assert grades.valid_grade(0.001) is None  # strictly within the tolerance
    assert grades.valid_grade(0.0009) == 0.0
    assert grades.to_mark(150.0) == 1.0 and grades.to_mark(-50.0) == 0.0
