"""Faithful import: unsupported types, per-question errors, categories, tags (issue 14)."""

from __future__ import annotations

import pytest

from quizapp.interchange import InterchangeSyntaxError, PortableQuestion, parse
from quizapp.interchange.gift import parse_gift, write_gift
from quizapp.interchange.model import category_topic
from quizapp.interchange.moodle_xml import parse_moodle_xml

TOPICS = {"routes/intravenous", "routes/epidural"}


def test_a_gift_ordering_question_is_skipped_with_its_line() -> None:
    text = (
        "::Fast::Which is fastest? {=IV ~IM ~SC}\n\n"
        "::Order::Put in order. {>\n  Wash\n  Tourniquet\n  Cannula\n}\n\n"
        "::Short::Name it. {=air embolism}\n"
    )
    result = parse_gift(text)
    assert [q.name for q in result.questions] == ["Fast", "Short"]
    assert [(s.line, s.kind, s.name, s.reason) for s in result.skipped] == [
        (3, "ordering", "Order", "ordering questions are not supported")
    ]


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml", "yaml"])
def test_keep_going_lists_an_unreadable_question_and_reads_the_rest(fmt: str) -> None:
    texts = {
        "gift": "::A::Fine {=a ~b ~c}\n\n::B::Broken\n{=a ~b\n\n::C::Fine too {=x ~y ~z}\n",
        "moodle-xml": (
            '<quiz>\n<question type="shortanswer"><name><text>A</text></name>'
            '<answer fraction="100"><text>a</text></answer></question>\n'
            '<question type="shortanswer"><name><text>B</text></name>'
            '<answer fraction="50"><text>b</text></answer></question>\n'
            '<question type="shortanswer"><name><text>C</text></name>'
            '<answer fraction="100"><text>c</text></answer></question>\n</quiz>\n'
        ),
        "yaml": (
            "- {id: a, type: true_false, stem: A, answer: true}\n"
            "- {id: b, type: true_false, stem: B, colour: red}\n"
            "- {id: c, type: true_false, stem: C, answer: false}\n"
        ),
    }
    with pytest.raises(InterchangeSyntaxError):
        parse(texts[fmt], fmt)
    result = parse(texts[fmt], fmt, keep_going=True)
    assert len(result.questions) == 2
    ((line, name),) = [(s.line, s.name) for s in result.invalid]
    assert (line, name.lower()) == ({"gift": 3, "moodle-xml": 3, "yaml": 2}[fmt], "b")


def test_an_error_after_a_question_start_names_both_lines() -> None:
    result = parse("::N::Rate {\n  #=125:0.5\n  =%50%abc\n}\n", "gift", keep_going=True)
    (invalid,) = result.invalid
    assert invalid.line == 1 and invalid.reason.startswith("line 3: ")


@pytest.mark.parametrize(
    ("category", "topic"),
    [
        ("$course$/top/routes/intravenous", "routes/intravenous"),
        ("routes/epidural", "routes/epidural"),
        ("$course$/top/week1/quiz", None),  # lowercase, looks like a key, is none of ours
        ("$course$/top/routes/oral", None),
        ("$course$/top/Default for Nursing", None),
        (None, None),
    ],
)
def test_a_category_names_a_topic_only_when_it_is_one_of_ours(
    category: str | None, topic: str | None
) -> None:
    assert category_topic(category, TOPICS) == topic


def test_only_tags_that_are_exactly_our_fields_set_them() -> None:
    tags = [
        "Difficulty: easy", "difficulty:5", "difficulty:2", "Topic:routes/intravenous",
        "topic:routes/epidural", "section:types/intravenous", "section: overview", "fluids",
    ]  # fmt: skip
    xml = (
        '<quiz><question type="truefalse"><questiontext><text>A?</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer><tags>'
        + "".join(f"<tag><text>{tag}</text></tag>" for tag in tags)
        + "</tags></question></quiz>"
    )
    (q,) = parse_moodle_xml(xml).questions
    assert (q.difficulty, q.topic, q.cites) == (2, "routes/epidural", ["types/intravenous"])
    assert q.tags == [
        "Difficulty: easy", "difficulty:5", "Topic:routes/intravenous", "section: overview",
        "fluids",
    ]  # fmt: skip


MATCH_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="match">
    <name><text>Routes</text></name>
    <questiontext format="html"><text><![CDATA[<p>Match each drug to its route.</p>]]></text>
    </questiontext>
    <shuffleanswers>true</shuffleanswers>
    <subquestion format="html"><text><![CDATA[<p>Insulin</p>]]></text>
      <answer><text>Subcutaneous</text></answer></subquestion>
    <subquestion format="html"><text>Vaccine</text>
      <answer><text>Intramuscular</text></answer></subquestion>
    <subquestion format="html"><text></text>
      <answer><text>Intrathecal</text></answer></subquestion>
    <subquestion format="html"><text>Blood</text>
      <answer><text>Intravenous</text></answer></subquestion>
  </question>
</quiz>
"""


def test_a_moodle_xml_match_question_imports_as_matching() -> None:
    (q,) = parse_moodle_xml(MATCH_XML).questions
    assert (q.type, q.name, q.stem, q.line) == (
        "matching",
        "Routes",
        "Match each drug to its route.",
        3,
    )
    assert [(p["prompt"], p["answer"]) for p in q.data["pairs"]] == [
        ("Insulin", "Subcutaneous"), ("Vaccine", "Intramuscular"), ("Blood", "Intravenous")
    ]  # fmt: skip
    assert q.data["distractors"] == ["Intrathecal"]  # an empty subquestion: an extra answer


def test_gift_escapes_are_exactly_moodles() -> None:
    (q,) = parse_gift(r"::N::A \> b \a c\\\: d\n e {=x\=1 ~y\>2 ~z}").questions
    assert q.stem == "A \\> b \\a c\\: d\n e"  # \> and \a are not escapes; \\ then \: are
    assert [c["text"] for c in q.data["choices"]] == ["x=1", "y\\>2", "z"]


def test_format_markers_are_read_in_lowercase_only_as_moodle_does() -> None:
    text = "[html]<b>Bold</b> {=a ~b ~c}\n\n[HTML]<b>kept</b> {=a ~b ~c}\n"
    html, upper = parse_gift(text).questions
    # the HTML's bold is kept as Markdown (issue 14 item 3)
    assert (html.stem, upper.stem) == ("**Bold**", "[HTML]<b>kept</b>")


def test_a_matching_prompt_with_an_arrow_is_written_as_moodle_reads_it() -> None:
    q = PortableQuestion(
        "matching",
        "Match.",
        {"pairs": [
            {"prompt": "A -> B <tag> & more", "answer": "1"},
            {"prompt": "C", "answer": "2 -> 3"}, {"prompt": "D", "answer": "4"},
        ]},
        name="Arrows",
    )  # fmt: skip
    text = write_gift([q])
    assert "\\>" not in text  # not Moodle syntax
    assert "=[html]A -&gt; B &lt;tag&gt; &amp; more -> 1" in text
    (back,) = parse_gift(text).questions
    assert [(p["prompt"], p["answer"]) for p in back.data["pairs"]] == [
        ("A -> B <tag> & more", "1"), ("C", "2 -> 3"), ("D", "4")
    ]  # fmt: skip
    assert back.name == "Arrows"


def test_a_stem_with_markdown_is_written_with_a_markdown_marker() -> None:
    """Moodle reads an unmarked GIFT text as its own "moodle" format and would show the
    asterisks; a [markdown] marker makes it render them. Plain text carries no marker."""
    data = {"answer": True, "feedback_true": None, "feedback_false": None}
    formatted = PortableQuestion(
        "true_false", "Flush **before** and after.", dict(data), rationale="- one\n- two"
    )
    plain = PortableQuestion("true_false", "Flush before and after.", dict(data))
    text = write_gift([formatted, plain])
    assert "[markdown]Flush **before** and after." in text
    assert "####[markdown]- one" in text
    assert "[markdown]Flush before" not in text
    back, back_plain = parse_gift(text).questions
    assert (back.stem, back.rationale) == ("Flush **before** and after.", "- one\n- two")
    assert back_plain.stem == "Flush before and after."
