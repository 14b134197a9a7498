"""The ordering type: its checks, 0/1 per adjacent pair, positions, and the shown order."""

from __future__ import annotations

import random

import pytest

from quizapp.domain.answer_fields import EmptyAnswer, InvalidAnswer
from quizapp.domain.types import NotExpressible, get_type
from tests.unit.ngn_grid_data import ORDERING

KIND = get_type("ordering")
DATA = KIND.normalize(ORDERING)
IDS = KIND.correct_response(DATA)  # hand hygiene, order, identify, give, document
HYGIENE, ORDER, IDENTIFY, GIVE, DOCUMENT = IDS


def positions(*ids: str) -> dict[str, list[str]]:
    return {f"pos-{sid}": [str(n)] for n, sid in enumerate(ids, 1)}


@pytest.mark.parametrize(
    ("steps", "field", "words"),
    [
        (["a", "b"], "steps", "3 to 7"),
        (list("abcdefgh"), "steps", "3 to 7"),
        (["a", "b", "A"], "steps[2]", "repeats"),
        (["a", "", "c"], "steps[1]", "step 2"),
        ("just one", "steps", "3 to 7"),
    ],
)
def test_problems_name_their_field(steps: object, field: str, words: str) -> None:
    found = {p.field: p.message for p in KIND.validate({"steps": steps})}
    assert field in found, found
    assert words in found[field]


def test_step_ids_do_not_give_the_order_away() -> None:
    assert KIND.validate(ORDERING) == []
    assert len(set(IDS)) == 5
    assert sorted(IDS) != IDS and not any(str(n) in sid[-1:] for n, sid in enumerate(IDS, 1))


@pytest.mark.parametrize(
    ("order", "mark"),
    [
        ([HYGIENE, ORDER, IDENTIFY, GIVE, DOCUMENT], 1.0),
        ([DOCUMENT, GIVE, IDENTIFY, ORDER, HYGIENE], 0.0),  # reversed: no pair right
        ([ORDER, IDENTIFY, GIVE, DOCUMENT, HYGIENE], 0.75),  # first step moved last: 3 of 4
        ([HYGIENE, IDENTIFY, ORDER, GIVE, DOCUMENT], 0.25),  # two swapped: only give->document
        ([HYGIENE, ORDER], 0.25),  # a short stored list counts what is there
    ],
)
def test_grade_is_right_adjacent_pairs_over_steps_minus_one(order: list, mark: float) -> None:
    assert KIND.grade(DATA, order) == mark


def test_parse_reads_every_position() -> None:
    order = [GIVE, HYGIENE, DOCUMENT, ORDER, IDENTIFY]
    assert KIND.parse_response(DATA, positions(*order)) == order
    prefill = KIND.response_fields(order)
    assert prefill[f"pos-{GIVE}"] == "1"  # what the answer partial selects
    assert KIND.parse_response(DATA, {k: [v] for k, v in prefill.items()}) == order


def test_parse_refuses_duplicate_positions() -> None:
    fields = positions(*IDS) | {f"pos-{DOCUMENT}": ["1"]}
    with pytest.raises(InvalidAnswer, match="same position") as caught:
        KIND.parse_response(DATA, fields)
    assert not isinstance(caught.value, EmptyAnswer)


@pytest.mark.parametrize(
    "fields",
    [
        positions(*IDS) | {"pos-s00000000": ["1"]},  # a step this version does not have
        positions(*IDS) | {f"pos-{DOCUMENT}": ["6"]},  # no sixth position
        positions(*IDS) | {f"pos-{DOCUMENT}": ["x"]},
        positions(*IDS) | {f"pos-{DOCUMENT}": [""]},  # one left without a position
    ],
)
def test_parse_refuses_unknown_steps_and_positions_and_gaps(fields: dict) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        KIND.parse_response(DATA, fields)
    assert not isinstance(caught.value, EmptyAnswer)


def test_parse_without_any_position_is_empty() -> None:
    with pytest.raises(EmptyAnswer):
        KIND.parse_response(DATA, {f"pos-{sid}": [""] for sid in IDS})


def test_the_shown_order_is_the_attempts_and_never_the_right_one() -> None:
    shuffled = random.Random(3).sample(IDS, len(IDS))
    if shuffled == IDS:
        shuffled = shuffled[::-1]
    assert [c.id for c in KIND.review(DATA, None, shuffled).choices] == shuffled
    assert [c.id for c in KIND.review(DATA, None, IDS).choices] == IDS[::-1]
    preview = [c.id for c in KIND.review(DATA, None, []).choices]  # no frozen order
    assert sorted(preview) == sorted(IDS) and preview != IDS
    assert sorted(KIND.shuffled_ids(DATA)) == sorted(IDS)


def test_review_says_per_pair_whether_it_is_right() -> None:
    review = KIND.review(DATA, [ORDER, IDENTIFY, GIVE, DOCUMENT, HYGIENE], [])
    assert [(p.label, p.chosen, p.right) for p in review.parts] == [
        ("Check the order", ["Identify the client"], True),
        ("Identify the client", ["Give the medication"], True),
        ("Give the medication", ["Document"], True),
        ("Document", ["Perform hand hygiene"], False),
    ]
    assert review.parts[3].correct == ["(nothing: it is last)"]
    assert review.my_answer.startswith("1. Check the order; 2. Identify the client")
    assert review.correct_answer.startswith("1. Perform hand hygiene; 2. Check the order")


def test_describe_files_and_exports() -> None:
    described = KIND.describe(DATA)
    assert [(d.key, d.text) for d in described][:2] == [
        ("step:1", "Perform hand hygiene"), ("step:2", "Check the order")
    ]  # fmt: skip
    assert all(d.is_key for d in described)
    assert KIND.file_fields(DATA) == ORDERING
    with pytest.raises(NotExpressible, match="GIFT"):
        KIND.gift_answers(DATA, str)
    with pytest.raises(NotExpressible, match="Moodle XML"):
        KIND.write_moodle_xml(None, DATA, None)  # type: ignore[arg-type]
