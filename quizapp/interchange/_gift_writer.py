"""Writing GIFT: see quizapp.interchange.gift for what travels in the comment lines."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from quizapp.domain.types import NotExpressible, QuestionType, get_type
from quizapp.interchange._common import with_categories
from quizapp.interchange.media import is_plain
from quizapp.interchange.model import LeftOut, PortableQuestion, left_out_note

_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]")  # as gift.py reads them


def _escape(text: object) -> str:
    text = str(text).replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _text(text: object, arrow: bool = False) -> str:
    """Escaped text; a "[moodle]" marker protects a text that starts like a format marker or an
    answer weight.

    With `arrow` (a matching prompt), a text holding "->" is written as [html] with ">" as
    "&gt;": GIFT has no escape for "->" (Moodle splits a pair at the first one), and Moodle
    reads a prompt's format marker.
    """
    if arrow and "->" in str(text):
        return "[html]" + _escape(html.escape(str(text), quote=False).replace("\n", "<br>"))
    escaped = _escape(text)
    return "[moodle]" + escaped if _FORMAT.match(escaped) or escaped[:1] == "%" else escaped


def _formatted(text: str) -> str:
    """A stem or general feedback: text holding Markdown carries a [markdown] marker, so that
    Moodle renders it as Markdown instead of showing the asterisks."""
    return _text(text) if is_plain(text) else "[markdown]" + _escape(text)


def _bracket(key: str, value: object) -> str:
    """`[key:value]`, with backslash, "]" and line breaks escaped."""
    value = str(value).replace("\\", "\\\\").replace("]", "\\]")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f"[{key}:{value}]"


def _comments(q: PortableQuestion, data: dict[str, Any], qtype: QuestionType) -> list[str]:
    fields: list[tuple[str, object]] = [("id", q.uid)] if q.uid else []
    fields += [("topic", q.topic)] if q.topic else []
    fields += [("section", key) for key in q.cites]
    fields += [("difficulty", q.difficulty)] if q.difficulty is not None else []
    own_fields, entry_feedback = qtype.gift_comments(data)
    fields += own_fields
    fields += [("tag", tag) for tag in q.tags]
    lines = ["// " + " ".join(_bracket(key, value) for key, value in fields)] if fields else []
    for number, feedback in entry_feedback:
        lines.append(f"// [feedback:{number}] {_escape(feedback)}")
    return lines


def _question(q: PortableQuestion) -> str:
    qtype = get_type(q.type)
    data = qtype.normalize(q.data)
    stem = _formatted(q.stem)
    name = f"::{_escape(q.name)}::" if q.name or stem.startswith("/") else ""
    answers = qtype.gift_answers(data, _text)
    if q.rationale:
        answers.append(f"####{_formatted(q.rationale)}")
    block = "\n".join(f"  {line}" for line in answers)
    return "\n".join([*_comments(q, data, qtype), f"{name}{stem} {{\n{block}\n}}"]) + "\n"


def write_gift(questions: Sequence[PortableQuestion], left_out: list[LeftOut] | None = None) -> str:
    """GIFT text that `parse_gift` reads back as the same questions (see gift.py). With
    `left_out`, questions GIFT cannot express are listed there and in a comment on top."""
    blocks: dict[int, str] = {}
    dropped: list[LeftOut] = []
    for q in questions:
        try:
            blocks[id(q)] = _question(q)
        except NotExpressible as exc:
            if left_out is None:
                raise
            dropped.append(LeftOut(q.uid or q.name or "(no id)", q.type, str(exc)))
    parts = (
        [
            "\n".join(f"// {' '.join(line.split())}" for line in left_out_note(dropped, "GIFT"))
            + "\n"
        ]
        if dropped
        else []
    )
    kept = [q for q in questions if id(q) in blocks]
    for category, q in with_categories(kept):
        if category:
            parts.append(f"$CATEGORY: {category}\n")
        parts.append(blocks[id(q)])
    if left_out is not None:
        left_out.extend(dropped)
    return "\n".join(parts)
