"""The small HTML that question texts carry, as plain text or as our safe Markdown subset,
in one linear pass.

Why not a regex or `html.parser`: a lazy `<script.*?</script>` regex, and the stdlib
HTMLParser of Python 3.11, both take quadratic time on a text of many unclosed `<script`
(280 KB ran for 30-60 s). Here each search starts where the previous one ended, and a search
that finds nothing is never repeated, so the work is proportional to the length of the text.
`html_to_markdown` keeps the structure the renderer (quizapp.domain.rich_text) shows:
paragraphs, line breaks, strong, emphasis, lists, tables and images.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Protocol

from quizapp.interchange._markdown_out import MarkdownOut

_NAME = re.compile(r"<(/?)(\s*)([a-zA-Z][a-zA-Z0-9]*)")
_SPACE = re.compile(r"\s+")
_MANY_BREAKS = re.compile(r"\n{3,}")
_DROPPED = ("script", "style")  # elements whose content is not text
_CLOSE = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in _DROPPED}
_BLOCKS = frozenset(
    ("p", "div", "li", "ul", "ol", "tr", "table", "blockquote", "pre", "section", "article")
) | {f"h{level}" for level in range(1, 7)}
_SPACED = _BLOCKS | {"br"}  # as before, `< br>` and `< p>` count as tags (but `< b>` is text)


class _Sink(Protocol):
    def text(self, raw: str) -> None: ...
    def tag(self, closing: bool, name: str, source: str) -> None: ...


class _PlainOut:
    """Text with white space as one space; a line break for <br>, a blank line for blocks."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def text(self, raw: str) -> None:
        self.parts.append(_SPACE.sub(" ", raw))

    def tag(self, closing: bool, name: str, source: str) -> None:
        self.parts.append("\n\n" if name in _BLOCKS else "\n" if name == "br" else "")


class _Scanner:
    """Walks the text once, telling `out` about each run of text and each tag."""

    def __init__(self, html: str, out: _Sink) -> None:
        self.html = html
        self.out = out
        self.unclosed: set[str] = set()  # "-->" or "</script>" known to be absent from here on
        self.gt = -1  # the first ">" at or after the last place asked about (len: none)

    def text(self, start: int, end: int) -> None:
        if start < end:
            self.out.text(self.html[start:end])

    def comment(self, at: int) -> int:
        """End of the comment at `at`, or -2 if it is never closed (then it is text)."""
        if "-->" in self.unclosed:
            return -2
        end = self.html.find("-->", at + 4)
        if end < 0:
            self.unclosed.add("-->")
            return -2
        return end + 3

    def tag(self, at: int, closing: bool, name: str) -> tuple[int, str]:
        """End of the tag at `at` (of its element for script and style) and the tag's own
        text; the end is -1 if no '>' follows, -2 if another '<' comes first (it is text)."""
        if self.gt < at:  # cached, so that "<a<a<a..." does not search to the end each time
            found = self.html.find(">", at)
            self.gt = found if found >= 0 else len(self.html)
        if self.gt == len(self.html):
            return -1, ""
        if self.html.find("<", at + 1, self.gt) >= 0:
            return -2, ""
        end = self.gt + 1
        source = self.html[at:end]
        if name in _DROPPED and not closing and name not in self.unclosed:
            close = _CLOSE[name].search(self.html, end)
            if close is None:
                self.unclosed.add(name)  # like a plain tag: its content stays as text
            else:
                end = close.end()
        return end, source

    def run(self) -> None:
        html, done = self.html, 0
        at = html.find("<")
        while at >= 0:
            end, tag = -2, None
            if html.startswith("<!--", at):
                end = self.comment(at)
            elif (match := _NAME.match(html, at)) and (not match[2] or match[3].lower() in _SPACED):
                end, source = self.tag(at, bool(match[1]), match[3].lower())
                if end == -1:  # no '>' anywhere after: no more tags
                    break
                tag = (bool(match[1]), match[3].lower(), source)
            if end >= 0:
                self.text(done, at)
                if tag:
                    self.out.tag(*tag)
                done = at = end
            else:
                at += 1
            at = html.find("<", at)
        self.text(done, len(html))


def html_to_text(html: str) -> str:
    """Plain text from simple HTML: tags removed, entities unescaped, paragraphs kept as lines.

    Script and style elements and comments are dropped; <br> is a line break and block
    elements (p, div, li, headings, ...) are separated by a blank line.
    """
    out = _PlainOut()
    _Scanner(html, out).run()
    text = unescape("".join(out.parts))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return _MANY_BREAKS.sub("\n\n", "\n".join(lines)).strip()


def html_to_markdown(html: str) -> str:
    """Our Markdown subset from simple HTML: p and div as paragraphs, br as a hard break,
    strong/b and em/i, ul/ol/li (nested), table rows and cells, img as `![alt](src)`.

    Other tags are dropped and their text kept; script, style and comments are dropped.
    Characters that would start Markdown of their own (`*`, `_`, `\\`, a leading "1." or
    "-") are escaped, so the text shows as it did in HTML.
    """
    out = MarkdownOut()
    _Scanner(html, out).run()
    return out.result()
