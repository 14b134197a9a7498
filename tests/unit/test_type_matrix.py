"""The matrix (grid) type: its checks, its two scoring rules on the edge cases, its answer
fields, its review per row and its export refusals."""

from __future__ import annotations

import copy

import pytest

from quizapp.domain.answer_fields import EmptyAnswer, InvalidAnswer
from quizapp.domain.types import NotExpressible, get_type
from tests.unit.ngn_grid_data import MATRIX_MULTIPLE, MATRIX_SINGLE

MATRIX = get_type("matrix")
SINGLE = MATRIX.normalize(MATRIX_SINGLE)
MULTI = MATRIX.normalize(MATRIX_MULTIPLE)


def problems(data: dict) -> dict[str, str]:
    return {p.field: p.message for p in MATRIX.validate(data)}


def changed(**rows: object) -> dict:
    data = copy.deepcopy(MATRIX_SINGLE)
    for index, row in rows.items():
        data["rows"][int(index.removeprefix("r"))].update(row)  # type: ignore[arg-type]
    return data


# --- checks -----------------------------------------------------------------------------------


def test_valid_grids_pass_and_labels_take_the_columns_spelling() -> None:
    assert MATRIX.validate(MATRIX_SINGLE) == [] and MATRIX.validate(MATRIX_MULTIPLE) == []
    data = MATRIX.normalize(changed(r0={"correct": "indicated"}))
    assert data["rows"][0]["correct"] == ["Indicated"]
    assert [r["id"] for r in data["rows"]] == ["1", "2", "3", "4"]


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (changed(r1={"correct": ["Indicated", "Contraindicated"]}), "rows[1].correct", "Row 2"),
        (changed(r2={"correct": []}), "rows[2].correct", "correct column"),
        (changed(r2={"correct": ["Maybe"]}), "rows[2].correct", "'Maybe' is not one of"),
        (changed(r3={"text": "Stop the infusion"}), "rows[3].text", "repeats"),
        (changed(r0={"text": ""}), "rows[0].text", "row 1"),
        ({**MATRIX_SINGLE, "mode": "several"}, "mode", "single"),
        ({**MATRIX_SINGLE, "columns": ["Only"]}, "columns", "2 to 5"),
        ({**MATRIX_SINGLE, "columns": ["A", "a", "B"]}, "columns[1]", "repeats"),
        ({**MATRIX_SINGLE, "rows": MATRIX_SINGLE["rows"][:2]}, "rows", "3 to 8"),
        ({**MATRIX_SINGLE, "rows": [{"text": "x", "correct": ["Indicated"], "oops": 1}] * 3},
         "rows[0]", "Unknown field 'oops'"),
    ],
)  # fmt: skip
def test_problems_name_their_field(data: dict, field: str, words: str) -> None:
    found = problems(data)
    assert field in found, found
    assert words in found[field]


def test_a_multiple_grid_row_may_have_several_correct_columns() -> None:
    data = {**copy.deepcopy(MATRIX_SINGLE), "mode": "multiple"}
    data["rows"][1]["correct"] = ["Indicated", "Contraindicated"]
    assert MATRIX.validate(data) == []


@pytest.mark.parametrize("garbage", [3, "x", [None], [[1]], {"a": 1}])
def test_validate_never_raises_on_garbage_fields(garbage: object) -> None:
    for key in ("mode", "columns", "rows"):
        assert MATRIX.validate({**MATRIX_SINGLE, key: garbage})
    assert MATRIX.validate({**MATRIX_SINGLE, "mode": None}) == []  # single by default
    assert MATRIX.validate({**MATRIX_SINGLE, "rows": [{"text": garbage, "correct": garbage}] * 3})


# --- single: 0/1 per row ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "mark"),
    [
        ({"1": ["Indicated"], "2": ["Contraindicated"], "3": ["Indicated"],
          "4": ["Non-essential"]}, 1.0),
        ({"1": ["Contraindicated"], "2": ["Indicated"], "3": ["Non-essential"],
          "4": ["Indicated"]}, 0.0),
        ({"1": ["Indicated"], "2": ["Indicated"], "3": ["Indicated"]}, 0.5),  # 2 of 4 rows
        ({"1": ["Indicated"]}, 0.25),
        ({"1": ["Indicated", "Non-essential"]}, 0.0),  # a stored double pick is no row right
    ],
)  # fmt: skip
def test_single_grid_scores_right_rows_over_rows(response: dict, mark: float) -> None:
    assert MATRIX.grade(SINGLE, response) == mark


# --- multiple: +/- per cell, floored at 0, over the correct cells ------------------------------


def test_multiple_grid_all_right_all_wrong_partial() -> None:
    assert MATRIX.grade(MULTI, MATRIX.correct_response(MULTI)) == 1.0
    wrong = {"1": ["Phlebitis"], "2": ["Infiltration"], "4": ["Phlebitis"]}
    assert MATRIX.grade(MULTI, wrong) == 0.0
    # 6 correct cells; 4 right picks and 1 wrong one: (4 - 1) / 6
    partial = {"1": ["Infiltration"], "2": ["Phlebitis", "Local infection"],
               "3": ["Infiltration", "Phlebitis"]}  # fmt: skip
    assert MATRIX.grade(MULTI, partial) == pytest.approx(3 / 6)


def test_multiple_grid_with_every_cell_ticked_scores_the_floored_value() -> None:
    every = {row["id"]: list(MULTI["columns"]) for row in MULTI["rows"]}
    # 6 right cells, 6 wrong ones: 0, not 6/6
    assert MATRIX.grade(MULTI, every) == 0.0


def test_multiple_grid_floors_the_total_not_each_row() -> None:
    # row 1 -2 (two wrong), row 3 +3: total 1 of 6 (a per-row floor would give 3 of 6)
    response = {"1": ["Phlebitis", "Local infection"], "3": list(MULTI["columns"])}
    assert MATRIX.grade(MULTI, response) == pytest.approx(1 / 6)


# --- answer fields --------------------------------------------------------------------------


def test_parse_reads_rows_and_keeps_the_column_order() -> None:
    fields = {"row-1": ["Indicated"], "row-3": ["indicated"], "row-2": [""]}
    assert MATRIX.parse_response(SINGLE, fields) == {"1": ["Indicated"], "3": ["Indicated"]}
    multi = {"row-3": ["Local infection", "Infiltration", "Infiltration"]}
    assert MATRIX.parse_response(MULTI, multi) == {"3": ["Infiltration", "Local infection"]}


def test_parse_refuses_two_picks_in_a_single_grid_row() -> None:
    with pytest.raises(InvalidAnswer, match="one column in each row"):
        MATRIX.parse_response(SINGLE, {"row-1": ["Indicated", "Non-essential"]})


@pytest.mark.parametrize(
    "fields", [{"row-9": ["Indicated"]}, {"row-1": ["Maybe"]}, {"row-1": ["x" * 2000]}]
)
def test_parse_refuses_unknown_rows_columns_and_huge_values(fields: dict) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        MATRIX.parse_response(SINGLE, fields)
    assert not isinstance(caught.value, EmptyAnswer)


@pytest.mark.parametrize("fields", [{}, {"row-1": [""]}, {"other": ["x"]}])
def test_parse_without_any_pick_is_empty(fields: dict) -> None:
    with pytest.raises(EmptyAnswer):
        MATRIX.parse_response(SINGLE, fields)


def test_response_fields_are_the_inverse_of_parse() -> None:
    response = {"1": ["Indicated"], "3": ["Non-essential"]}
    assert MATRIX.parse_response(SINGLE, MATRIX.response_fields(response)) == response


# --- review, describe, files, exports ---------------------------------------------------------


def test_review_says_per_row_what_was_chosen_and_whether_it_was_right() -> None:
    review = MATRIX.review(SINGLE, {"1": ["Indicated"], "2": ["Indicated"]}, [])
    assert [(p.label, p.chosen, p.correct, p.right) for p in review.parts] == [
        ("Stop the infusion", ["Indicated"], ["Indicated"], True),
        ("Flush the cannula to test it", ["Indicated"], ["Contraindicated"], False),
        ("Elevate the limb", [], ["Indicated"], False),
        ("Change the dressing", [], ["Non-essential"], False),
    ]
    assert review.parts[0].feedback == "First action."
    assert "Elevate the limb: (none)" in review.my_answer
    assert "Flush the cannula to test it: Contraindicated" in review.correct_answer


def test_describe_names_each_row_and_its_key() -> None:
    described = {d.key: d for d in MATRIX.describe(SINGLE)}
    assert described["row:2:correct"].text == "Contraindicated"
    assert described["row:2:correct"].is_key
    assert described["columns"].text == "Indicated; Non-essential; Contraindicated"
    assert described["mode"].is_key


def test_file_fields_are_short_and_read_back_the_same() -> None:
    written = MATRIX.file_fields(SINGLE)
    assert "id" not in written["rows"][0] and "feedback" not in written["rows"][1]
    assert MATRIX.normalize(written) == SINGLE


def test_gift_and_moodle_xml_refuse_with_a_reason() -> None:
    with pytest.raises(NotExpressible, match="not expressible in GIFT"):
        MATRIX.gift_answers(SINGLE, str)
    with pytest.raises(NotExpressible, match="not expressible in Moodle XML"):
        MATRIX.write_moodle_xml(None, SINGLE, None)  # type: ignore[arg-type]
