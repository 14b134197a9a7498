"""Import and export of questions in YAML, GIFT and Moodle XML (quizapp.interchange)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from quizapp.domain.question_types import get_type
from quizapp.interchange import (
    FORMATS,
    InterchangeSyntaxError,
    ParseResult,
    PortableQuestion,
    Skipped,
    parse,
    topic_from_category,
    write,
)
from quizapp.interchange.gift import parse_gift, write_gift
from quizapp.interchange.moodle_xml import parse_moodle_xml, write_moodle_xml
from quizapp.interchange.yaml_format import parse_yaml, write_yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "interchange"
BANK_FILE = ROOT / "question_bank" / "questions" / "routes" / "intravenous.yaml"


def by_uid(result: ParseResult) -> dict[str | None, PortableQuestion]:
    return {q.uid: q for q in result.questions}


def comparable(q: PortableQuestion, *ignore: str) -> dict[str, Any]:
    """The question's fields with its data normalised, leaving out `ignore` (and the line)."""
    fields = dataclasses.asdict(q)
    fields["data"] = get_type(q.type).normalize(q.data)
    for name in ("line", *ignore):
        fields.pop(name)
    return fields


def assert_valid(result: ParseResult) -> None:
    for q in result.questions:
        problems = get_type(q.type).validate(q.data)
        assert problems == [], (q.uid, problems)
        assert q.data == get_type(q.type).normalize(q.data), q.uid


def legacy(q: PortableQuestion) -> dict:
    """The answer data in its form before Moodle grades (value/tolerance/unit, accepted)."""
    return get_type(q.type).hash_form(q.data)


def numeric(*answers: tuple, units: tuple = ()) -> dict:
    """Numeric answer data: (value, tolerance, fraction, feedback) answers, (unit, x) units."""
    keys = ("value", "tolerance", "fraction", "feedback")
    return {
        "answers": [dict(zip(keys, answer, strict=True)) for answer in answers],
        "units": [{"unit": unit, "multiplier": multiplier} for unit, multiplier in units],
    }


def syntax_error(text: str, fmt: str) -> InterchangeSyntaxError:
    with pytest.raises(InterchangeSyntaxError) as info:
        parse(text, fmt)
    return info.value


# --- the model ----------------------------------------------------------------------------


def test_formats_and_dispatch() -> None:
    assert FORMATS == ("yaml", "gift", "moodle-xml")
    with pytest.raises(ValueError, match="Unknown format"):
        parse("", "csv")
    with pytest.raises(ValueError, match="Unknown format"):
        write([], "qti")
    assert parse("", "gift") == ParseResult([], [])
    assert parse("", "yaml") == ParseResult([], [])


def test_syntax_error_names_its_line() -> None:
    error = InterchangeSyntaxError(7, "'{' is not closed with '}'")
    assert (error.line, error.message) == (7, "'{' is not closed with '}'")
    assert str(error) == "line 7: '{' is not closed with '}'"
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("category", "topic"),
    [
        ("$course$/top/routes/intravenous", "routes/intravenous"),
        ("routes/intravenous", "routes/intravenous"),
        ("$system$/top/Nursing/complications/side-effects", "complications/side-effects"),
        ("$course$/top/Default for Nursing 101", None),
        ("$course$/top/routes", None),
        ("$course$/top", None),
        ("Routes/IV therapy", None),
        ("", None),
        (None, None),
    ],
)
def test_topic_from_category(category: str | None, topic: str | None) -> None:
    assert topic_from_category(category) == topic


# --- GIFT ---------------------------------------------------------------------------------


def test_gift_mixed_file_imports_every_supported_type_and_reports_the_rest() -> None:
    result = parse_gift((DATA / "mixed.gift").read_text())
    questions = by_uid(result)
    assert [(q.uid, q.type, q.line) for q in result.questions] == [
        ("mx-single", "single", 9),
        ("mx-multiple", "multiple", 17),
        ("mx-tf", "true_false", 27),
        ("mx-tf-true", "true_false", 30),
        ("mx-matching", "matching", 33),
        ("mx-numeric", "numeric", 42),
        ("mx-range", "numeric", 45),
        ("mx-partial", "numeric", 48),
        ("mx-short", "short_answer", 51),
        (None, "short_answer", 53),
    ]
    assert result.skipped == [
        Skipped(55, "essay", "Essay", "essay questions are not supported"),
        Skipped(
            57, "description", "Info", "a description (text without an answer) is not a question"
        ),
        Skipped(59, "cloze", "Cloze", "cloze (embedded answers) questions are not supported"),
    ]
    assert_valid(result)

    single = questions["mx-single"]
    assert single.name == "Fastest route"
    assert single.stem == "Which route replaces lost fluid most directly?"
    assert legacy(single)["choices"] == [
        {"id": "a", "text": "Intravenous infusion", "correct": True,
         "feedback": "It enters the circulation at once."},
        {"id": "b", "text": "Intramuscular injection", "correct": False,
         "feedback": "A muscle holds only a few millilitres."},
        {"id": "c", "text": "Subcutaneous injection", "correct": False,
         "feedback": "Absorption from fat is slow."},
    ]  # fmt: skip
    assert single.rationale == "Fluid given into a vein reaches the circulation at once."
    assert single.cites == ["types/intravenous", "overview"]
    assert single.tags == ["fluids", "volume"]  # from two comment lines, trimmed
    assert single.difficulty == 1
    # the category is recorded; the importer maps it to a topic only if it is one of ours
    assert (single.topic, single.category) == (None, "$course$/top/routes/intravenous")

    multiple = questions["mx-multiple"]
    assert [c["correct"] for c in multiple.data["choices"]] == [True, True, False]
    assert multiple.data["choices"][2]["feedback"] == "No: that points to overload."
    assert (multiple.topic, multiple.difficulty) == (None, 2)

    # a later $CATEGORY applies to the questions after it; [topic:...] overrides it
    assert questions["mx-tf"].category == "$course$/top/routes/epidural"
    assert questions["mx-tf-true"].topic == "routes/general"
    assert questions["mx-tf-true"].category == "$course$/top/routes/epidural"
    assert questions["mx-tf-true"].name == ""
    assert questions["mx-tf-true"].data == {
        "answer": True, "feedback_true": None, "feedback_false": None
    }  # fmt: skip

    matching = questions["mx-matching"].data
    assert [(p["prompt"], p["answer"]) for p in matching["pairs"]] == [
        ("Insulin", "Subcutaneous"), ("Vaccine", "Intramuscular"), ("Blood", "Intravenous")
    ]  # fmt: skip
    assert matching["distractors"] == ["Intrathecal"]
    assert questions["mx-matching"].rationale == "Each route suits the drug."

    assert legacy(questions["mx-numeric"]) == {"value": 125.0, "tolerance": 0.5, "unit": "mL/h"}
    assert questions["mx-numeric"].stem == "1000 mL over 8 hours: what rate?"
    assert questions["mx-numeric"].rationale == "1000 / 8 = 125."
    assert legacy(questions["mx-range"]) == {"value": 42.0, "tolerance": 2.0, "unit": "gtt/min"}
    # Issue 14: every numeric answer is kept with its grade and feedback; no unit is needed.
    assert questions["mx-partial"].data == numeric(
        (125.0, 0.5, 100.0, "Exactly."), (124.0, 2.0, 50.0, "Close.")
    )

    assert legacy(questions["mx-short"]) == {"accepted": ["air embolism", "venous air embolism"]}
    assert questions["mx-short"].rationale == "Air in a vein."
    blank = questions[None]
    assert blank.stem == "The _____ space surrounds the spinal cord."
    assert legacy(blank) == {"accepted": ["epidural"]}


def test_gift_true_false_feedback_goes_to_the_answer_it_is_shown_for() -> None:
    # Moodle: {T#shown-if-wrong#shown-if-right}; ours: feedback for each answer given
    result = parse_gift(
        "Saline is isotonic. {T#No, it is isotonic.#Yes.}\n\n"
        "Glucose 5% may run with blood. {FALSE#Wrong: it haemolyses red cells.#Right.}\n\n"
        "Air can embolise. {T##Only the right feedback.}\n\n"
        "Blood may be microwaved. {f#Only the wrong feedback.}\n"
    )
    assert [q.data for q in result.questions] == [
        {"answer": True, "feedback_true": "Yes.", "feedback_false": "No, it is isotonic."},
        {"answer": False, "feedback_true": "Wrong: it haemolyses red cells.",
         "feedback_false": "Right."},
        {"answer": True, "feedback_true": "Only the right feedback.", "feedback_false": None},
        {"answer": False, "feedback_true": "Only the wrong feedback.", "feedback_false": None},
    ]  # fmt: skip


def test_gift_weights_make_a_select_all_question() -> None:
    result = parse_gift(
        "Which apply? {~%33.33333%A ~%33.33333%B ~%33.33334%C ~%-100%D#No. ~E}\n\n"
        "Which apply? {~%50%A ~%50%B ~%-50%C}\n"
    )
    first, second = result.questions
    assert first.type == second.type == "multiple"
    assert [c["correct"] for c in first.data["choices"]] == [True, True, True, False, False]
    assert first.data["choices"][3]["feedback"] == "No."
    # Moodle's own grades are kept (33.33334 is Moodle's 33.33333) where ours would differ...
    assert [c["fraction"] for c in first.data["choices"]] == [33.33333] * 3 + [-100.0, 0.0]
    assert [c["correct"] for c in second.data["choices"]] == [True, True, False]
    # ...and left out where +-100/k is our own scoring.
    assert [c["fraction"] for c in second.data["choices"]] == [None] * 3


def test_gift_missing_word_and_multiline_blocks() -> None:
    text = (
        "::Cost::Moodle costs {~lots of money =nothing ~a small amount} to download.\n\n"
        "// [id:ml]\n"
        "::Many lines::Which route\n"
        "acts fastest?\n"
        "{\n"
        "  // a comment inside the block is ignored\n"
        "  =IV#Straight into the blood.\n"
        "  ~IM\n"
        "  ~SC\n"
        "}\n"
    )
    cost, many = parse_gift(text).questions
    assert cost.stem == "Moodle costs _____ to download."
    assert [c["text"] for c in cost.data["choices"] if c["correct"]] == ["nothing"]
    assert (many.stem, many.line, many.uid) == ("Which route\nacts fastest?", 4, "ml")
    assert [c["text"] for c in many.data["choices"]] == ["IV", "IM", "SC"]
    assert many.data["choices"][0]["feedback"] == "Straight into the blood."


def test_gift_escapes() -> None:
    text = (
        r"::Esc\:ape \{1\}::Which sign \= 2 \~ 3 \# 4 \{5\} a\:b c\\d e\nf? {"
        r"=\~tilde\=\#hash#fb \: colon ~\{\}braces ~back\\slash}"
    )
    (q,) = parse_gift(text).questions
    assert q.name == "Esc:ape {1}"
    assert q.stem == "Which sign = 2 ~ 3 # 4 {5} a:b c\\d e\nf?"
    assert [c["text"] for c in q.data["choices"]] == ["~tilde=#hash", "{}braces", "back\\slash"]
    assert q.data["choices"][0]["feedback"] == "fb : colon"


def test_gift_format_markers_and_html() -> None:
    text = (
        "::H::[html]<p>Which route is <b>fastest</b> &amp; why?</p> {\n"
        "  =<i>IV</i>#<p>Straight&nbsp;in.</p>\n"
        "  ~[plain]<b>IM</b>\n"
        "  ~SC\n"
        "  ####<p>IV is <em>direct</em>.</p>\n"
        "}\n\n"
        "::M::[markdown]Is **this** kept? {T}\n\n"
        "::P::[plain]Plain <b>text</b> {=a ~b ~c}\n"
    )
    html, markdown, plain = parse_gift(text).questions
    # HTML keeps its structure as our Markdown subset (issue 14; it was plain text before)
    assert html.stem == "Which route is **fastest** & why?"
    assert [c["text"] for c in html.data["choices"]] == ["*IV*", "<b>IM</b>", "SC"]
    assert html.data["choices"][0]["feedback"] == "Straight in."
    assert html.rationale == "IV is *direct*."
    assert markdown.stem == "Is **this** kept?"
    assert plain.stem == "Plain <b>text</b>"


def test_gift_matching_with_a_distractor_and_pair_feedback_comments() -> None:
    text = (
        "// [id:m1] [feedback:2] Vaccines go into muscle.\n"
        "// [feedback:1] Insulin\\: into fat.\n"
        "::Routes::Match. {=Insulin -> Subcutaneous =Vaccine -> Intramuscular "
        "=Blood -> Intravenous = -> Intrathecal =  -> Intradermal}\n"
    )
    (q,) = parse_gift(text).questions
    assert q.uid == "m1"
    assert q.data["pairs"][0]["feedback"] == "Insulin: into fat."
    assert q.data["pairs"][1]["feedback"] is None  # [feedback:N] only counts at a line's start
    assert q.data["distractors"] == ["Intrathecal", "Intradermal"]


def test_gift_numeric_forms() -> None:
    text = (
        "// [unit:mL]\nA {#5}\n\n"
        "// [unit:mL]\nB {#-2.5:0.25}\n\n"
        "// [unit:h]\nC {#1.5..2.5}\n\n"
        "// [unit:mL/h]\nD {#=%50%124:1#close =125:0.5#right ~#anything else}\n\n"
        "// [unit:mL]\nE {#\n  =1e3:10\n}\n"
    )
    values = [
        (a["value"], a["tolerance"], a["fraction"], q.data["units"][0]["unit"])
        for q in parse_gift(text).questions
        for a in q.data["answers"]
    ]
    assert values == [
        (5.0, 0.0, 100, "mL"), (-2.5, 0.25, 100, "mL"), (2.0, 0.5, 100, "h"),
        (124.0, 1.0, 50, "mL/h"), (125.0, 0.5, 100, "mL/h"), (1000.0, 10.0, 100, "mL"),
    ]  # fmt: skip


def test_gift_comment_fields_moodle_style() -> None:
    text = (
        "// question: 42  name: Rate\n"
        "// [ID: q-42 ] [Tag:maths] [tag:rates]\n"
        "// [section:types/intravenous] [topic:routes/calculations] [difficulty: 3 ]\n"
        "// [tag:has \\] bracket]\n"
        "::Rate::Rate? {=a ~b ~c}\n"
    )
    (q,) = parse_gift(text).questions
    assert (q.uid, q.topic, q.difficulty) == ("q-42", "routes/calculations", 3)
    assert q.tags == ["maths", "rates", "has ] bracket"]
    assert q.cites == ["types/intravenous"]
    assert q.category is None


def test_gift_a_comment_block_apart_from_a_question_is_not_its_comments() -> None:
    text = "// [id:lost] [tag:lost]\n\n::Q::Which? {=a ~b ~c}\n"
    (q,) = parse_gift(text).questions
    assert (q.uid, q.tags) == (None, [])


def test_gift_unsupported_questions_are_skipped_with_their_lines() -> None:
    text = (
        "// [id:e1]\n::Essay::Explain. {}\n\n"
        "::Essay with feedback::Explain. {####Model answer.}\n\n"
        "Just some text.\n\n"
        "::Two blocks::The {=epidural} space lies {=outside} the dura.\n\n"
        "::Embedded::Pick {1:MULTICHOICE:=a~b}\n"
    )
    result = parse_gift(text)
    assert result.questions == []
    assert [(s.line, s.kind, s.name) for s in result.skipped] == [
        (2, "essay", "Essay"),
        (4, "essay", "Essay with feedback"),
        (6, "description", "Just some text."),
        (8, "cloze", "Two blocks"),
        (10, "cloze", "Embedded"),
    ]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("::A::Fine {=a ~b ~c}\n\n::B::Broken {=a ~b\n~c\n", 3, "not closed"),
        ("::A::Two {=a ~b {=c ~d}\n", 1, "not closed"),
        ("::A::Stray } brace {=a ~b}\n", 1, "no opening"),
        ("\n::Open name {=a ~b}\n", 2, "name"),
        ("::M::Match {\n  =a -> 1\n  =b -> 2\n  =c 3\n}\n", 4, "->"),
        ("::M::Match {\n  x\n  =a -> 1\n  =b -> 2\n}\n", 2, "must start with '='"),
        ("::N::Rate {#12x:0.5}\n", 1, "not a number"),
        ("::N::Rate {\n  #=125:0.5\n  =%50%abc\n}\n", 3, "not a number"),
        ("::N::Rate {#130..120}\n", 1, "backwards"),
        ("::N::Rate {#}\n", 1, "no answer"),
        ("::N::Rate {#=%50%124}\n", 1, "100%"),
        ("::S::Pick {~a ~b ~c}\n", 1, "needs one '='"),
        ("::S::Pick {\n  =a\n  ~\n}\n", 3, "no text"),
        ("::S::Pick {=a ~%150%b ~c}\n", 1, "150% is not one of Moodle's grades"),
        ("::S::Pick {=a ~%x%b ~c}\n", 1, "percentage"),
        ("::S::Pick {x =a ~b}\n", 1, "must start with"),
        ("::Sh::Name it {air embolism}\n", 1, "must start with"),
        ("::Sh::Name it {=%50%air}\n", 1, "100%"),
        ("\n\n// [difficulty:hard]\n::D::Pick {=a ~b ~c}\n", 3, "difficulty"),
    ],
)
def test_gift_syntax_errors_name_their_line(text: str, line: int, words: str) -> None:
    error = syntax_error(text, "gift")
    assert error.line == line, error
    assert words in error.message


def test_gift_writes_categories_comments_and_escapes() -> None:
    questions = [
        PortableQuestion("single", "A {b}?", {"choices": [
            {"text": "x=1", "correct": True}, {"text": "y~2"}, {"text": "z#3"}]},
            uid="w1", topic="routes/intravenous", cites=["types/intravenous"], tags=["t"],
            difficulty=2),
        PortableQuestion("true_false", "Same topic.", {"answer": True},
                         uid="w2", topic="routes/intravenous"),
        PortableQuestion("short_answer", "No topic.", {"accepted": ["x"]}, uid="w3"),
        PortableQuestion("short_answer", "Still none.", {"accepted": ["y"]}, uid="w4"),
    ]  # fmt: skip
    text = write_gift(questions)
    assert text.count("$CATEGORY:") == 2
    assert text.startswith("$CATEGORY: $course$/top/routes/intravenous\n")
    assert "$CATEGORY: $course$/top/Default\n" in text
    assert (
        "// [id:w1] [topic:routes/intravenous] [section:types/intravenous] [difficulty:2] [tag:t]"
        in text
    )
    assert "A \\{b\\}? {" in text and "=x\\=1" in text and "~y\\~2" in text and "~z\\#3" in text
    parsed = parse_gift(text).questions
    assert [(q.uid, q.topic) for q in parsed] == [
        ("w1", "routes/intravenous"), ("w2", "routes/intravenous"), ("w3", None), ("w4", None)
    ]  # fmt: skip


def test_gift_writes_select_all_without_an_equals_answer_as_moodle_expects() -> None:
    q = PortableQuestion("multiple", "Which?", {"choices": [
        {"text": "a", "correct": True}, {"text": "b", "correct": True},
        {"text": "c", "correct": True}, {"text": "d"}]})  # fmt: skip
    block = write_gift([q])
    assert "=" not in block
    assert block.count("~%33.33333%") == 3 and "~%-33.33333%d" in block


# --- Moodle XML ---------------------------------------------------------------------------


def test_moodle_xml_mixed_file_imports_every_supported_type_and_reports_the_rest() -> None:
    result = parse_moodle_xml((DATA / "mixed.xml").read_text())
    assert [(q.uid, q.type, q.line) for q in result.questions] == [
        ("mx-single", "single", 7),
        ("mx-multiple", "multiple", 22),
        ("mx-tf", "true_false", 34),
        ("mx-matching", "matching", 41),
        ("mx-numeric", "numeric", 53),
        ("mx-short", "short_answer", 65),
    ]
    assert [(s.line, s.kind, s.name) for s in result.skipped] == [
        (73, "essay", "Reflect"),
        (77, "description", "Intro"),
        (81, "cloze", "Cloze"),
        (85, "calculated", "Calc"),
        (88, "ddwtos", "Drag"),
    ]
    assert all(s.reason for s in result.skipped)
    assert_valid(result)
    questions = by_uid(result)

    single = questions["mx-single"]
    assert single.name == "Phlebitis"
    # bold and the line break are kept as Markdown (issue 14; plain text before)
    assert (
        single.stem == "A vein is **red, warm & tender** above a cannula.\\\nWhat is most likely?"
    )
    assert single.rationale == "Phlebitis inflames the vein wall."
    assert [c["text"] for c in single.data["choices"]] == [
        "*Phlebitis*", "Infiltration", "Air embolism"
    ]  # fmt: skip
    assert [c["feedback"] for c in single.data["choices"]] == [
        "Yes.", "Infiltration is cool & pale.", None
    ]  # fmt: skip
    assert [c["correct"] for c in single.data["choices"]] == [True, False, False]
    assert (single.cites, single.tags, single.difficulty) == (
        ["complications/intravenous"], ["phlebitis"], 2
    )  # fmt: skip
    assert single.topic is None  # the importer maps the recorded category (it knows the topics)
    assert single.category == "$course$/top/complications/intravenous"

    multiple = questions["mx-multiple"]
    assert [c["correct"] for c in multiple.data["choices"]] == [True, True, True, False]
    assert multiple.data["choices"][3]["feedback"] == "That is infiltration."
    assert multiple.topic == "complications/side-effects"  # the topic: tag beats the category
    assert multiple.tags == []

    assert questions["mx-tf"].data == {
        "answer": False, "feedback_true": "It can.", "feedback_false": "Right."
    }  # fmt: skip
    assert questions["mx-tf"].rationale == ""

    matching = questions["mx-matching"]
    assert matching.stem == "Match each sign to its complication."
    assert [p["prompt"] for p in matching.data["pairs"]] == [
        "Cool, pale swelling", "Red, warm vein", "Frothy sputum"
    ]  # fmt: skip
    assert matching.data["distractors"] == ["Anaphylaxis"]

    numeric_q = questions["mx-numeric"]
    # Issue 14: every answer with its grade and feedback, every unit with its multiplier.
    assert numeric_q.data == numeric(
        (41.0, 1.0, 50.0, None), (42.0, 0.5, 100.0, "Right."),
        units=(("gtt/min", 1.0), ("gtt/h", 60.0)),
    )  # fmt: skip
    assert (numeric_q.topic, numeric_q.category) == (None, "$course$/top/routes/calculations")
    assert questions["mx-short"].data == {
        "answers": [
            {"text": "left", "fraction": 100.0, "feedback": None},
            {"text": "left side", "fraction": 100.0, "feedback": None},
            {"text": "side", "fraction": 50.0, "feedback": None},
        ],
        "case_sensitive": False,
    }


def _xml(question: str, line_offset: int = 0) -> str:
    return '<?xml version="1.0"?>\n' + "\n" * line_offset + f"<quiz>\n{question}\n</quiz>\n"


def test_moodle_xml_true_false_in_the_old_order_without_true_false_texts() -> None:
    (q,) = parse_moodle_xml(
        _xml(
            '<question type="truefalse"><questiontext><text>S</text></questiontext>'
            '<answer fraction="100"><text>Yes</text><feedback><text>A</text></feedback></answer>'
            '<answer fraction="0"><text>No</text><feedback><text>B</text></feedback></answer>'
            "</question>"
        )
    ).questions
    assert q.data == {"answer": True, "feedback_true": "A", "feedback_false": "B"}


def test_moodle_xml_single_counts_only_full_marks_as_correct() -> None:
    (q,) = parse_moodle_xml(
        _xml(
            '<question type="multichoice"><questiontext><text>S</text></questiontext>'
            '<answer fraction="100"><text>a</text></answer>'
            '<answer fraction="50"><text>b</text></answer>'
            '<answer fraction="0"><text>c</text></answer></question>'
        )
    ).questions
    assert q.type == "single"  # <single> defaults to true, as in Moodle
    assert [c["correct"] for c in q.data["choices"]] == [True, False, False]


def test_moodle_xml_numerical_without_units_has_none() -> None:
    (q,) = parse_moodle_xml(
        _xml(
            '<question type="numerical"><questiontext><text>S</text></questiontext>'
            '<answer fraction="100"><text>2.5</text></answer></question>'
        )
    ).questions
    assert q.data == numeric((2.5, 0.0, 100.0, None))
    assert get_type("numeric").validate(q.data) == []  # issue 14: the unit is optional


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('<?xml version="1.0"?>\n<quiz>\n<question type="multichoice">\n</quiz>', 4, "mismatched"),
        ("<quiz>\n<question>\n<name><text>a &amp b</text></name>", 3, "malformed"),
        ("", 1, "malformed"),
        ("<quiz>&nbsp;</quiz>", 1, "undefined entity"),
        ("<questions/>", 1, "<quiz>"),
        ('<!DOCTYPE quiz [\n<!ENTITY big "lots">\n]>\n<quiz>&big;</quiz>', 1, "DOCTYPE"),
        ('<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "quiz.dtd">\n<quiz/>', 2, "DOCTYPE"),
        (_xml('<question type="truefalse"><answer fraction="x"><text>true</text></answer>'
              "</question>"), 3, "fraction"),
        (_xml('<question type="numerical">\n<answer fraction="100"><text>4x</text></answer>'
              "</question>"), 4, "not a number"),
        (_xml('<question type="numerical"><answer fraction="50"><text>4</text></answer>'
              "</question>"), 3, "100%"),
        (_xml('<question type="shortanswer"><answer fraction="0"><text>x</text></answer>'
              "</question>"), 3, "100%"),
        (_xml('<question type="multichoice"></question>', 2), 5, "no <answer>"),
        (_xml("<question><name><text>x</text></name></question>"), 3, "no type"),
    ],
)  # fmt: skip
def test_moodle_xml_errors_name_their_line(text: str, line: int, words: str) -> None:
    error = syntax_error(text, "moodle-xml")
    assert error.line == line, error
    assert words in error.message


def test_moodle_xml_writes_moodle_fields_and_our_tags() -> None:
    q = PortableQuestion(
        "numeric", "Rate & <b>?", {"value": 125, "tolerance": 0.5, "unit": "mL/h"},
        rationale="1000 / 8", uid="n1", name="Rate", topic="routes/calculations",
        cites=["types/intravenous"], tags=["maths"], difficulty=2,
    )  # fmt: skip
    text = write_moodle_xml([q])
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    assert "<text>$course$/top/routes/calculations</text>" in text
    assert "<text>Rate &amp; &lt;b&gt;?</text>" in text
    assert "<idnumber>n1</idnumber>" in text
    assert "<tolerance>0.5</tolerance>" in text and "<unit_name>mL/h</unit_name>" in text
    for tag in ("topic:routes/calculations", "section:types/intravenous", "difficulty:2", "maths"):
        assert f"<text>{tag}</text>" in text
    (back,) = parse_moodle_xml(text).questions
    assert back.stem == "Rate & <b>?"  # plain_text is not stripped of tags


# --- YAML ---------------------------------------------------------------------------------


def test_yaml_reads_the_real_bank_file() -> None:
    text = BANK_FILE.read_text()
    raw = yaml.safe_load(text)
    result = parse_yaml(text)
    assert result.skipped == []
    assert [q.uid for q in result.questions] == [q["id"] for q in raw["questions"]]
    assert all(q.topic == "routes/intravenous" for q in result.questions)
    assert_valid(result)
    lines = text.splitlines()
    for q, entry in zip(result.questions, raw["questions"], strict=True):
        assert lines[q.line - 1] == f"  - id: {q.uid}"
        assert q.type == entry["type"] and q.name == q.uid
        assert q.stem == entry["stem"] and q.rationale == entry["rationale"]
        assert (q.cites, q.tags, q.difficulty) == (
            entry["cites"], entry["tags"], entry["difficulty"]
        )  # fmt: skip
        fields = {k: v for k, v in entry.items() if k in get_type(q.type).fields}
        assert q.data == get_type(q.type).normalize(fields)
    matching = by_uid(result)["iv-011"].data
    assert matching["distractors"] == ["Subcutaneous enoxaparin"]
    assert matching["pairs"][1]["feedback"] == "Propofol is a common IV induction agent."


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_real_bank_file_round_trips(fmt: str) -> None:
    original = parse_yaml(BANK_FILE.read_text()).questions
    again = parse(write(original, fmt), fmt).questions
    # GIFT and Moodle XML write "$course$/top/<topic>" as the category; the bank file has none
    assert [comparable(q, "category") for q in again] == [
        comparable(q, "category") for q in original
    ]


def test_yaml_writes_one_topic_per_file_when_all_share_it() -> None:
    result = parse_yaml(BANK_FILE.read_text())
    document = yaml.safe_load(write_yaml(result.questions))
    assert document["topic"] == "routes/intravenous"
    assert all("topic" not in q and "status" not in q for q in document["questions"])
    assert document["questions"][0]["tags"] == ["pharmacology", "onset"]


def test_yaml_shapes_per_question_topic_and_unknown_types() -> None:
    text = (
        "topic: routes/epidural\n"
        "questions:\n"
        "  - id: y1\n"
        "    type: true_false\n"
        "    stem: An epidural is given into a vein.\n"
        "    answer: false\n"
        "  - id: y2\n"
        "    topic: routes/general\n"
        "    name: Custom name\n"
        "    type: essay\n"
        "    stem: Explain.\n"
        "---\n"
        "- id: y3\n"
        "  type: short_answer\n"
        "  stem: Name it.\n"
        "  accepted: air embolism\n"
        "  difficulty: '2'\n"
        "  tags: one\n"
    )
    result = parse_yaml(text)
    assert [(q.uid, q.topic, q.line) for q in result.questions] == [
        ("y1", "routes/epidural", 3),
        ("y3", None, 13),
    ]
    assert result.skipped == [Skipped(7, "essay", "y2", "'essay' is not one of our question types")]
    y3 = result.questions[1]
    assert (y3.data, y3.difficulty, y3.tags) == (
        get_type("short_answer").normalize({"accepted": ["air embolism"]}),
        2,
        ["one"],
    )


def test_yaml_keeps_custom_choice_ids_and_names() -> None:
    q = PortableQuestion(
        "single", "Pick", {"choices": [
            {"id": "iv", "text": "IV", "correct": True}, {"text": "IM"}, {"text": "SC"}]},
        uid="c1", name="Another name",
    )  # fmt: skip
    (back,) = parse_yaml(write_yaml([q])).questions
    assert [c["id"] for c in back.data["choices"]] == ["iv", "b", "c"]
    assert back.name == "Another name"
    # the name defaults to the id in YAML, so an empty name comes back as the id
    (unnamed,) = parse_yaml(write_yaml([dataclasses.replace(q, name="")])).questions
    assert unnamed.name == "c1"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("questions:\n  - id: a\n    type: single\n   stem: bad indent\n", 4, "YAML"),
        ("questions:\n  - id: a\n    stem: [unclosed\n", 4, "YAML"),
        ("questions:\n  - id: a\n    type: single\n    choises: []\n", 4, "unknown field"),
        ("questions:\n  - id: a\n    type: numeric\n    choices: []\n", 4, "unknown field"),
        ("topic: x\nquestion: []\n", 2, "unknown field"),
        ("questions:\n  - just text\n", 2, "mapping"),
        ("questions: {a: 1}\n", 1, "list"),
        ("\n\nquestions:\n  - id: a\n    stem: No type\n", 4, "type"),
        ("questions:\n  - id: a\n    type: single\n    difficulty: hard\n", 4, "difficulty"),
        ("questions:\n  - id: a\n    type: single\n    stem: {a: 1}\n", 4, "text"),
    ],
)
def test_yaml_errors_name_their_line(text: str, line: int, words: str) -> None:
    error = syntax_error(text, "yaml")
    assert error.line == line, error
    assert words in error.message


# --- round trips of every type, in every format ---------------------------------------------

EVERY_TYPE = [
    PortableQuestion(
        "single",
        'Which route acts fastest? Escapes: ~ = # { } : \\ "quotes" <b>not html</b> 50%',
        {"choices": [
            {"text": "Intravenous {IV}", "correct": True, "feedback": "Into a vein: fast."},
            {"text": "Intramuscular = IM", "feedback": "Absorbed from muscle ~ slower."},
            {"text": "%50% subcutaneous", "feedback": "[html] is not a marker here"},
            {"text": "[plain] oral"},
        ]},
        rationale="IV has no absorption step.\nSecond paragraph # with a hash.",
        uid="rt-single", name="rt-single", topic="routes/intravenous",
        cites=["types/intravenous", "overview"], tags=["speed", "routes"], difficulty=1,
    ),
    PortableQuestion(
        "multiple",
        "Which signs suggest infiltration? (Select all that apply.)",
        {"choices": [
            {"text": "Swelling", "correct": True, "feedback": "Yes."},
            {"text": "Cool skin", "correct": True},
            {"text": "Pallor", "correct": True, "feedback": "Yes, pale skin."},
            {"text": "Bounding pulse", "feedback": "No: overload."},
            {"text": "Fever"},
        ]},
        rationale="Fluid in the tissue.", uid="rt-multiple", name="Infiltration signs",
        topic="complications/intravenous", cites=["complications/intravenous"], difficulty=2,
    ),
    PortableQuestion(
        "true_false", "An epidural is given into a vein.",
        {"answer": False, "feedback_true": "No - not a vein.", "feedback_false": "Right."},
        rationale="The epidural space surrounds the cord.", uid="rt-tf", name="Epidural",
        topic="complications/intravenous", cites=["types/epidural"], difficulty=3,
    ),
    PortableQuestion(
        "true_false", "Saline is isotonic.", {"answer": True, "feedback_false": "It is."},
        uid="rt-tf2", name="rt-tf2", topic="complications/intravenous", cites=["types"],
    ),
    PortableQuestion(
        "matching", "Match each drug -> route.",
        {"pairs": [
            {"prompt": "Insulin -> daily", "answer": "Subcutaneous", "feedback": "Into fat."},
            {"prompt": "Vaccine", "answer": "Intramuscular"},
            {"prompt": "Blood = red cells", "answer": "Intravenous -> vein",
             "feedback": "A transfusion # is IV."},
            {"prompt": "Heparin flush", "answer": "Intravenous -> vein"},
        ], "distractors": ["Intrathecal", "Intradermal"]},
        rationale="Each route suits the drug.", uid="rt-matching", name="Routes",
        topic="routes/general", cites=["types"], tags=["match"], difficulty=2,
    ),
    PortableQuestion(
        "numeric", "1000 mL over 8 hours: what rate?",
        {"value": 125, "tolerance": 0.5, "unit": "mL/h"},
        rationale="1000 / 8 = 125.", uid="rt-numeric", name="Rate",
        topic="routes/calculations", cites=["calculations"], tags=["maths"], difficulty=2,
    ),
    PortableQuestion(
        "numeric", "A tiny, negative number?", {"value": -0.1, "tolerance": 0, "unit": "mg"},
        uid="rt-numeric2", name="Tiny", topic="routes/calculations", cites=["calculations"],
    ),
    PortableQuestion(
        "short_answer", "Name the complication when air enters a vein.",
        {"accepted": ["air embolism", "venous air embolism", "air -> vein", "%"]},
        rationale="Air in a vein.", uid="rt-short", name="Air", tags=["embolism"],
    ),
    PortableQuestion("short_answer", "//A stem that looks like a comment", {"accepted": ["x"]}),
]  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_type_round_trips(fmt: str) -> None:
    text = write(EVERY_TYPE, fmt)
    result = parse(text, fmt)
    assert result.skipped == []
    assert_valid(result)
    assert all(q.line > 0 for q in result.questions)
    # .category is the raw path of an import: GIFT and Moodle XML write "$course$/top/<topic>"
    # (or "$course$/top/Default" for no topic) and YAML writes none, so it is not compared.
    assert [comparable(q, "category") for q in result.questions] == [
        comparable(q, "category") for q in EVERY_TYPE
    ]
    # and once more: writing what was read gives the same text
    assert write(result.questions, fmt) == text


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml"])
def test_a_category_that_names_the_topic_round_trips(fmt: str) -> None:
    questions = [
        dataclasses.replace(q, category=f"$course$/top/Nursing/{q.topic}" if q.topic else None)
        for q in EVERY_TYPE
    ]
    again = parse(write(questions, fmt), fmt).questions
    assert [q.category for q in again[:-2]] == [q.category for q in questions[:-2]]
    assert [q.category for q in again[-2:]] == ["$course$/top/Default"] * 2


def test_moodle_xml_multiple_fractions_mark_like_our_rule() -> None:
    text = write_moodle_xml([EVERY_TYPE[1]])
    fractions = [line.split('fraction="')[1].split('"')[0] for line in text.splitlines()
                 if 'fraction="' in line]  # fmt: skip
    assert fractions == ["33.33333", "33.33333", "33.33333", "-33.33333", "-33.33333"]


def test_an_empty_list_writes_and_reads_back_empty() -> None:
    for fmt in FORMATS:
        assert parse(write([], fmt), fmt) == ParseResult([], [])


def test_gift_windows_line_endings_a_bom_and_a_category_that_is_not_a_topic() -> None:
    text = (
        "\ufeff$CATEGORY: $course$/top/Default for Nursing\r\n\r\n"
        "// [id:w]\r\n::W::Which? {\r\n=a\r\n~b\r\n~c\r\n}\r\n"
    )
    (q,) = parse_gift(text).questions
    assert (q.uid, q.line, q.category, q.topic) == (
        "w",
        4,
        "$course$/top/Default for Nursing",
        None,
    )
    assert [c["text"] for c in q.data["choices"]] == ["a", "b", "c"]


def test_moodle_xml_honours_another_declared_encoding() -> None:
    text = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<quiz><question type="shortanswer">'
        "<questiontext><text>Café?</text></questiontext>"
        '<answer fraction="100"><text>oui</text></answer></question></quiz>'
    )
    (q,) = parse_moodle_xml(text).questions
    assert (q.stem, q.data, q.line) == (
        "Café?",
        get_type("short_answer").normalize({"accepted": ["oui"]}),
        2,
    )
