"""Short-answer data checks, each naming its field and saying what to write (mutation testing
found them unasserted; docs/testing.md)."""

from __future__ import annotations

from quizapp.domain.types import get_type
from quizapp.domain.types.base import AnswerDataProblem as P
from quizapp.domain.types.grades import grade_list
from quizapp.domain.types.short_answer import squash

SHORT = get_type("short_answer")


def test_each_refusal_names_its_field_and_says_what_to_write() -> None:
    both = {"accepted": ["a"], "answers": [{"text": "a"}]}
    assert SHORT.validate(both) == [
        P("accepted", "Give either accepted (all worth 100%) or answers, not both.")
    ]
    assert SHORT.validate({"accepted": ["a"], "case_sensitive": "yes"}) == [
        P("case_sensitive", "Write case_sensitive: true or false.")
    ]
    assert SHORT.validate({"accepted": []}) == [
        P("accepted", "Give one or more accepted answers as a list.")
    ]
    assert SHORT.validate({"answers": [{"text": "a", "fraction": 50}]}) == [
        P("answers", "Give one answer the grade 100.")
    ]
    negative = {"answers": [{"text": "a"}, {"text": "b", "fraction": -50}]}
    assert SHORT.validate(negative) == [
        P("answers[1].fraction", f"The grade -50% is not one of Moodle's grades ({grade_list(0)}).")
    ]


def test_repeated_answers_are_refused_as_the_case_rule_compares_them() -> None:
    folded = [{"text": "Air  embolism"}, {"text": "air embolism"}]
    assert SHORT.validate({"answers": folded}) == [
        P("answers[1].text", "The answer text 'air embolism' repeats answers[0].text.")
    ]
    spaced = [{"text": "Air  embolism"}, {"text": "Air embolism"}]
    assert SHORT.validate({"answers": spaced, "case_sensitive": True}) == [
        P("answers[1].text", "The answer text 'Air embolism' repeats answers[0].text.")
    ]
    assert SHORT.validate({"answers": folded, "case_sensitive": True}) == []
    assert squash("  Air \n embolism ", True) == "Air embolism"
