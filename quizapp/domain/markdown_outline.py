"""Split a Markdown document into sections at its headings (pure).

A heading may carry its stable key in backticks, as the shared source does
(`## `types/epidural` · Epidural therapy`); otherwise the key is made from the heading text.
Bullets and paragraphs under a heading become its key points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_KEYED = re.compile(r"^`([^`]+)`\s*(?:[\u00b7:|\u2013\u2014-]\s*)?(.*)$")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+(.*)$")


@dataclass
class OutlineSection:
    key: str
    heading: str
    line: int
    key_points: list[str] = field(default_factory=list)


@dataclass
class Outline:
    title: str
    sections: list[OutlineSection]


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80] or "section"


def heading(line: str) -> tuple[int, str] | None:
    r"""(level, text) of an ATX heading line ("## Text ##"), else None.

    Why not a regex: `^(#{1,6})\s+(.*?)\s*#*\s*$` backtracks cubically over a run of spaces
    followed by text (a 9 KB line timed out); this reads the line a constant number of times.
    """
    hashes = len(line) - len(line.lstrip("#"))
    if not 1 <= hashes <= 6 or not line[hashes : hashes + 1].isspace():
        return None
    return hashes, line[hashes:].rstrip().rstrip("#").strip()


def parse_outline(text: str) -> Outline:
    title = ""
    sections: list[OutlineSection] = []
    paragraph: list[str] = []
    seen: dict[str, int] = {}

    def flush() -> None:
        if paragraph and sections:
            sections[-1].key_points.append(" ".join(paragraph))
        paragraph.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        found = heading(raw)
        if found:
            flush()
            level, body = found
            if level == 1 and not title:
                title = body
                continue
            keyed = _KEYED.match(body)
            key, name = (
                (keyed.group(1), keyed.group(2) or keyed.group(1))
                if keyed
                else (slugify(body), body)
            )
            if key in seen:
                seen[key] += 1
                key = f"{key}-{seen[key]}"
            else:
                seen[key] = 1
            sections.append(OutlineSection(key=key, heading=name, line=number))
            continue
        bullet = _BULLET.match(raw)
        if bullet:
            flush()
            if sections:
                sections[-1].key_points.append(bullet.group(1).strip())
            continue
        if raw.strip():
            paragraph.append(raw.strip())
        else:
            flush()
    flush()
    return Outline(title=title, sections=sections)
