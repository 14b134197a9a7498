"""Parsers against inputs built to be slow: each one took 30 s or more before (issue 12).

The bounds are generous (2 s for inputs that took 30 s to hours), so a slow machine does not
fail them, and a return of the quadratic or cubic behaviour does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from quizapp.domain.markdown_outline import heading, parse_outline
from quizapp.interchange import FORMATS, ParseResult, PortableQuestion, parse, write
from quizapp.interchange._common import quoted
from quizapp.interchange._html import html_to_text
from quizapp.interchange.gift import parse_gift
from quizapp.interchange.model import Budget, InterchangeSyntaxError, ParseLimits
from quizapp.interchange.moodle_xml import parse_moodle_xml
from quizapp.interchange.yaml_format import parse_yaml

BOUND = 2.0  # seconds


def timed(function: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def test_html_to_text_keeps_text_and_lines_and_drops_scripts() -> None:
    html = (
        "<h2>Title</h2><p>First &amp; <b>bold</b>\n  text.<br>Next line</p>"
        "<script type='x'>alert(1)</script><STYLE>p {}</STYLE ><!-- note -->"
        "<ul><li>one</li><li>two</li></ul>x &lt; y < z"
    )
    assert html_to_text(html) == "Title\n\nFirst & bold text.\nNext line\n\none\n\ntwo\n\nx < y < z"
    assert html_to_text("<p>open <script>kept as text") == "open kept as text"


def test_html_with_many_unclosed_script_tags_reads_in_linear_time() -> None:
    stem = "<script" * 40_000  # 280 KB: 30.8 s with the lazy regex
    xml = (
        '<?xml version="1.0"?>\n<quiz><question type="truefalse"><name><text>T</text></name>'
        f'<questiontext format="html"><text><![CDATA[{stem}]]></text></questiontext>'
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question></quiz>\n'
    )
    result, seconds = timed(parse_moodle_xml, xml)
    assert seconds < BOUND
    assert result.questions[0].stem == stem  # not a tag (no '>'): kept as text
    result, seconds = timed(parse_gift, "::S::[html]" + stem.replace("<", "<p>") + " {T}\n")
    assert seconds < BOUND
    assert result.questions[0].stem.split() == ["script"] * 40_000


def test_html_with_other_unclosed_constructs_reads_in_linear_time() -> None:
    for html in ("<!--" * 70_000, "<a" * 140_000, "<style>x</style" * 20_000):
        _, seconds = timed(html_to_text, html)
        assert seconds < BOUND, html[:20]


def test_markdown_heading_reader_matches_the_atx_rules() -> None:
    assert heading("## `a/b` · Text ##  ") == (2, "`a/b` · Text")
    assert heading("#\tTab") == (1, "Tab")
    assert heading("# ") == (1, "")
    assert heading("####### seven") is None
    assert heading("#no space") is None
    assert heading(" # indented") is None


def test_markdown_with_long_runs_of_spaces_in_headings_reads_in_linear_time() -> None:
    line = "## a" + " " * 1000 + "b\n"  # each line took 6 s with the old regex
    source = "# Title\n" + line * 9  # 9 KB
    outline, seconds = timed(parse_outline, source)
    assert seconds < BOUND
    assert len(outline.sections) == 9
    assert outline.sections[0].heading == "a" + " " * 1000 + "b"


def test_yaml_aliases_and_anchors_are_refused_naming_the_line() -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    bomb += "questions:\n- type: single\n  difficulty: *i\n"
    with pytest.raises(InterchangeSyntaxError) as caught:
        parse_yaml(bomb)
    assert caught.value.line == 1
    assert "anchors (&a) are not allowed" in caught.value.message
    alias_only = "questions:\n- type: single\n  stem: *x\n"
    with pytest.raises(InterchangeSyntaxError) as caught:
        parse_yaml(alias_only)
    assert caught.value.line == 3
    assert "aliases (*x) are not allowed" in caught.value.message


def test_yaml_nesting_is_bounded() -> None:
    with pytest.raises(InterchangeSyntaxError, match="nest more than 20 deep"):
        parse_yaml("questions:\n- stem: " + "[" * 100 + "]" * 100 + "\n")


def test_error_messages_quote_user_values_briefly() -> None:
    assert quoted("x" * 10_000) == repr("x" * 59 + "\u2026")
    nested: list[object] = []
    for _ in range(30):
        nested = [nested] * 9  # shared like an alias bomb: repr() would never end
    assert len(quoted(nested)) <= 60
    with pytest.raises(InterchangeSyntaxError) as caught:
        parse_yaml("questions:\n- type: single\n  difficulty: " + "9x" * 100_000 + "\n")
    assert len(caught.value.message) < 120


def test_gift_with_millions_of_answers_is_refused_quickly() -> None:
    text = "Q {=a" + "~a" * 750_000 + "}\n"  # 1.5 MB: about 20 s and 300 MB before
    start = time.perf_counter()
    with pytest.raises(InterchangeSyntaxError) as caught:
        parse_gift(text)
    assert time.perf_counter() - start < BOUND
    assert "750001 answers; at most 100" in caught.value.message
    big = "\n\n".join(
        f"::Q{n}:: Which line is {'long ' * 100}? {{=a ~b ~c ~d}}" for n in range(2_000)
    )
    assert len(big) > 1_000_000
    result, seconds = timed(parse_gift, big)
    assert len(result.questions) == 2_000
    assert seconds < 10 * BOUND


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_stops_at_the_question_limit(fmt: str) -> None:
    questions = [
        PortableQuestion(type="true_false", stem=f"S{n}", data={"answer": True}, uid=f"q{n}")
        for n in range(4)
    ]
    text = write(questions, fmt)
    assert len(parse(text, fmt, ParseLimits(max_questions=4)).questions) == 4
    with pytest.raises(InterchangeSyntaxError, match="more than 3 questions"):
        parse(text, fmt, ParseLimits(max_questions=3))


def test_the_time_budget_is_checked_between_questions() -> None:
    ticks = iter(range(100))
    budget = Budget(ParseLimits(seconds=2.5), clock=lambda: float(next(ticks)))
    result = ParseResult([], [])
    budget.check(result, 1)  # clock 1 (started at 0)
    budget.check(result, 2)  # clock 2
    with pytest.raises(InterchangeSyntaxError, match=r"longer than 2\.5 seconds") as caught:
        budget.check(result, 7)
    assert caught.value.line == 7
