"""The drop-down cloze type: its checks, 0/1 per drop-down, its answer fields and review."""

from __future__ import annotations

import copy

import pytest

from quizapp.domain.answer_fields import EmptyAnswer, InvalidAnswer
from quizapp.domain.types import NotExpressible, get_type
from tests.unit.ngn_grid_data import CLOZE

KIND = get_type("cloze")
DATA = KIND.normalize(CLOZE)


def problems(data: dict) -> dict[str, str]:
    return {p.field: p.message for p in KIND.validate(data)}


def with_blank(index: int, **change: object) -> dict:
    data = copy.deepcopy(CLOZE)
    data["blanks"][index].update(change)
    return data


def test_valid_cloze_passes_and_the_key_takes_the_options_spelling() -> None:
    assert KIND.validate(CLOZE) == []
    assert KIND.normalize(with_blank(0, correct="Infiltration"))["blanks"][0]["correct"] == (
        "infiltration"
    )


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({**CLOZE, "text": "No places here."}, "text", "{{1}}"),
        ({**CLOZE, "text": "Only {{1}} here."}, "blanks[1].id", "no place {{2}}"),
        ({**CLOZE, "text": "{{1}} {{2}} {{3}}"}, "text", "{{3}} has no drop-down"),
        ({**CLOZE, "text": "{{1}} and {{1}} {{2}}"}, "text", "more than once"),
        (with_blank(0, correct="sepsis"), "blanks[0].correct", "not an option of drop-down 1"),
        (with_blank(1, options=["a", "b"], correct="a"), "blanks[1].options", "3 to 5"),
        (with_blank(1, options=["a", "A", "b"], correct="a"), "blanks[1].options[1]", "repeats"),
        (with_blank(1, id="1"), "blanks[1].id", "repeats"),
        ({**CLOZE, "blanks": []}, "blanks", "1 to 10"),
        ({**CLOZE, "text": ""}, "text", "non-empty"),
    ],
)
def test_problems_name_their_field(data: dict, field: str, words: str) -> None:
    found = problems(data)
    assert field in found, found
    assert words in found[field]


@pytest.mark.parametrize("garbage", [None, 3, [None], [[1]], {"a": 1}])
def test_validate_never_raises_on_garbage(garbage: object) -> None:
    for key in ("text", "blanks"):
        assert KIND.validate({**CLOZE, key: garbage})
    assert KIND.validate({**CLOZE, "blanks": [{"id": garbage, "options": garbage}] * 2})


@pytest.mark.parametrize(
    ("response", "mark"),
    [
        ({"1": "infiltration", "2": "cool, swollen skin"}, 1.0),
        ({"1": "phlebitis", "2": "pus"}, 0.0),
        ({"1": "infiltration", "2": "pus"}, 0.5),
        ({"2": "cool, swollen skin"}, 0.5),
        ({"1": ["infiltration"]}, 0.0),
    ],
)
def test_grade_is_right_drop_downs_over_drop_downs(response: dict, mark: float) -> None:
    assert KIND.grade(DATA, response) == mark


def test_parse_reads_each_drop_down_among_its_own_options() -> None:
    fields = {"blank-1": ["Infiltration"], "blank-2": [""]}
    assert KIND.parse_response(DATA, fields) == {"1": "infiltration"}
    with pytest.raises(InvalidAnswer):  # an option of the other drop-down
        KIND.parse_response(DATA, {"blank-1": ["pus"]})
    with pytest.raises(InvalidAnswer):
        KIND.parse_response(DATA, {"blank-7": ["pus"]})


@pytest.mark.parametrize("fields", [{}, {"blank-1": [""], "blank-2": []}])
def test_parse_without_any_choice_is_empty(fields: dict) -> None:
    with pytest.raises(EmptyAnswer):
        KIND.parse_response(DATA, fields)


def test_review_places_each_drop_down_in_the_text_with_its_result() -> None:
    review = KIND.review(DATA, {"1": "phlebitis"}, [])
    first, second = review.parts
    assert (first.label, first.lead, first.chosen, first.right) == (
        "Blank 1", "The client is most likely experiencing ", ["phlebitis"], False
    )  # fmt: skip
    assert (second.lead, second.trail, second.chosen) == (", as shown by ", ".", [])
    assert second.options == CLOZE["blanks"][1]["options"]
    assert review.correct_answer == "Blank 1: infiltration; Blank 2: cool, swollen skin"


def test_response_fields_describe_files_and_exports() -> None:
    response = {"1": "infiltration"}
    prefill = KIND.response_fields(response)
    assert prefill == {"blank-1": "infiltration"}  # what the answer partial selects
    assert KIND.parse_response(DATA, {k: [v] for k, v in prefill.items()}) == response
    described = {d.key: d for d in KIND.describe(DATA)}
    key = described["blank:1:correct"]
    assert key.text == "infiltration" and key.is_key
    assert KIND.normalize(KIND.file_fields(DATA)) == DATA
    with pytest.raises(NotExpressible, match="GIFT"):
        KIND.gift_answers(DATA, str)
    with pytest.raises(NotExpressible, match="Moodle XML"):
        KIND.write_moodle_xml(None, DATA, None)  # type: ignore[arg-type]
