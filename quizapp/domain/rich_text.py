"""Question text (stems, choices, feedback, rationales) as safe HTML from a Markdown subset.

Why two layers: markdown-it-py turns the subset (paragraphs, emphasis, strong, lists, tables,
hard line breaks, images from our own store) into HTML with raw HTML, links and the other
CommonMark constructs switched off; nh3 then keeps only an explicit allow-list of tags and
attributes, so a bug or a gap in the first layer still cannot emit a script, a style, an event
handler or a foreign URL. Pure: no Flask here; the Jinja filters in `quizapp.templating` call it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import nh3
from markdown_it import MarkdownIt

MEDIA_PREFIX = "/media/"
IMAGE_URL = re.compile(r"/media/([0-9a-f]{64})")
# `![alt](/media/<sha256>)`: how a text refers to an image of our store.
IMAGE_REFERENCE = re.compile(r"!\[((?:\\.|[^\]\\])*)\]\(\s*(\S*?)\s*\)")

_OFF = [  # CommonMark rules outside the subset: their characters stay as plain text
    "html_block",
    "html_inline",
    "link",
    "autolink",
    "reference",
    "heading",
    "lheading",
    "code",
    "fence",
    "blockquote",
    "hr",
    "backticks",
    "strikethrough",
    "linkify",
]
_BLOCK_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "table", "thead", "tbody", "tr"}
_BLOCK_TAGS |= {"th", "td", "img"}
_INLINE_TAGS = {"br", "strong", "em", "img"}
_ATTRIBUTES = {"img": {"src", "alt"}, "ol": {"start"}}


def image_url(digest: str) -> str:
    return f"{MEDIA_PREFIX}{digest}"


def _image_rule(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    """An image of our store becomes <img>; any other source stays as its plain text."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    if not IMAGE_URL.fullmatch(src):
        return _escape(f"![{alt}]({src})")
    return f'<img src="{_escape(src)}" alt="{_escape(alt)}">'


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": False, "linkify": False})
    md.enable("table")
    md.disable(_OFF, ignoreInvalid=True)
    md.add_render_rule("image", _image_rule)
    # Table cell alignment comes as style="text-align:..."; the CSP forbids inline style.
    for tag in ("th_open", "td_open"):
        md.add_render_rule(tag, _cell_rule)
    return md


def _cell_rule(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    return f"<{tokens[idx].tag}>"


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "img" and name == "src":
        return value if IMAGE_URL.fullmatch(value) else None
    if tag == "ol" and name == "start":
        return value if value.isdigit() else None
    return value


def _sanitise(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html,
        tags=tags,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )


@lru_cache(maxsize=8192)  # pure; a 50-item review page renders ~300 texts, ~20 us each
def render_block(text: str | None) -> str:
    """HTML for a stem, a rationale or a feedback: paragraphs, lists, tables, images."""
    if not text:
        return ""
    return _sanitise(_parser().render(text), _BLOCK_TAGS).strip()


@lru_cache(maxsize=8192)
def render_inline(text: str | None) -> str:
    """HTML for a choice or a label: emphasis, strong, breaks, images; no blocks."""
    if not text:
        return ""
    html = _parser().renderInline(text)
    return _sanitise(html, _INLINE_TAGS).strip()


def image_references(text: str | None) -> list[tuple[str, str]]:
    """(alt text, source) of each image written in `text`."""
    return [(m.group(1), m.group(2)) for m in IMAGE_REFERENCE.finditer(text or "")]


def referenced_digests(text: str | None) -> list[str]:
    """The store hashes that `text` refers to, in order."""
    found = (IMAGE_URL.fullmatch(src) for _, src in image_references(text))
    return [m.group(1) for m in found if m]
