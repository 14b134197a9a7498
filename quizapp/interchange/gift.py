"""Moodle's GIFT format (docs.moodle.org "GIFT format"): `parse_gift` and `write_gift`.

Our fields travel in `//` comment lines before a question: `[id:...]`, `[topic:...]`,
`[section:...]` (repeatable), `[difficulty:N]`, `[unit:...]` (repeatable: the first is the
answers' unit, others `[unit:L/h=0.001]` with their multiplier), `[case_sensitive:true]` (a
short answer), `[tag:...]` (repeatable), and
`[feedback:N] text` lines for the feedback of matching pair N, which GIFT cannot express.
The escapes are exactly Moodle's (qformat_gift::escapedchar_pre): \\~ \\= \\# \\{ \\} \\: \\n and
\\\\; any other backslash is kept as it is. A text may start with a format marker, [moodle],
[html], [plain] or [markdown] (lowercase, as Moodle reads them); answers, feedback and the
general feedback take the question text's format unless they carry their own marker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from quizapp.interchange._common import parse_difficulty, question, reason
from quizapp.interchange._gift_answers import (
    read_choices,
    read_matching,
    read_numeric,
    read_short,
    read_true_false,
)
from quizapp.interchange._gift_text import Line, QuestionText, hide, rich_text, show
from quizapp.interchange._gift_writer import write_gift as write_gift
from quizapp.interchange.model import (
    Budget,
    InterchangeSyntaxError,
    ParseLimits,
    ParseResult,
    PortableQuestion,
    Skipped,
)

_BRACKET = re.compile(
    r"\[\s*(id|tag|topic|section|difficulty|unit|case_sensitive)\s*:\s*((?:\\.|[^\]\\])*)\]",
    re.IGNORECASE,
)
_PAIR_FEEDBACK = re.compile(r"//\s*\[feedback:\s*([0-9]+)\s*\]\s?(.*)", re.IGNORECASE)
_CATEGORY = re.compile(r"\$CATEGORY:", re.IGNORECASE)
_CLOZE = re.compile(r"[0-9]*:[A-Z_]+:")


def _blocks(text: str) -> Iterator[list[Line]]:
    """Runs of non-blank lines; blank lines separate questions."""
    block: list[Line] = []
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(lines, 1):
        if line := raw.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _unescape_bracket(match: re.Match[str]) -> str:
    return "\n" if match.group(1) == "n" else match.group(1)


def _comment_fields(comments: list[Line], q: PortableQuestion) -> tuple[dict, dict[int, str]]:
    """Apply the bracketed fields of the comments to `q`; our answer-data fields (units, case
    sensitivity) and pair feedback."""
    own: dict[str, Any] = {"units": [], "case_sensitive": False}
    pair_feedback = {}
    first: set[str] = set()
    for number, line in comments:
        if match := _PAIR_FEEDBACK.fullmatch(line):
            pair_feedback[int(match.group(1))] = show(hide(match.group(2))).strip()
            continue
        for match in _BRACKET.finditer(line):
            key = match.group(1).lower()
            value = re.sub(r"\\(.)", _unescape_bracket, match.group(2)).strip()
            if key in ("tag", "section"):
                (q.tags if key == "tag" else q.cites).extend([value] if value else [])
            elif key == "unit":
                own["units"].extend([(number, value)] if value else [])
            elif key in first or not value:
                continue  # like Moodle, the first [id:...] (and so on) counts
            elif key == "id":
                q.uid = value
            elif key == "topic":
                q.topic = value
            elif key == "difficulty":
                q.difficulty = parse_difficulty(value, number)
            else:
                own["case_sensitive"] = value.casefold() == "true"
            first.add(key)
    return own, pair_feedback


def _read(q: QuestionText, p: PortableQuestion, own: dict, feedback: dict[int, str]) -> str:
    """Fill `p` from the question text; returns the kind of question if it is unsupported."""
    text, start = q.text, 0
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise q.fail(0, "the question name is not closed with '::'")
        p.name, start = show(text[2:end]).strip(), end + 2
    opening, closing = text.find("{", start), text.find("}", start)
    if opening < 0 and closing < 0:
        p.stem = rich_text(text[start:])[0]
        return "description"
    if closing >= 0 and (opening < 0 or closing < opening):
        raise q.fail(closing, "'}' has no opening '{'")
    if closing < 0 or "{" in text[opening + 1 : closing]:
        raise q.fail(opening, "'{' is not closed with '}'")
    after = text[closing + 1 :]
    blank = "_____" if after.strip() else ""
    p.stem, fmt = rich_text(text[start:opening] + blank + after)
    if "{" in after or "}" in after:
        return "cloze"
    answers = text[opening + 1 : closing]
    if (split := answers.rfind("####")) >= 0:
        p.rationale, answers = rich_text(answers[split + 4 :], fmt)[0], answers[:split]
    offset = opening + 1 + len(answers) - len(answers.lstrip())
    answers = answers.strip()
    if not answers:
        return "essay"
    if answers.startswith(">"):
        return "ordering"  # qtype_ordering's GIFT extension: {>count ...items}
    if _CLOZE.match(answers):
        return "cloze"
    if answers.startswith("#"):
        p.type, p.data = "numeric", read_numeric(q, answers, offset, own["units"])
    elif "~" in answers:
        p.type, p.data = read_choices(q, answers, offset, fmt)
    elif "=" in answers and "->" in answers:
        p.type, p.data = "matching", read_matching(q, answers, offset, fmt, feedback)
    elif (tf := read_true_false(answers, fmt)) is not None:
        p.type, p.data = "true_false", tf
    else:
        p.type, p.data = "short_answer", read_short(q, answers, offset, fmt, own["case_sensitive"])
    return ""


def _question_of(lines: list[Line], comments: list[Line], p: PortableQuestion) -> str:
    """Fill `p` from one question's lines and comments; the kind of question if unsupported."""
    own, feedback = _comment_fields(comments, p)
    kind = _read(QuestionText(lines), p, own, feedback)
    if not kind:
        fields = {k: v for k, v in vars(p).items() if k not in ("type", "stem", "data")}
        p.data = question(p.type, p.stem, p.data, **fields).data
    return kind


def parse_gift(
    text: str, limits: ParseLimits | None = None, *, keep_going: bool = False
) -> ParseResult:
    """Questions read from GIFT text; raises InterchangeSyntaxError naming the line.

    The category is recorded on each question as written; whether it names one of our topics
    is for the importer to decide (it knows the topics).
    """
    result = ParseResult([], [])
    budget = Budget(limits)
    category: str | None = None
    for block in _blocks(text):
        budget.check(result, block[0][0])
        comments, lines = [], list(block)
        while lines and (lines[0][1].startswith("//") or _CATEGORY.match(lines[0][1])):
            number, line = lines.pop(0)
            if line.startswith("//"):
                comments.append((number, line))
            else:  # comments before a category line describe the category
                category, comments = show(hide(line[10:])).strip() or None, []
        lines = [(n, line) for n, line in lines if not line.startswith("//")]
        if not lines:
            continue
        p = PortableQuestion(type="", stem="", data={}, category=category, line=lines[0][0])
        try:
            kind = _question_of(lines, comments, p)
        except InterchangeSyntaxError as exc:
            if not keep_going:
                raise
            result.refuse(exc, p.line, p.type, p.name or p.stem[:40])
            continue
        if kind:
            result.skipped.append(Skipped(p.line, kind, p.name or p.stem[:40], reason(kind)))
        else:
            result.questions.append(p)
    budget.check(result, p.line if result.count() else 1)
    return result
