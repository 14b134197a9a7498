"""Split a Markdown document into sections at its headings (pure).

A heading may carry its stable key in backticks, as the shared source does
(`## `types/epidural` · Epidural therapy`); otherwise the key is made from the heading text.
Bullets and paragraphs under a heading become its key points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
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
        heading = _HEADING.match(raw)
        if heading:
            flush()
            level, body = len(heading.group(1)), heading.group(2).strip()
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
