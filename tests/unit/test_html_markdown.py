"""HTML from imports becomes our Markdown subset, and shows as it did (issue 14, item 3)."""

from __future__ import annotations

import base64
import hashlib
import time

import pytest

from quizapp.domain.rich_text import render_block
from quizapp.interchange._html import html_to_markdown
from quizapp.interchange.media import StoredImage, image_notes
from quizapp.interchange.model import InterchangeSyntaxError
from quizapp.interchange.moodle_xml import parse_moodle_xml, write_moodle_xml
from tests.image_data import tiny_png

CASES = [
    ("<p>Is <b>this</b> <em>kept</em>?</p>", "Is **this** *kept*?"),
    ("<p>One<br>two</p><p>Three</p>", "One\\\ntwo\n\nThree"),
    ("<p>End<br></p>", "End"),
    ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
    ("<ol><li>first</li><li>second<ul><li>inner</li></ul></li></ol>",
     "1. first\n2. second\n   - inner"),
    ("<table><tr><th>Drug</th><th>Rate</th></tr><tr><td>KCl</td><td>10 | 20</td></tr></table>",
     "| Drug | Rate |\n| --- | --- |\n| KCl | 10 \\| 20 |"),
    ('<p><img src="/media/x" alt="A [pump]"></p>', "![A (pump)](/media/x)"),
    ("<p>2*3 = 6, a_b, _c_ \\ and 1. too</p>", "2\\*3 = 6, a_b, \\_c\\_ \\\\ and 1. too"),
    ("<p>1. not a list</p><p>- nor this</p>", "1\\. not a list\n\n\\- nor this"),
    ("<b> spaced </b>out", "**spaced** out"),
    ("<script>alert(1)</script><style>p{}</style><!-- c -->text", "text"),
    ("<h2>Title</h2><div>body &amp; more</div>", "Title\n\nbody & more"),
]  # fmt: skip


@pytest.mark.parametrize(("html", "markdown"), CASES)
def test_structure_becomes_markdown(html: str, markdown: str) -> None:
    assert html_to_markdown(html) == markdown


def test_the_markdown_shows_what_the_html_showed() -> None:
    html = "<p>2*3 &lt;b&gt; is <b>not</b> bold_face</p><ol><li>x</li></ol>"
    assert render_block(html_to_markdown(html)) == (
        "<p>2*3 &lt;b&gt; is <strong>not</strong> bold_face</p>\n<ol>\n<li>x</li>\n</ol>"
    )


@pytest.mark.parametrize(
    "html", ["<b>" * 100_000, "<ul><li>" * 30_000, "<td>x" * 50_000, "<img src=" * 50_000]
)
def test_nesting_and_unclosed_tags_read_in_linear_time(html: str) -> None:
    start = time.perf_counter()
    html_to_markdown(html)
    assert time.perf_counter() - start < 2.0


def _xml(files: str, src: str = "@@PLUGINFILE@@/a.png") -> str:
    return (
        '<quiz><question type="truefalse"><name><text>T</text></name>'
        f'<questiontext format="html"><text><![CDATA[<p><img src="{src}" alt="Pump"></p>]]>'
        f"</text>{files}</questiontext>"
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question></quiz>'
    )


def test_moodle_files_become_store_references_and_bytes() -> None:
    png = tiny_png(5)
    digest = hashlib.sha256(png).hexdigest()
    encoded = base64.b64encode(png).decode()
    result = parse_moodle_xml(
        _xml(f'<file name="a.png" path="/" encoding="base64">{encoded}</file>')
    )
    assert result.questions[0].stem == f"![Pump](/media/{digest})"
    assert result.files == {digest: png}
    assert result.notes == []


def test_bad_base64_names_its_line() -> None:
    with pytest.raises(InterchangeSyntaxError, match="not valid base64"):
        parse_moodle_xml(_xml('<file name="a.png" encoding="base64">@@@</file>'))


def test_a_reference_without_its_file_is_noted() -> None:
    result = parse_moodle_xml(_xml(""))
    assert result.files == {}
    assert image_notes(result.questions, carries_files=True) == [
        "line 1: the image '@@PLUGINFILE@@/a.png' was not imported (the file did not include "
        "it); upload it and replace the reference before publishing"
    ]


def test_export_writes_html_and_files_and_plain_text_stays_plain() -> None:
    png = tiny_png(6)
    digest = hashlib.sha256(png).hexdigest()
    result = parse_moodle_xml(_xml(""))
    question = result.questions[0]
    question.stem = f"Is **this** the pump?\n\n![Pump](/media/{digest})"
    question.rationale = "Plain & simple."
    text = write_moodle_xml([question], {digest: StoredImage("image/png", png)})
    assert '<questiontext format="html">' in text
    assert f'<img src="@@PLUGINFILE@@/{digest}.png" alt="Pump">' in text.replace(
        "&lt;", "<"
    ).replace("&gt;", ">")
    assert f'<file name="{digest}.png" path="/" encoding="base64">' in text
    assert '<generalfeedback format="plain_text">' in text
    back = parse_moodle_xml(text)
    assert back.questions[0].stem == question.stem and back.files == {digest: png}
    assert back.questions[0].rationale == "Plain & simple."
