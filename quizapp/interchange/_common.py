"""Helpers shared by the formats: plain text from HTML, numbers, difficulty, tag mapping."""

from __future__ import annotations

import re
import reprlib
from collections.abc import Iterable, Iterator
from typing import Any

from quizapp.domain.types import get_type
from quizapp.interchange.model import (
    MAX_ANSWERS,
    InterchangeSyntaxError,
    PortableQuestion,
    too_many_answers,
)

NO_TOPIC_CATEGORY = "$course$/top/Default"  # declared before a question without a topic

REASONS = {
    "essay": "essay questions are not supported",
    "description": "a description (text without an answer) is not a question",
    "cloze": "cloze (embedded answers) questions are not supported",
    "ordering": "ordering questions are not supported",
}
QUOTE_LIMIT = 60  # characters of a user's value quoted in an error message
_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxlevel, _SHORT_REPR.maxlist, _SHORT_REPR.maxdict = 2, 4, 4
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = QUOTE_LIMIT
_KEY = r"[a-z0-9]+(?:[-_.][a-z0-9]+)*"
# Our fields as tags, exactly as `special_tags` writes them; any other tag is a plain tag
# (so Moodle's "Difficulty: easy" stays a tag rather than refusing the file).
_SPECIAL_TAG = re.compile(
    rf"(?:topic:(?P<topic>{_KEY}/{_KEY})|section:(?P<section>{_KEY}(?:/{_KEY})*)"
    r"|difficulty:(?P<difficulty>[1-3]))"
)


def reason(kind: str) -> str:
    """Why a question of `kind` was skipped."""
    return REASONS.get(kind, f"{kind} questions are not supported")


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """`value` quoted for an error message, at most about `limit` characters long.

    Why: a plain repr() of an uploaded value is as large as the value, or far larger for
    nested YAML (an alias bomb's repr made an 82 MB response).
    """
    if isinstance(value, str):
        return repr(value if len(value) <= limit else value[: limit - 1] + "\u2026")
    text = _SHORT_REPR.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def parse_difficulty(raw: object, line: int) -> int | None:
    """A whole-number difficulty from a number or text; raises naming `line` otherwise."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"\s*[0-9]+\s*", raw):
        return int(raw)
    raise InterchangeSyntaxError(line, f"difficulty {quoted(raw)} must be a whole number")


def question(qtype: str, stem: str, data: dict[str, Any], **fields: Any) -> PortableQuestion:
    """A PortableQuestion whose answer data is normalised by its type (and not too long)."""
    for key in ("choices", "pairs", "accepted", "distractors"):
        items = data.get(key)
        if isinstance(items, list) and len(items) > MAX_ANSWERS:
            raise too_many_answers(fields.get("line", 0), len(items))
    return PortableQuestion(type=qtype, stem=stem, data=get_type(qtype).normalize(data), **fields)


def apply_tags(q: PortableQuestion, raw_tags: list[str]) -> None:
    """Tags that are exactly "topic:KEY", "section:KEY" or "difficulty:1" to "difficulty:3"
    set the topic, a citation and the difficulty; every other tag is kept as a tag."""
    for raw in raw_tags:
        tag = raw.strip()
        match = _SPECIAL_TAG.fullmatch(tag)
        if not match:
            if tag:
                q.tags.append(tag)
        elif match["section"]:
            q.cites.append(match["section"])
        elif match["topic"]:
            q.topic = match["topic"]
        else:
            q.difficulty = int(match["difficulty"])


def special_tags(q: PortableQuestion) -> list[str]:
    """Our fields as tags, the inverse of `apply_tags`, followed by the plain tags."""
    tags = [f"topic:{q.topic}"] if q.topic else []
    tags += [f"section:{key}" for key in q.cites]
    if q.difficulty is not None:
        tags.append(f"difficulty:{q.difficulty}")
    return tags + list(q.tags)


def with_categories(
    questions: Iterable[PortableQuestion],
) -> Iterator[tuple[str | None, PortableQuestion]]:
    """Each question with the category to declare before it (None while the last one holds).

    The category is the question's own (a Moodle category kept from an import: the topic
    travels in its own field, so Moodle gets its own structure back); else "$course$/top/<topic>";
    a question with neither after one with a category gets NO_TOPIC_CATEGORY, so that it does
    not inherit the topic.
    """
    current: str | None = None
    for q in questions:
        if q.category:
            category: str | None = q.category
        elif q.topic:
            category = f"$course$/top/{q.topic}"
        else:
            category = NO_TOPIC_CATEGORY if current is not None else None
        yield (category if category != current else None), q
        current = category
