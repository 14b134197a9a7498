"""Builds our Markdown subset from the text runs and tags that `_html._Scanner` reports.

Why placeholders: white space is normalised at the end, line by line, and the indentation of a
nested list item, the marker of a generated list item and a hard line break must survive that
(and a "1." that was text in the HTML must not become a list); private-use characters mark them
until then. Emphasis nests at most `MAX_DEPTH` deep, so the work stays linear in the text.
"""

from __future__ import annotations

import re
from html import unescape

INDENT, BREAK, ITEM = "\ue000", "\ue001", "\ue002"
MAX_DEPTH = 8
_SPACE = re.compile(r"\s+")
_MANY_BREAKS = re.compile(r"\n{3,}")
_ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_SPECIAL = re.compile(r"[\\*]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|!(?=\[)|&(?=#?\w+;)")
_LEADING_NUMBER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_LEADING_BULLET = re.compile(r"^[-+](?=\s|$)")
_BLOCKS = frozenset(("p", "div", "blockquote", "pre", "section", "article", "table"))
_BLOCKS |= {f"h{level}" for level in range(1, 7)}
_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*"}


def escape_text(text: str) -> str:
    """Text that shows as itself in our Markdown (leading list markers are handled per line)."""
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def attributes(source: str) -> dict[str, str]:
    """The attributes of one tag's text, such as `<img src="a.png" alt="A">`."""
    found: dict[str, str] = {}
    for name, value in _ATTRIBUTE.findall(source):
        found.setdefault(name.lower(), unescape(value.strip("\"'")))
    return found


def image_markdown(source: str) -> str:
    attrs = attributes(source)
    alt = " ".join(attrs.get("alt", "").replace("[", "(").replace("]", ")").split())
    src = attrs.get("src", "").strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"![{alt}]({src})" if src else escape_text(alt)


class MarkdownOut:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.marks: list[tuple[str, int]] = []  # open emphasis: (tag name, where it starts)
        # open lists: [kind, next number, and a 0 for each list nested past MAX_DEPTH]
        self.lists: list[list[int | str]] = []
        self.rows: list[list[str]] | None = None  # the rows of the open table
        self.cell: int | None = None  # where the open table cell starts in `parts`

    def text(self, raw: str) -> None:
        self.parts.append(escape_text(_SPACE.sub(" ", unescape(raw))))

    def tag(self, closing: bool, name: str, source: str) -> None:
        if name in _EMPHASIS:
            self._emphasis(closing, name)
        elif name in ("ul", "ol"):
            self._list(closing, name)
        elif name == "li" and not closing and self.lists:
            self._item()
        elif self.rows is not None and name in ("table", "tr", "td", "th"):
            self._table(closing, name)
        elif name == "table":
            self.rows = []
            self.parts.append("\n\n")
        elif name == "br":
            self.parts.append(" " if self.cell is not None else BREAK + "\n")
        elif name == "img":
            self.parts.append(image_markdown(source))
        elif name in _BLOCKS and not self.lists and self.cell is None:
            self.parts.append("\n\n")

    def _emphasis(self, closing: bool, name: str) -> None:
        if not closing:
            if len(self.marks) < MAX_DEPTH:
                self.marks.append((name, len(self.parts)))
            return
        if not self.marks or self.marks[-1][0] != name:
            return  # a close without its open: ignored
        _, start = self.marks.pop()
        content = "".join(self.parts[start:])
        del self.parts[start:]
        inner = content.strip()
        if not inner or "\n" in inner:  # empty, or across blocks: no emphasis
            self.parts.append(content)
            return
        lead = content[: len(content) - len(content.lstrip())]
        trail = content[len(content.rstrip()) :]
        self.parts.append(f"{lead}{_EMPHASIS[name]}{inner}{_EMPHASIS[name]}{trail}")

    def _list(self, closing: bool, name: str) -> None:
        if closing:
            if self.lists and len(self.lists[-1]) > 2:  # one of the lists past MAX_DEPTH
                self.lists[-1].pop()
            elif self.lists:
                self.lists.pop()
                self.parts.append("" if self.lists else "\n\n")
            return
        self.parts.append("" if self.lists else "\n\n")
        if len(self.lists) < MAX_DEPTH:
            self.lists.append([name, 1])
        else:  # deeper lists go on at the deepest level kept
            self.lists[-1].append(0)

    def _item(self) -> None:
        level = self.lists[-1]
        width = sum(2 if level[0] == "ul" else 3 for level in self.lists[:-1])
        if level[0] == "ul":
            marker = "- "
        else:
            marker = f"{level[1]}. "
            level[1] = int(level[1]) + 1
        self.parts.append(f"\n{INDENT * width}{ITEM}{marker}")

    def _table(self, closing: bool, name: str) -> None:
        assert self.rows is not None
        self._end_cell()
        if name == "table" and closing:
            self.parts.append(_table_markdown(self.rows))
            self.rows = None
        elif name == "tr" and not closing:
            self.rows.append([])
        elif name in ("td", "th") and not closing:
            if not self.rows:
                self.rows.append([])
            self.cell = len(self.parts)

    def _end_cell(self) -> None:
        if self.cell is None or self.rows is None:
            return
        content = "".join(self.parts[self.cell :])
        del self.parts[self.cell :]
        self.cell = None
        self.rows[-1].append(" ".join(content.split()).replace("|", "\\|"))

    def result(self) -> str:
        if self.rows is not None:  # a table never closed
            self._table(True, "table")
        lines = [" ".join(line.split()) for line in "".join(self.parts).split("\n")]
        for i, line in enumerate(lines):
            if line.endswith(BREAK):
                line = line[: -len(BREAK)].rstrip()
                if line.strip(BREAK + INDENT) and i + 1 < len(lines) and lines[i + 1]:
                    line += "\\"
            if line.startswith(ITEM) or line.lstrip(INDENT).startswith(ITEM):
                line = line.replace(ITEM, "")
            else:
                line = _LEADING_NUMBER.sub(r"\1\\\2", line, count=1)
                line = _LEADING_BULLET.sub(r"\\\g<0>", line, count=1)
            lines[i] = line.replace(INDENT, " ").replace(BREAK, "")
        return _MANY_BREAKS.sub("\n\n", "\n".join(lines)).strip()


def _table_markdown(rows: list[list[str]]) -> str:
    rows = [row for row in rows if row]
    if not rows:
        return "\n\n"
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n\n" + "\n".join(lines) + "\n\n"
