"""Unit tests for the pure question-type domain code (no app, no database)."""

from __future__ import annotations

import copy
import math

import pytest

from quizapp.domain import question_types as qt
from quizapp.domain.question_types import (
    REGISTRY,
    AnswerDataProblem,
    QuestionType,
    UnknownQuestionType,
    get_type,
    parse_number,
    register,
)
from quizapp.domain.scoring import score
from tests.unit.ngn_grid_data import CLOZE, MATRIX_SINGLE, ORDERING

GARBAGE = [
    None,
    "",
    "   ",
    0,
    1,
    -1,
    2.5,
    math.nan,
    math.inf,
    True,
    False,
    [],
    {},
    [None],
    [[1]],
    {"x": [1]},
    ("a",),
    object(),
    b"a",
    {1, 2},
    10**400,
]
# Responses that are wrong for every VALID question below (no True/False, no "a").
BAD_RESPONSES = [
    *(g for g in GARBAGE if not isinstance(g, bool | tuple)),
    1j,
    "zzz",
    ["zzz"],
    {"zzz": 1},
    {"1": None},
]


def fields(problems: list[AnswerDataProblem]) -> list[str]:
    return [p.field for p in problems]


def choices(*specs: tuple[str, bool]) -> dict:
    return {"choices": [{"text": text, "correct": correct} for text, correct in specs]}


SINGLE = choices(("Intravenous", True), ("Intramuscular", False), ("Subcutaneous", False))
MULTIPLE = choices(("A1", True), ("A2", True), ("A3", True), ("W1", False), ("W2", False))
TRUE_FALSE = {"answer": True, "feedback_true": "Right.", "feedback_false": "No."}
MATCHING = {
    "pairs": [
        {"prompt": "Insulin", "answer": "Subcutaneous"},
        {"prompt": "Heparin", "answer": "Subcutaneous"},
        {"prompt": "Saline bolus", "answer": "Intravenous"},
    ],
    "distractors": ["Intrathecal"],
}
NUMERIC = {"value": 125, "tolerance": 0.5, "unit": "mL/h"}
SHORT = {"accepted": ["Phlebitis", "vein inflammation"]}
BOWTIE = {
    "condition": {"choices": ["C1", "C2", "C3", "C4"], "correct": "C1"},
    "actions": {"choices": ["A1", "A2", "W1", "W2", "W3"], "correct": ["A1", "A2"]},
    "parameters": {"choices": ["P1", "P2", "X1", "X2", "X3"], "correct": ["P1", "P2"]},
}
HIGHLIGHT = {
    "passage": [
        "Notes: ",
        {"phrase": "H1", "correct": True},
        ", ",
        {"phrase": "H2", "correct": False},
        ", ",
        {"phrase": "H3", "correct": False},
        ", ",
        {"phrase": "H4", "correct": True},
    ]
}

VALID = {
    "single": SINGLE,
    "multiple": MULTIPLE,
    "true_false": TRUE_FALSE,
    "matching": MATCHING,
    "numeric": NUMERIC,
    "short_answer": SHORT,
    "matrix": MATRIX_SINGLE,
    "cloze": CLOZE,
    "ordering": ORDERING,
    "bowtie": BOWTIE,
    "highlight": HIGHLIGHT,
}


def norm(name: str, data: dict | None = None) -> dict:
    return get_type(name).normalize(VALID[name] if data is None else data)


# --- registry -----------------------------------------------------------------------------------


def test_registry_holds_every_documented_type() -> None:
    assert list(REGISTRY) == list(VALID)
    for name, instance in REGISTRY.items():
        assert isinstance(instance, QuestionType)
        assert instance.name == name
        assert instance.label
    assert get_type("single").label == "Single best answer"
    assert get_type("multiple").label == "Select all that apply"


@pytest.mark.parametrize("name", ["essay", "", "Single", None, ["single"]])
def test_get_type_unknown_names_the_known_types(name: object) -> None:
    with pytest.raises(UnknownQuestionType) as caught:
        get_type(name)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)
    for known in VALID:
        assert known in str(caught.value)


def test_register_adds_an_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qt, "REGISTRY", dict(REGISTRY))

    @register
    class Essay(QuestionType):
        name = "essay"
        label = "Essay"

    assert isinstance(qt.get_type("essay"), Essay)
    assert "essay" not in REGISTRY  # the real registry is untouched
    register(Essay)  # registering the same class again is harmless
    with pytest.raises(ValueError, match="already registered"):

        @register
        class Other(QuestionType):
            name = "essay"
            label = "Other"

    with pytest.raises(ValueError, match="name"):

        @register
        class Nameless(QuestionType):
            label = "Nameless"


# --- every type ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(VALID))
def test_valid_data_passes_raw_and_normalized(name: str) -> None:
    kind = get_type(name)
    assert kind.validate(VALID[name]) == []
    assert kind.validate(kind.normalize(VALID[name])) == []


@pytest.mark.parametrize("name", list(VALID))
def test_normalize_is_idempotent_returns_new_dict_and_never_mutates(name: str) -> None:
    kind = get_type(name)
    raw = copy.deepcopy(VALID[name])
    once = kind.normalize(raw)
    assert raw == VALID[name]
    assert once is not raw
    assert kind.normalize(once) == once
    assert type(once) is dict


@pytest.mark.parametrize("name", list(VALID))
def test_normalize_leaves_unknown_keys_out(name: str) -> None:
    data = {**VALID[name], "stem": "Why?", "rationale": "Because.", "id": "x-1"}
    assert get_type(name).normalize(data) == norm(name)


@pytest.mark.parametrize("name", list(VALID))
@pytest.mark.parametrize("data", GARBAGE, ids=repr)
def test_validate_never_raises_on_garbage(name: str, data: object) -> None:
    kind = get_type(name)
    problems = kind.validate(data)
    assert problems
    assert all(isinstance(p, AnswerDataProblem) and p.field and p.message for p in problems)


@pytest.mark.parametrize("name", list(VALID))
@pytest.mark.parametrize("value", GARBAGE, ids=repr)
def test_validate_never_raises_on_garbage_fields(name: str, value: object) -> None:
    kind = get_type(name)
    for key in ("choices", "pairs", "distractors", "answer", "value", "tolerance", "unit"):
        kind.validate({**VALID[name], key: value})
        kind.validate({**VALID[name], key: [value, value, value]})
    kind.validate({"accepted": value, "choices": [{"text": value, "id": value, "correct": value}]})
    kind.validate({"pairs": [{"prompt": value, "answer": value, "feedback": value}] * 3})


@pytest.mark.parametrize("name", list(VALID))
def test_validate_missing_everything(name: str) -> None:
    assert get_type(name).validate({})


@pytest.mark.parametrize("name", list(VALID))
@pytest.mark.parametrize("response", BAD_RESPONSES, ids=repr)
def test_garbage_responses_grade_zero_without_raising(name: str, response: object) -> None:
    assert get_type(name).grade(norm(name), response) == 0.0


@pytest.mark.parametrize("name", list(VALID))
def test_correct_response_grades_full_marks(name: str) -> None:
    kind = get_type(name)
    data = norm(name)
    assert kind.grade(data, kind.correct_response(data)) == 1.0


def test_problems_are_frozen() -> None:
    problem = AnswerDataProblem("choices", "Oops.")
    with pytest.raises(AttributeError):
        problem.field = "x"  # type: ignore[misc]


# --- single and multiple --------------------------------------------------------------------------


def test_choice_normalize_fills_ids_strips_and_defaults() -> None:
    raw = {
        "choices": [
            {"text": "  Intravenous ", "correct": True, "feedback": "  Yes. "},
            {"id": " own ", "text": "Intramuscular", "feedback": "   "},
            {"text": 42, "correct": "FALSE", "colour": "red"},
        ]
    }
    assert get_type("single").normalize(raw) == {
        "choices": [
            {
                "id": "a",
                "text": "Intravenous",
                "correct": True,
                "feedback": "Yes.",
                "fraction": None,
            },
            {"id": "own", "text": "Intramuscular", "correct": False, "feedback": None}
            | {"fraction": None},
            {"id": "c", "text": "42", "correct": False, "feedback": None, "fraction": None},
        ]
    }


def test_choice_ids_follow_position_not_count() -> None:
    raw = {"choices": [{"id": "x", "text": "A"}, {"text": "B"}, {"text": "C"}]}
    assert [c["id"] for c in get_type("multiple").normalize(raw)["choices"]] == ["x", "b", "c"]


def test_choice_normalize_deep_copies() -> None:
    raw = copy.deepcopy(SINGLE)
    normalized = get_type("single").normalize(raw)
    normalized["choices"][0]["text"] = "changed"
    assert raw == SINGLE


@pytest.mark.parametrize("name", ["single", "multiple"])
@pytest.mark.parametrize(
    ("change", "field"),
    [
        # 2 and 6+ choices are valid (imported questions); 3 to 5 is the bank's lint rule.
        (lambda d: d.update(choices=d["choices"][:1]), "choices"),
        (lambda d: d["choices"].extend([{"text": f"x{i}"} for i in range(98)]), "choices"),
        (lambda d: d.update(choices="A, B, C"), "choices"),
        (lambda d: d.pop("choices"), "choices"),
        (lambda d: d["choices"][2].update(text="  "), "choices[2].text"),
        (lambda d: d["choices"][2].pop("text"), "choices[2].text"),
        (lambda d: d["choices"][2].update(text=["x"]), "choices[2].text"),
        (lambda d: d["choices"][2].update(text=" intravenous "), "choices[2].text"),
        (lambda d: d["choices"][1].update(id="a"), "choices[1].id"),
        (lambda d: d["choices"][1].update(id=["a"]), "choices[1].id"),
        (lambda d: d["choices"][1].update(correct="yes"), "choices[1].correct"),
        (lambda d: d["choices"][1].update(correct=1), "choices[1].correct"),
        (lambda d: d["choices"][1].update(feedback=["x"]), "choices[1].feedback"),
        (lambda d: d["choices"].__setitem__(1, "Intramuscular"), "choices[1]"),
        (lambda d: d["choices"][1].update(corect=True), "choices[1]"),
    ],
)
def test_choice_rules(name: str, change, field: str) -> None:
    data = copy.deepcopy(SINGLE)
    change(data)
    assert field in fields(get_type(name).validate(data))


def test_duplicate_text_message_names_the_first() -> None:
    data = choices(("Heparin", True), ("Saline", False), ("HEPARIN", False))
    [problem] = get_type("single").validate(data)
    assert problem == AnswerDataProblem(
        "choices[2].text", "The choice text 'HEPARIN' repeats choices[0].text."
    )


@pytest.mark.parametrize("count", [3, 4, 5])
def test_three_to_five_choices_pass(count: int) -> None:
    data = choices(("c0", True), *((f"c{i}", False) for i in range(1, count)))
    assert get_type("single").validate(data) == []


@pytest.mark.parametrize("correct", [0, 2, 3])
def test_single_needs_exactly_one_correct(correct: int) -> None:
    data = choices(*((f"c{i}", i < correct) for i in range(4)))
    assert fields(get_type("single").validate(data)) == ["choices"]


@pytest.mark.parametrize(("correct", "ok"), [(0, False), (1, True), (3, True), (4, True)])
def test_multiple_needs_at_least_one_correct(correct: int, ok: bool) -> None:
    data = choices(*((f"c{i}", i < correct) for i in range(4)))
    assert (get_type("multiple").validate(data) == []) is ok


@pytest.mark.parametrize(
    ("response", "mark"), [("a", 1.0), (" a ", 1.0), ("b", 0.0), ("c", 0.0), ("A", 0.0)]
)
def test_single_grade(response: str, mark: float) -> None:
    assert get_type("single").grade(norm("single"), response) == mark


def test_single_correct_response_is_the_id() -> None:
    data = norm("single", choices(("x", False), ("y", True), ("z", False)))
    assert get_type("single").correct_response(data) == "b"


@pytest.mark.parametrize(
    ("response", "mark"),
    [
        (["a", "b", "c"], 1.0),
        (("c", "a", "b"), 1.0),
        ({"a", "b", "c"}, 1.0),
        (iter(["a", "b", "c"]), 1.0),
        (["a"], 1 / 3),
        (["a", "b"], 2 / 3),
        (["a", "b", "d"], 1 / 3),
        (["a", "b", "c", "d", "e"], 1 / 3),
        (["a", "b", "c", "d"], 2 / 3),
        (["a", "d"], 0.0),
        (["a", "d", "e"], 0.0),
        (["d"], 0.0),
        (["d", "e"], 0.0),
        ([], 0.0),
        (["a", "a", "a"], 1 / 3),
        (["a", "zzz", 7, None], 1 / 3),
        (["a", ["b"]], 1 / 3),
        ("abc", 0.0),
        ({"a": True, "b": True}, 0.0),
    ],
)
def test_multiple_grade(response: object, mark: float) -> None:
    assert get_type("multiple").grade(norm("multiple"), response) == pytest.approx(mark)


def test_multiple_correct_response_lists_correct_ids() -> None:
    assert get_type("multiple").correct_response(norm("multiple")) == ["a", "b", "c"]


# --- true / false -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [(True, True), (False, False), ("true", True), (" FALSE ", False), ("True", True)],
)
def test_true_false_normalize_accepts_strings(answer: object, expected: bool) -> None:
    normalized = get_type("true_false").normalize({"answer": answer, "feedback_true": "  "})
    assert normalized == {"answer": expected, "feedback_true": None, "feedback_false": None}
    assert get_type("true_false").validate({"answer": answer}) == []


@pytest.mark.parametrize("answer", [None, 1, 0, "yes", "t", "", [True], 1.0])
def test_true_false_answer_must_be_a_real_bool(answer: object) -> None:
    assert fields(get_type("true_false").validate({"answer": answer})) == ["answer"]


def test_true_false_missing_answer_and_bad_feedback() -> None:
    assert fields(get_type("true_false").validate({"feedback_false": 3.5})) == ["answer"]
    data = {"answer": False, "feedback_true": ["x"], "feedback_false": {"x": 1}}
    assert fields(get_type("true_false").validate(data)) == ["feedback_true", "feedback_false"]


@pytest.mark.parametrize(
    ("answer", "response", "mark"),
    [
        (True, True, 1.0),
        (True, False, 0.0),
        (False, False, 1.0),
        (False, True, 0.0),
        (True, "true", 1.0),
        (True, " True ", 1.0),
        (False, "FALSE", 1.0),
        (False, "true", 0.0),
        (True, 1, 0.0),
        (False, 0, 0.0),
        (False, None, 0.0),
        (False, "", 0.0),
        (True, "yes", 0.0),
    ],
)
def test_true_false_grade(answer: bool, response: object, mark: float) -> None:
    kind = get_type("true_false")
    assert kind.grade(kind.normalize({"answer": answer}), response) == mark
    assert kind.correct_response(kind.normalize({"answer": answer})) is answer


# --- matching -----------------------------------------------------------------------------------


def test_matching_normalize_fills_ids_and_distractors() -> None:
    raw = {
        "pairs": [
            {"prompt": " Insulin ", "answer": " Subcutaneous", "feedback": "Fat layer."},
            {"id": "hep", "prompt": "Heparin", "answer": "Subcutaneous", "extra": 1},
            {"prompt": "Saline", "answer": "Intravenous", "feedback": ""},
        ]
    }
    normalized = get_type("matching").normalize(raw)
    assert normalized == {
        "pairs": [
            {"id": "1", "prompt": "Insulin", "answer": "Subcutaneous", "feedback": "Fat layer."},
            {"id": "hep", "prompt": "Heparin", "answer": "Subcutaneous", "feedback": None},
            {"id": "3", "prompt": "Saline", "answer": "Intravenous", "feedback": None},
        ],
        "distractors": [],
    }
    assert get_type("matching").normalize(normalized) == normalized
    assert get_type("matching").normalize({**raw, "distractors": " IM "})["distractors"] == ["IM"]


def pairs(count: int) -> dict:
    return {"pairs": [{"prompt": f"p{i}", "answer": f"a{i}"} for i in range(count)]}


@pytest.mark.parametrize(
    ("count", "ok"),
    [(0, False), (1, False), (2, True), (3, True), (8, True), (9, True), (100, True), (101, False)],
)
def test_matching_holds_two_to_a_hundred_pairs(count: int, ok: bool) -> None:
    problems = get_type("matching").validate(pairs(count))
    assert (problems == []) is ok
    assert ok or fields(problems) == ["pairs"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.pop("pairs"), "pairs"),
        (lambda d: d.update(pairs={"a": "b"}), "pairs"),
        (lambda d: d["pairs"][1].update(prompt=""), "pairs[1].prompt"),
        (lambda d: d["pairs"][1].pop("prompt"), "pairs[1].prompt"),
        (lambda d: d["pairs"][1].update(answer="  "), "pairs[1].answer"),
        (lambda d: d["pairs"][1].update(answer=None), "pairs[1].answer"),
        (lambda d: d["pairs"][2].update(prompt=" insulin "), "pairs[2].prompt"),
        (lambda d: d["pairs"][2].update(id="1"), "pairs[2].id"),
        (lambda d: d["pairs"][0].update(id=["x"]), "pairs[0].id"),
        (lambda d: d["pairs"][0].update(feedback=5j), "pairs[0].feedback"),
        (lambda d: d["pairs"][0].update(promt="x"), "pairs[0]"),
        (lambda d: d["pairs"].__setitem__(0, "Insulin"), "pairs[0]"),
        (lambda d: d.update(distractors=["subcutaneous"]), "distractors[0]"),
        (lambda d: d.update(distractors=["IM", "INTRAVENOUS "]), "distractors[1]"),
        (lambda d: d.update(distractors=["IM", "im"]), "distractors[1]"),
        (lambda d: d.update(distractors=["IM", ""]), "distractors[1]"),
        (lambda d: d.update(distractors=[["IM"]]), "distractors[0]"),
        (lambda d: d.update(distractors={"IM": 1}), "distractors"),
    ],
)
def test_matching_rules(change, field: str) -> None:
    data = copy.deepcopy(MATCHING)
    change(data)
    assert field in fields(get_type("matching").validate(data))


def test_matching_answers_may_repeat_and_distractors_are_optional() -> None:
    data = {key: value for key, value in MATCHING.items() if key != "distractors"}
    assert get_type("matching").validate(data) == []
    assert get_type("matching").validate({**data, "distractors": None}) == []


def test_matching_options_are_sorted_unique_answers_and_distractors() -> None:
    data = norm("matching", {**MATCHING, "distractors": ["Intrathecal", "epidural"]})
    assert get_type("matching").options(data) == [
        "epidural",
        "Intrathecal",
        "Intravenous",
        "Subcutaneous",
    ]


@pytest.mark.parametrize(
    ("response", "mark"),
    [
        ({"1": "Subcutaneous", "2": "Subcutaneous", "3": "Intravenous"}, 1.0),
        ({"1": " subcutaneous ", "2": "SUBCUTANEOUS", "3": "intra venous"}, 2 / 3),
        ({"1": "Sub  cutaneous", "2": "Subcutaneous", "3": "Intra\tvenous"}, 1 / 3),
        ({"1": "Subcutaneous", "2": "Intravenous", "3": "Intrathecal"}, 1 / 3),
        ({"1": "Subcutaneous"}, 1 / 3),
        ({"1": "Intrathecal", "2": None, "3": 3}, 0.0),
        ({1: "Subcutaneous", 2: "Subcutaneous", 3: "Intravenous"}, 0.0),
        ({}, 0.0),
        ([("1", "Subcutaneous")], 0.0),
    ],
)
def test_matching_grade(response: object, mark: float) -> None:
    assert get_type("matching").grade(norm("matching"), response) == pytest.approx(mark)


def test_matching_grade_folds_inner_white_space_in_the_key_too() -> None:
    data = norm("matching", {"pairs": [{"prompt": "p", "answer": "Intra   venous"}]})
    assert get_type("matching").grade(data, {"1": "intra venous"}) == 1.0


def test_matching_correct_response_maps_ids_to_answers() -> None:
    assert get_type("matching").correct_response(norm("matching")) == {
        "1": "Subcutaneous",
        "2": "Subcutaneous",
        "3": "Intravenous",
    }


# --- numeric ------------------------------------------------------------------------------------


def test_numeric_normalize_coerces_numbers() -> None:
    kind = get_type("numeric")
    expected = {
        "answers": [{"value": 125.0, "tolerance": 0.5, "fraction": 100.0, "feedback": None}],
        "units": [{"unit": "mL/h", "multiplier": 1.0}],
    }
    assert kind.normalize(NUMERIC) == expected
    assert kind.normalize({"value": "125", "tolerance": " 0,5 ", "unit": " mL/h "}) == expected
    assert isinstance(kind.normalize({"value": 3})["answers"][0]["value"], float)
    assert kind.normalize({}) == {
        "answers": [{"value": None, "tolerance": 0.0, "fraction": 100.0, "feedback": None}],
        "units": [],
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"value": None}, "value"),
        ({"value": "lots"}, "value"),
        ({"value": math.nan}, "value"),
        ({"value": math.inf}, "value"),
        ({"value": "inf"}, "value"),
        ({"value": True}, "value"),
        ({"value": False}, "value"),
        ({"tolerance": False}, "tolerance"),
        ({"value": 10**400}, "value"),
        ({"tolerance": -0.1}, "tolerance"),
        ({"tolerance": "-1"}, "tolerance"),
        ({"tolerance": -math.inf}, "tolerance"),
        ({"tolerance": math.nan}, "tolerance"),
        ({"unit": 5j}, "unit"),
    ],
)
def test_numeric_rules(change: dict, field: str) -> None:
    assert fields(get_type("numeric").validate({**NUMERIC, **change})) == [field]


@pytest.mark.parametrize("unit", ["", "   ", None])
def test_numeric_unit_is_optional(unit: object) -> None:
    """Issue 14: a numeric question without a unit is valid (bank lint still asks for one)."""
    kind = get_type("numeric")
    assert kind.validate({**NUMERIC, "unit": unit}) == []
    assert kind.normalize({**NUMERIC, "unit": unit})["units"] == []


def test_numeric_tolerance_defaults_to_zero() -> None:
    data = get_type("numeric").normalize({"value": 5})
    assert data["answers"][0]["tolerance"] == 0.0
    assert get_type("numeric").grade(data, "5") == 1.0
    assert get_type("numeric").grade(data, "5.01") == 0.0


def test_numeric_zero_tolerance_is_valid() -> None:
    assert get_type("numeric").validate({**NUMERIC, "tolerance": 0}) == []


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        (12.5, None, 12.5),
        (12, None, 12.0),
        (-3, None, -3.0),
        ("12.5", None, 12.5),
        (" 12,5 ", None, 12.5),
        ("+7", None, 7.0),
        ("-0.25", None, -0.25),
        (".5", None, 0.5),
        ("5.", None, 5.0),
        ("1e3", None, 1000.0),
        ("125 mL/h", "mL/h", 125.0),
        ("125mL/h", "mL/h", 125.0),
        ("125 ml/H", "mL/h", 125.0),
        (" 12,5 mL ", "mL", 12.5),
        ("125 mL/h", None, None),
        ("125 mL/h", "gtt/min", None),
        ("125 mL/h", "h", None),
        ("mL/h", "mL/h", None),
        ("1,250.5", None, None),
        ("1,2,5", None, None),
        ("1 000", None, None),
        ("1_000", None, None),
        ("nan", None, None),
        ("inf", None, None),
        ("-Infinity", None, None),
        ("1e999", None, None),
        ("0x10", None, None),
        ("12..5", None, None),
        ("", None, None),
        ("   ", None, None),
        ("twelve", None, None),
        ("١٢", None, None),
        (math.nan, None, None),
        (math.inf, None, None),
        (10**400, None, None),
        (True, None, None),
        (None, None, None),
        ([12.5], None, None),
        (b"12", None, None),
    ],
)
def test_parse_number(raw: object, unit: str | None, expected: float | None) -> None:
    assert parse_number(raw, unit) == expected
    assert get_type("numeric").parse_number(raw, unit) == expected  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("response", "mark"),
    [
        (125, 1.0),
        (125.0, 1.0),
        (125.5, 1.0),
        (124.5, 1.0),
        (125.500001, 0.0),
        (124.49, 0.0),
        ("125.5", 1.0),
        ("124,5", 1.0),
        (" 125,3 ", 1.0),
        ("125 mL/h", 1.0),
        ("125.4mL/h", 1.0),
        ("125 gtt/min", 0.0),
        ("126", 0.0),
        ("about 125", 0.0),
        (math.nan, 0.0),
        (math.inf, 0.0),
        (True, 0.0),
    ],
)
def test_numeric_grade_with_tolerance_boundaries(response: object, mark: float) -> None:
    assert get_type("numeric").grade(norm("numeric"), response) == mark


@pytest.mark.parametrize(
    ("value", "tolerance", "response", "mark"),
    [
        (0.3, 0.1, 0.2, 1.0),  # 0.3 - 0.2 == 0.09999999999999998
        (0.3, 0.1, 0.4, 1.0),  # 0.4 - 0.3 == 0.10000000000000003: saved by the epsilon
        (2.0, 0.0, 2.0, 1.0),
        (2.0, 0.0, "2,0", 1.0),
        (2.0, 0.0, 2.0000001, 0.0),
        (-5.0, 1.0, -6.0, 1.0),
        (-5.0, 1.0, -6.01, 0.0),
        (1e308, 0.0, -1e308, 0.0),
    ],
)
def test_numeric_tolerance_is_inclusive(value, tolerance, response, mark) -> None:
    data = norm("numeric", {"value": value, "tolerance": tolerance, "unit": "h"})
    assert get_type("numeric").grade(data, response) == mark


def test_numeric_correct_response_is_the_value() -> None:
    assert get_type("numeric").correct_response(norm("numeric")) == 125.0


# --- short answer -------------------------------------------------------------------------------


def test_short_answer_normalize() -> None:
    kind = get_type("short_answer")

    def full(*texts: str) -> dict:
        answers = [{"text": t, "fraction": 100.0, "feedback": None} for t in texts]
        return {"answers": answers, "case_sensitive": False}

    assert kind.normalize({"accepted": [" Phlebitis ", 42]}) == full("Phlebitis", "42")
    assert kind.normalize({"accepted": " heparin "}) == full("heparin")
    assert kind.normalize({"accepted": []}) == full()
    assert kind.normalize({}) == {"answers": None, "case_sensitive": False}


@pytest.mark.parametrize(
    ("accepted", "field"),
    [
        (None, "accepted"),
        ([], "accepted"),
        ("", "accepted[0]"),
        ({"a": 1}, "accepted"),
        (["ok", ""], "accepted[1]"),
        (["ok", "   "], "accepted[1]"),
        (["ok", None], "accepted[1]"),
        (["ok", ["x"]], "accepted[1]"),
        (["Phlebitis", "  PHLEBITIS"], "accepted[1]"),
        (["vein  inflammation", "Vein inflammation"], "accepted[1]"),
    ],
)
def test_short_answer_rules(accepted: object, field: str) -> None:
    assert fields(get_type("short_answer").validate({"accepted": accepted})) == [field]


@pytest.mark.parametrize(
    ("response", "mark"),
    [
        ("Phlebitis", 1.0),
        ("phlebitis", 1.0),
        ("  PHLEBITIS \n", 1.0),
        ("Vein   inflammation", 1.0),
        ("vein\tINFLAMMATION", 1.0),
        ("veininflammation", 0.0),
        ("phlebitis!", 0.0),
        ("inflammation", 0.0),
        ("", 0.0),
        ("   ", 0.0),
        (["Phlebitis"], 0.0),
    ],
)
def test_short_answer_grade_folds_case_and_space(response: object, mark: float) -> None:
    assert get_type("short_answer").grade(norm("short_answer"), response) == mark


def test_short_answer_accepted_with_odd_spacing_still_matches() -> None:
    data = norm("short_answer", {"accepted": ["  Normal   SALINE "]})
    assert get_type("short_answer").grade(data, "normal saline") == 1.0
    assert get_type("short_answer").correct_response(data) == "Normal   SALINE"


# --- scoring ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marks", "weights", "expected"),
    [
        ([], None, 0.0),
        ([], [], 0.0),
        ([1.0], None, 1.0),
        ([0.0], None, 0.0),
        ([1.0, 0.0], None, 0.5),
        ([1.0, 0.0, 0.5, 0.5], None, 0.5),
        ((1, 1 / 3, 2 / 3), None, 2 / 3),
        ([1.0, 0.0], [3, 1], 0.75),
        ([1.0, 0.0], [0, 1], 0.0),
        ([0.5, 1.0], [0, 0], 0.0),
        ([0.1] * 10, None, 0.1),
    ],
)
def test_score(marks, weights, expected: float) -> None:
    assert score(marks, weights) == pytest.approx(expected)
    assert 0.0 <= score(marks, weights) <= 1.0


@pytest.mark.parametrize(
    ("marks", "weights"),
    [
        ([1.0], [1.0, 2.0]),
        ([1.0, 0.0], [1.0]),
        ([1.5], None),
        ([-0.1], None),
        ([math.nan], None),
        ([1.0], [-1.0]),
        ([1.0], [math.inf]),
        ([1.0], [math.nan]),
    ],
)
def test_score_rejects_bad_input(marks, weights) -> None:
    with pytest.raises(ValueError):
        score(marks, weights)
