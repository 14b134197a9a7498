"""The Markdown subset of question text, and that nothing unsafe survives its rendering."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path

import pytest

from quizapp.bank.reader import read_bank
from quizapp.domain.rich_text import referenced_digests, render_block, render_inline
from quizapp.interchange.media import strings_in

BANK = Path(__file__).resolve().parents[2] / "question_bank"
DIGEST = "ab" * 32

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    '<p style="color:red" onclick="alert(1)">raw</p>',
    "![x](javascript:alert(1))",
    '![x" onerror="alert(1)](/media/' + DIGEST + ")",
    "![x](/media/" + DIGEST + '" onerror="alert(1))',
    "<svg/onload=alert(1)>",
    "<iframe src=//evil></iframe>",
]


class _Elements(HTMLParser):
    """The elements and attributes of rendered HTML, as a browser would parse them."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


ALLOWED = {"p", "br", "strong", "em", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th"}
ALLOWED |= {"td", "img"}


@pytest.mark.parametrize("payload", XSS)
@pytest.mark.parametrize("render", [render_block, render_inline])
def test_unsafe_input_comes_out_inert(payload: str, render) -> None:
    for tag, attrs in _Elements(render(payload)).found:
        assert tag in ALLOWED, payload
        assert set(attrs) <= {"src", "alt", "start"}, payload
        if "src" in attrs:
            assert attrs["src"] == f"/media/{DIGEST}", payload


def test_raw_html_is_shown_as_text() -> None:
    assert render_block("<b>x</b>") == "<p>&lt;b&gt;x&lt;/b&gt;</p>"


def test_only_our_images_become_img_elements() -> None:
    ours = render_block(f"![An IV pump](/media/{DIGEST})")
    assert ours == f'<p><img src="/media/{DIGEST}" alt="An IV pump"></p>'
    for src in ("http://evil.example/x.png", "/media/short", "data:image/png;base64,AAAA"):
        out = render_block(f"![pump]({src})")
        assert "<img" not in out and src.split(":")[0] in out


def test_subset_renders_lists_bold_and_tables() -> None:
    out = render_block("**Check** the *site*:\n\n- redness\n- swelling\n\n1. stop\n2. report")
    assert "<strong>Check</strong>" in out and "<em>site</em>" in out
    assert "<ul>\n<li>redness</li>\n<li>swelling</li>\n</ul>" in out
    assert "<ol>\n<li>stop</li>\n<li>report</li>\n</ol>" in out
    table = render_block("| Drug | Rate |\n|:---|---:|\n| KCl | 10 mmol/h |")
    assert "<th>Drug</th>" in table and "<td>10 mmol/h</td>" in table
    assert "style" not in table  # alignment would be inline style, which the CSP refuses


def test_hard_line_break() -> None:
    assert render_block("one\\\ntwo") == "<p>one<br>\ntwo</p>"


def test_inline_rendering_has_no_blocks() -> None:
    out = render_inline("**5** mL\n\n- not a list")
    assert "<strong>5</strong>" in out and "<p>" not in out and "<li>" not in out


def test_constructs_outside_the_subset_stay_text() -> None:
    assert render_block("# Not a heading") == "<p># Not a heading</p>"
    assert render_block("    indented") == "<p>indented</p>"
    assert render_block("`code`") == "<p>`code`</p>"


def test_a_plain_stem_is_a_paragraph_of_the_same_text() -> None:
    stem = "A patient's IV site is red & swollen (2 cm). What do you do first?"
    assert render_block(stem) == f"<p>{html.escape(stem, quote=False)}</p>"


def test_every_bank_text_renders_as_its_plain_text() -> None:
    """No bank stem, choice, feedback or rationale turns into unintended markup."""
    content, problems = read_bank(BANK)
    assert not problems and content.questions
    for q in content.questions:
        for text in [q.stem, q.rationale, *strings_in(q.data)]:
            paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
            plain = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
            assert render_block(text) == plain, (q.id, text)
            assert render_inline(text) == html.escape(text.strip(), quote=False), (q.id, text)


def test_referenced_digests() -> None:
    text = f"![a](/media/{DIGEST}) and ![b](http://x/y.png)"
    assert referenced_digests(text) == [DIGEST]
