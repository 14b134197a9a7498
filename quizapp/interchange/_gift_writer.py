"""Writing GIFT: see quizapp.interchange.gift for what travels in the comment lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from quizapp.domain.question_types import get_type
from quizapp.interchange._common import format_number, with_categories
from quizapp.interchange.model import PortableQuestion

_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]", re.IGNORECASE)


def _escape(text: object) -> str:
    text = str(text).replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _text(text: object, arrow: bool = False) -> str:
    """Escaped text; a "[moodle]" marker protects a text that starts like a format marker or an
    answer weight; with `arrow`, "->" is written "-\\>" (our escape) so that it does not make a
    block look like matching."""
    escaped = _escape(text)
    if arrow:
        escaped = escaped.replace("->", "-\\>")
    return "[moodle]" + escaped if _FORMAT.match(escaped) or escaped[:1] == "%" else escaped


def _bracket(key: str, value: object) -> str:
    """`[key:value]`, with backslash, "]" and line breaks escaped."""
    value = str(value).replace("\\", "\\\\").replace("]", "\\]")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f"[{key}:{value}]"


def _weight(percent: float) -> str:
    return f"%{f'{percent:.5f}'.rstrip('0').rstrip('.')}%"


def _feedback(feedback: object) -> str:
    return f"#{_text(feedback)}" if feedback else ""


def _answer_lines(qtype: str, data: dict[str, Any]) -> list[str]:
    if qtype in ("single", "multiple"):
        choices = data["choices"]
        right = 100 / max(1, sum(choice["correct"] is True for choice in choices))
        lines = []
        for choice in choices:
            if qtype == "single":
                mark = "=" if choice["correct"] is True else "~"
            else:
                mark = "~" + _weight(right if choice["correct"] is True else -right)
            lines.append(f"{mark}{_text(choice['text'])}{_feedback(choice['feedback'])}")
        return lines
    if qtype == "true_false":
        answer = data["answer"] is True
        wrong, right = data["feedback_false"], data["feedback_true"]
        if not answer:
            wrong, right = right, wrong
        line = "T" if answer else "F"  # T#feedback-if-wrong#feedback-if-right
        if wrong or right:
            line += f"#{_text(wrong or '')}" + (f"#{_text(right)}" if right else "")
        return [line]
    if qtype == "matching":
        lines = [
            f"={_text(pair['prompt'], arrow=True)} -> {_text(pair['answer'])}"
            for pair in data["pairs"]
        ]
        return lines + [f"= -> {_text(text)}" for text in data["distractors"]]
    if qtype == "numeric":
        return [f"#{format_number(data['value'])}:{format_number(data['tolerance'] or 0.0)}"]
    return [f"={_text(text, arrow=True)}" for text in data["accepted"]]


def _comments(q: PortableQuestion, data: dict[str, Any]) -> list[str]:
    fields = [("id", q.uid)] if q.uid else []
    fields += [("topic", q.topic)] if q.topic else []
    fields += [("section", key) for key in q.cites]
    fields += [("difficulty", q.difficulty)] if q.difficulty is not None else []
    fields += [("unit", data["unit"])] if q.type == "numeric" and data.get("unit") else []
    fields += [("tag", tag) for tag in q.tags]
    lines = ["// " + " ".join(_bracket(key, value) for key, value in fields)] if fields else []
    for number, pair in enumerate(data.get("pairs") or [] if q.type == "matching" else [], 1):
        if pair.get("feedback"):
            lines.append(f"// [feedback:{number}] {_escape(pair['feedback'])}")
    return lines


def _question(q: PortableQuestion) -> str:
    data = get_type(q.type).normalize(q.data)
    stem = _text(q.stem)
    name = f"::{_escape(q.name)}::" if q.name or stem.startswith("/") else ""
    answers = [*_answer_lines(q.type, data)]
    if q.rationale:
        answers.append(f"####{_text(q.rationale)}")
    block = "\n".join(f"  {line}" for line in answers)
    return "\n".join([*_comments(q, data), f"{name}{stem} {{\n{block}\n}}"]) + "\n"


def write_gift(questions: Sequence[PortableQuestion]) -> str:
    """GIFT text that `parse_gift` reads back as the same questions (see gift.py)."""
    parts: list[str] = []
    for category, q in with_categories(questions):
        if category:
            parts.append(f"$CATEGORY: {category}\n")
        parts.append(_question(q))
    return "\n".join(parts)
