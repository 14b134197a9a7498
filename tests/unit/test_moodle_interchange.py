"""Issue 14: Moodle's answer grades read from GIFT and Moodle XML, and written back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.domain.types import get_type
from quizapp.interchange import InterchangeSyntaxError, parse, write

DATA = Path(__file__).resolve().parents[1] / "data" / "moodle"


def read(name: str, fmt: str) -> dict:
    result = parse((DATA / name).read_text(), fmt)
    for q in result.questions:
        assert get_type(q.type).validate(q.data) == [], (q.name, q.data)
    return {q.name: q for q in result.questions}


def grade(q, response) -> float:  # type: ignore[no-untyped-def]
    return get_type(q.type).grade(q.data, response)


def test_gift_single_choice_with_a_half_right_answer() -> None:
    q = read("grades.gift", "gift")["Half"]
    assert q.type == "single"  # an '=' answer makes it single choice, as in Moodle
    assert [grade(q, c) for c in ("a", "b", "c")] == [1.0, 0.5, 0.0]


def test_gift_numeric_range_two_answers_and_no_unit() -> None:
    questions = read("grades.gift", "gift")
    ranged = questions["Range"]
    assert [(a["value"], a["tolerance"]) for a in ranged.data["answers"]] == [(5.5, 4.5)]
    assert [grade(ranged, r) for r in ("1", "10", "0.9", "10.1")] == [1.0, 1.0, 0.0, 0.0]
    two = questions["Two answers"]
    assert [(a["value"], a["fraction"], a["feedback"]) for a in two.data["answers"]] == [
        (5.0, 100.0, "Right."), (7.0, 50.0, "Near."),
    ]  # fmt: skip
    assert [grade(two, r) for r in ("5", "6.5", "9")] == [1.0, 0.5, 0.0]
    assert questions["No unit"].data["units"] == []


def test_gift_short_answer_keeps_its_partial_grade_and_feedback() -> None:
    q = read("grades.gift", "gift")["Cat"]
    assert [(a["text"], a["fraction"]) for a in q.data["answers"]] == [
        ("Cat", 100.0), ("Kitten", 50.0), ("Dog", 0.0),
    ]  # fmt: skip
    assert grade(q, "kitten") == 0.5
    assert get_type(q.type).review(q.data, "kitten", []).feedback == ["Nearly: a young cat."]


@pytest.mark.parametrize(
    ("name", "line", "grade"), [("bad_grade.gift", 3, "-37"), ("third.gift", 1, "33")]
)
def test_gift_grade_not_in_moodles_list_is_refused_naming_its_line(
    name: str, line: int, grade: str
) -> None:
    with pytest.raises(InterchangeSyntaxError) as caught:
        parse((DATA / name).read_text(), "gift")
    assert caught.value.line == line
    assert f"{grade}% is not one of Moodle's grades" in caught.value.message


def test_moodle_xml_multichoice_keeps_its_fractions_exactly() -> None:
    q = read("grades.xml", "moodle-xml")["Moodle multi"]
    assert q.type == "multiple"
    assert [c["fraction"] for c in q.data["choices"]] == [50.0, -100.0, 50.0, -100.0]
    assert [grade(q, r) for r in (["a", "c"], ["a"], ["a", "c", "d"])] == [1.0, 0.5, 0.0]


def test_moodle_xml_shortanswer_usecase_and_numerical_units() -> None:
    questions = read("grades.xml", "moodle-xml")
    short = questions["Formula"]
    assert short.data["case_sensitive"] is True
    assert [grade(short, r) for r in ("NaCl", "nacl", "NaOH")] == [1.0, 0.0, 0.33333]
    rate = questions["Rate"]
    assert rate.data["units"] == [
        {"unit": "mL/h", "multiplier": 1.0}, {"unit": "L/h", "multiplier": 0.001},
    ]  # fmt: skip
    assert [grade(rate, r) for r in ("125 mL/h", "0.125 L/h", "118", "0.13 L/h")] == [
        1.0, 1.0, 0.5, 0.0,
    ]  # fmt: skip


def test_moodle_xml_fraction_not_in_moodles_list_is_refused_naming_its_line() -> None:
    with pytest.raises(InterchangeSyntaxError) as caught:
        parse((DATA / "bad_fraction.xml").read_text(), "moodle-xml")
    assert caught.value.line == 7 and "not one of Moodle's grades" in caught.value.message


def _numerical_settings(xml: str) -> list[tuple[str, str]]:
    return re.findall(r"<(unitgradingtype|showunits)>([0-9])<", xml)


def test_moodle_xml_export_of_units_is_units_optional_and_no_unit_is_units_not_used() -> None:
    questions = read("grades.xml", "moodle-xml")
    with_units = write([questions["Rate"]], "moodle-xml")
    assert _numerical_settings(with_units) == [("unitgradingtype", "0"), ("showunits", "0")]
    assert (
        "<unit_name>L/h</unit_name>" in with_units
        and "<multiplier>0.001</multiplier>" in with_units
    )
    plain = read("grades.gift", "gift")["No unit"]
    assert _numerical_settings(write([plain], "moodle-xml")) == [
        ("unitgradingtype", "0"), ("showunits", "3"),
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml", "yaml"])
@pytest.mark.parametrize("source", [("grades.gift", "gift"), ("grades.xml", "moodle-xml")])
def test_grades_and_feedback_round_trip(fmt: str, source: tuple[str, str]) -> None:
    questions = read(*source)
    # GIFT: extra units and case sensitivity travel in our comment fields.
    again = {q.name: q for q in parse(write(list(questions.values()), fmt), fmt).questions}
    assert {k: (q.type, q.data) for k, q in again.items()} == {
        k: (q.type, q.data) for k, q in questions.items()
    }


def test_gift_extra_unit_needs_its_multiplier_naming_the_line() -> None:
    text = "// [unit:mL/h] [unit:L/h=lots]\n::R::Rate? {#125}\n"
    with pytest.raises(InterchangeSyntaxError) as caught:
        parse(text, "gift")
    assert caught.value.line == 1 and "needs NAME=MULTIPLIER" in caught.value.message
    (q,) = parse("// [unit:mL/h] [unit:L/h=0.001]\n::R::Rate? {#125}\n", "gift").questions
    assert q.data["units"] == [
        {"unit": "mL/h", "multiplier": 1.0}, {"unit": "L/h", "multiplier": 0.001},
    ]  # fmt: skip
