"""Parsers against inputs built to be slow: each one took 30 s or more before (issue 12).

The bounds are generous (2 s for inputs that took 30 s to hours), so a slow machine does not
fail them, and a return of the quadratic or cubic behaviour does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from quizapp.domain.markdown_outline import heading, parse_outline
from quizapp.interchange._html import html_to_text
from quizapp.interchange.gift import parse_gift
from quizapp.interchange.moodle_xml import parse_moodle_xml

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
    for html in ("<!--" * 70_000, "<a" * 140_000, "<" * 280_000, "<style>x</style" * 20_000):
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
