"""The bow-tie and highlight types: validation naming the field, the scoring rules on their
edge cases, the refusals of parse_response, review words, and what the statistics count."""

from __future__ import annotations

import copy

import pytest

from quizapp.domain.answer_fields import EmptyAnswer, InvalidAnswer
from quizapp.domain.types import NotExpressible, get_type

BOWTIE = {
    "condition": {
        "choices": ["Infiltration", "Phlebitis", "Air embolism", "Circulatory overload"],
        "correct": "Infiltration",
    },
    "actions": {
        "choices": ["Stop the infusion", "Elevate the limb", "Flush", "Massage", "Rub"],
        "correct": ["Stop the infusion", "Elevate the limb"],
    },
    "parameters": {
        "choices": ["Swelling", "Skin colour", "Blood glucose", "Urine output", "Pupils"],
        "correct": ["Swelling", "Skin colour"],
    },
}
HIGHLIGHT = {
    "passage": [
        "0800 Client reports ",
        {"phrase": "a tight, cool feeling above the IV site", "correct": True},
        ". Dressing ",
        {"phrase": "dry and intact", "correct": False},
        ". Site ",
        {"phrase": "swollen and pale", "correct": True},
        "; client ",
        {"phrase": "eating breakfast", "correct": False},
        ".",
    ]
}
bowtie, highlight = get_type("bowtie"), get_type("highlight")
B = bowtie.normalize(BOWTIE)
H = highlight.normalize(HIGHLIGHT)


def bow_fields(condition: str = "", actions: tuple = (), parameters: tuple = ()) -> dict:
    return {
        "condition": [condition] if condition else [],
        "actions": list(actions),
        "parameters": list(parameters),
    }


def bow(*args: object) -> float:
    return bowtie.grade(B, bowtie.parse_response(B, bow_fields(*args)))  # type: ignore[arg-type]


# --- bow-tie: validation ------------------------------------------------------------------------


def test_bowtie_sample_is_valid_and_ids_follow_the_groups() -> None:
    assert bowtie.validate(BOWTIE) == []
    assert bowtie.correct_response(B) == {
        "actions": ["a1", "a2"],
        "condition": "c1",
        "parameters": ["p1", "p2"],
    }


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (lambda d: d["condition"]["choices"].pop(), "condition.choices", "exactly 4"),
        (lambda d: d["actions"]["choices"].append("More"), "actions.choices", "exactly 5"),
        (lambda d: d["parameters"]["choices"].pop(), "parameters.choices", "exactly 5"),
        (lambda d: d["actions"].update(correct=["Flush"]), "actions.correct", "exactly 2"),
        (
            lambda d: d["parameters"].update(correct=["Swelling", "Swelling"]),
            "parameters.correct",
            "exactly 2",
        ),
        (lambda d: d["condition"].update(correct="Sepsis"), "condition.correct", "not a choice"),
        (lambda d: d["condition"].update(correct=None), "condition.correct", "one choice's text"),
        (
            lambda d: d["actions"]["choices"].__setitem__(4, "flush"),
            "actions.choices[4]",
            "repeats",
        ),
        (lambda d: d["actions"]["choices"].__setitem__(4, ""), "actions.choices[4]", "non-empty"),
        (lambda d: d.pop("parameters"), "parameters", "mapping"),
        (lambda d: d["condition"].update(extra=1), "condition", "Unknown field"),
    ],
)
def test_bowtie_problems_name_the_field(change, path: str, words: str) -> None:
    data = copy.deepcopy(BOWTIE)
    change(data)
    problems = bowtie.validate(data)
    assert any(p.field == path and words in p.message for p in problems), problems


# --- bow-tie: scoring ---------------------------------------------------------------------------


def test_bowtie_all_right_scores_1() -> None:
    assert bow("c1", ("a1", "a2"), ("p1", "p2")) == 1.0


def test_bowtie_all_wrong_scores_0() -> None:
    assert bow("c2", ("a3", "a4"), ("p3", "p4")) == 0.0


def test_bowtie_partial_is_correct_placements_over_5() -> None:
    assert bow("c1", ("a1", "a5"), ("p3", "p4")) == pytest.approx(2 / 5)
    assert bow("c4", ("a1", "a2"), ("p2", "p5")) == pytest.approx(3 / 5)
    assert bow("", ("a1",), ()) == pytest.approx(1 / 5)  # a half-filled bow-tie is graded


def test_bowtie_empty_is_refused_as_empty() -> None:
    with pytest.raises(EmptyAnswer):
        bowtie.parse_response(B, bow_fields())
    with pytest.raises(EmptyAnswer):
        bowtie.parse_response(B, {"condition": [""], "actions": ["  "]})


@pytest.mark.parametrize(
    "fields",
    [
        bow_fields("c1", ("a1", "a2", "a3"), ("p1", "p2")),  # 3 actions
        bow_fields("c1", ("a1", "a2"), ("p1", "p2", "p3")),  # 3 parameters
        {"condition": ["c1", "c2"], "actions": ["a1"]},  # 2 conditions
        {"actions": ["a1", "a2", "a3", "a4", "a5", "a1"]},  # more values than choices
    ],
)
def test_bowtie_over_selection_is_refused(fields: dict) -> None:
    with pytest.raises(InvalidAnswer, match="nothing"):
        bowtie.parse_response(B, fields)


@pytest.mark.parametrize(
    "fields",
    [
        bow_fields("c5"),  # no fifth condition
        bow_fields("a1"),  # an action id sent as the condition
        bow_fields("c1", ("p1",)),  # a parameter id among the actions
        bow_fields("c1", (), ("zzz",)),
    ],
)
def test_bowtie_unknown_ids_are_refused(fields: dict) -> None:
    with pytest.raises(InvalidAnswer, match="does not have"):
        bowtie.parse_response(B, fields)


def test_bowtie_grade_of_a_stored_over_selection_gives_that_group_nothing() -> None:
    stored = {"condition": "c1", "actions": ["a1", "a2", "a3"], "parameters": ["p1"]}
    assert bowtie.grade(B, stored) == pytest.approx(2 / 5)
    for junk in (None, "c1", ["c1"], {"condition": 3}, {"actions": "a1"}):
        assert 0.0 <= bowtie.grade(B, junk) <= 1.0


def test_bowtie_review_keeps_the_attempt_order_per_group_and_says_each_result() -> None:
    order = ["p5", "a3", "c4", "a1", "c1", "p1"]
    answer = bowtie.parse_response(B, bow_fields("c1", ("a1", "a3"), ("p1", "p2")))
    review = bowtie.review(B, answer, order)
    groups = {g.key: g for g in review.layout["groups"]}
    assert [g.key for g in review.layout["groups"]] == ["actions", "condition", "parameters"]
    assert [c.id for c in groups["actions"].choices][:2] == ["a3", "a1"]
    assert [c.id for c in groups["condition"].choices][:2] == ["c4", "c1"]
    assert groups["actions"].right == 1 and groups["parameters"].right == 2
    assert "Actions to take: Flush, Stop the infusion;" in review.my_answer
    assert "Condition most likely: Infiltration" in review.correct_answer


def test_bowtie_statistics_count_each_groups_picks() -> None:
    answer = {"condition": "c2", "actions": ["a1", "a4"], "parameters": ["p9"]}
    assert bowtie.choice_keys(B, answer) == ["a1", "a4", "c2"]
    counted = bowtie.counted_choices(B)
    assert len(counted) == 14 and sum(c["correct"] for c in counted) == 5
    assert {"id": "c1", "text": "Condition most likely: Infiltration", "correct": True} in counted
    assert sorted(bowtie.shuffled_ids(B)) == sorted(c["id"] for c in counted)


def test_bowtie_describe_names_the_key_of_each_group() -> None:
    described = {d.key: d for d in bowtie.describe(B)}
    assert described["actions:correct"].text == "Stop the infusion; Elevate the limb"
    assert described["actions:correct"].is_key
    assert described["condition:c3"].text == "Air embolism"


# --- highlight ----------------------------------------------------------------------------------


def hl(*ids: str) -> float:
    return highlight.grade(H, highlight.parse_response(H, {"answer": list(ids)}))


def test_highlight_sample_is_valid() -> None:
    assert highlight.validate(HIGHLIGHT) == []
    assert highlight.correct_response(H) == ["h1", "h3"]


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (lambda p: p[:4], "passage", "4 to 10 phrases"),
        (lambda p: p + [{"phrase": f"x{i}"} for i in range(7)], "passage", "4 to 10 phrases"),
        (
            lambda p: [s if isinstance(s, str) else {**s, "correct": False} for s in p],
            "passage",
            "at least one phrase correct",
        ),
        (lambda p: [*p, {"phrase": "Dry and intact"}], "passage[9].phrase", "repeats"),
        (lambda p: [*p, {"phrase": ""}], "passage[9].phrase", "non-empty"),
        (lambda p: [*p, {"phrase": "x", "correct": "maybe"}], "passage[9].correct", "true or"),
        (lambda p: [*p, {"phrase": "x", "why": "?"}], "passage[9]", "Unknown field"),
        (lambda p: [*p, 7], "passage[9]", "Each part"),
        (lambda p: "text", "passage", "list"),
    ],
)
def test_highlight_problems_name_the_field(change, path: str, words: str) -> None:
    data = {"passage": change(copy.deepcopy(HIGHLIGHT["passage"]))}
    problems = highlight.validate(data)
    assert any(p.field == path and words in p.message for p in problems), problems


def test_highlight_scoring_is_plus_minus_per_phrase_floored() -> None:
    assert hl("h1", "h3") == 1.0  # all right
    assert hl("h2", "h4") == 0.0  # all wrong
    assert hl("h1") == 0.5  # partial
    assert hl("h1", "h3", "h2") == 0.5  # a wrong one takes a point away
    assert hl("h1", "h2", "h4") == 0.0  # floored at 0, never negative
    assert hl("h1", "h2", "h3", "h4") == 0.0  # every phrase selected


def test_highlight_refuses_empty_unknown_and_too_many() -> None:
    with pytest.raises(EmptyAnswer):
        highlight.parse_response(H, {"answer": []})
    with pytest.raises(EmptyAnswer):
        highlight.parse_response(H, {})
    with pytest.raises(InvalidAnswer, match="does not have"):
        highlight.parse_response(H, {"answer": ["h1", "h5"]})
    with pytest.raises(InvalidAnswer, match="More phrases"):
        highlight.parse_response(H, {"answer": ["h1"] * 5})


def test_highlight_review_segments_keep_the_passage_and_mark_each_phrase() -> None:
    review = highlight.review(H, ["h1", "h2"], [])
    segments = review.layout["segments"]
    assert "".join(s.text for s in segments).startswith("0800 Client reports a tight")
    phrases = [s.phrase for s in segments if s.phrase]
    assert [(p.id, p.chosen, p.correct) for p in phrases] == [
        ("h1", True, True),
        ("h2", True, False),
        ("h3", False, True),
        ("h4", False, False),
    ]
    assert review.my_answer == "a tight, cool feeling above the IV site; dry and intact"


def test_highlight_statistics_and_round_trip() -> None:
    assert highlight.choice_keys(H, ["h3", "h1", "zz"]) == ["h1", "h3"]
    assert [c["id"] for c in highlight.counted_choices(H)] == ["h1", "h2", "h3", "h4"]
    assert highlight.shuffled_ids(H) == []  # the passage keeps its order
    assert highlight.normalize(highlight.file_fields(H)) == H
    assert bowtie.normalize(bowtie.file_fields(B)) == B
    key = {d.key: d.text for d in highlight.describe(H)}
    assert key["correct"] == "a tight, cool feeling above the IV site; swollen and pale"
    assert "[*swollen and pale]" in key["passage"] and "[dry and intact]" in key["passage"]


@pytest.mark.parametrize("name", ["bowtie", "highlight"])
def test_gift_and_moodle_xml_say_not_expressible(name: str) -> None:
    qtype = get_type(name)
    data = B if name == "bowtie" else H
    with pytest.raises(NotExpressible, match="not expressible in GIFT"):
        qtype.gift_answers(data, str)
    with pytest.raises(NotExpressible, match="not expressible in Moodle XML"):
        qtype.write_moodle_xml(None, data, None)  # type: ignore[arg-type]


def test_a_posted_answer_that_was_not_saved_is_shown_again() -> None:
    """keep_given (the page after an expired form) ticks what was posted, in each part."""
    from types import SimpleNamespace

    review = bowtie.review(B, None, [])
    view = SimpleNamespace(choices=review.choices, pairs=[], prefill={}, layout=review.layout)
    bowtie.keep_given(view, {"condition": ["c3"], "actions": ["a2", "a5"]})  # type: ignore[arg-type]
    chosen = [c.id for g in view.layout["groups"] for c in g.choices if c.chosen]
    assert chosen == ["a2", "a5", "c3"]
    review = highlight.review(H, None, [])
    view = SimpleNamespace(choices=review.choices, pairs=[], prefill={}, layout=review.layout)
    highlight.keep_given(view, {"answer": ["h4"]})  # type: ignore[arg-type]
    segments = view.layout["segments"]
    assert [s.phrase.id for s in segments if s.phrase and s.phrase.chosen] == ["h4"]
