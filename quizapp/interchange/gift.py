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
from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate, pairwise
from typing import Any

from quizapp.domain.types import get_type
from quizapp.domain.types.grades import grade_list, valid_grade
from quizapp.interchange._common import parse_difficulty, question, quoted, reason
from quizapp.interchange._gift_writer import write_gift
from quizapp.interchange._html import html_to_markdown
from quizapp.interchange.model import (
    MAX_ANSWERS,
    Budget,
    InterchangeSyntaxError,
    ParseLimits,
    ParseResult,
    PortableQuestion,
    Skipped,
)

__all__ = ["parse_gift", "write_gift"]

_CODES = {ch: chr(0xE010 + i) for i, ch in enumerate("\\:#={}~n")}  # escaped char -> stand-in
_RESTORE = str.maketrans({code: "\n" if ch == "n" else ch for ch, code in _CODES.items()})
_STRAY = str.maketrans(dict.fromkeys(_CODES.values()))
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]")  # Moodle: format_name_to_const
_BRACKET = re.compile(
    r"\[\s*(id|tag|topic|section|difficulty|unit|case_sensitive)\s*:\s*((?:\\.|[^\]\\])*)\]",
    re.IGNORECASE,
)
_PAIR_FEEDBACK = re.compile(r"//\s*\[feedback:\s*([0-9]+)\s*\]\s?(.*)", re.IGNORECASE)
_CATEGORY = re.compile(r"\$CATEGORY:", re.IGNORECASE)
_WEIGHT = re.compile(r"\s*%\s*([-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*%")
_CLOZE = re.compile(r"[0-9]*:[A-Z_]+:")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_TF = {"T": True, "TRUE": True, "F": False, "FALSE": False}

Line = tuple[int, str]  # (1-based line number, stripped text)
Answer = tuple[int, str, float | None, str, str]  # offset, marker, weight, text, feedback


def _hide(text: str) -> str:
    """Escaped characters replaced by private stand-ins that no parsing step splits on."""
    return _ESCAPE.sub(lambda m: _CODES[m.group(1)], text.translate(_STRAY))


def _show(text: str) -> str:
    return text.translate(_RESTORE)


def _rich(raw: str, default: str = "moodle") -> tuple[str, str]:
    """Text and its format from a piece of GIFT text with an optional [format] marker."""
    raw = raw.strip()
    fmt = default
    if match := _FORMAT.match(raw):
        fmt, raw = match.group(1), raw[match.end() :]
    text = _show(raw).strip()
    return (html_to_markdown(text) if fmt == "html" else text), fmt


class _Question:
    """The non-comment lines of one question joined, with a map from offsets to lines."""

    def __init__(self, lines: list[Line]) -> None:
        hidden = [_hide(text) for _, text in lines]
        self.text = "\n".join(hidden)
        self.numbers = [number for number, _ in lines]
        self.starts = [0, *accumulate(len(text) + 1 for text in hidden[:-1])]

    def line(self, offset: int) -> int:
        return self.numbers[max(bisect_right(self.starts, offset) - 1, 0)]

    def fail(self, offset: int, message: str) -> InterchangeSyntaxError:
        return InterchangeSyntaxError(self.line(offset), message)


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
            pair_feedback[int(match.group(1))] = _show(_hide(match.group(2))).strip()
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


def _pieces(q: _Question, text: str, offset: int, separators: str) -> list[tuple[int, str]]:
    """`text` cut before each separator character, with each piece's offset.

    The separators are counted first: a block of millions of answers is refused before
    anything is built for them (5 MB of "~a" took 43 s and 1.2 GB).
    """
    count = sum(text.count(separator) for separator in separators)
    if count > MAX_ANSWERS:
        raise q.fail(offset, f"the question has {count} answers; at most {MAX_ANSWERS} are read")
    cuts = [0, *(i for i, ch in enumerate(text) if ch in separators), len(text)]
    return [(offset + a, text[a:b]) for a, b in pairwise(cuts)]


def _answers(q: _Question, text: str, offset: int, separators: str) -> list[Answer]:
    pieces = _pieces(q, text, offset, separators)
    lead_offset, lead = pieces[0]
    if lead.strip():
        raise q.fail(
            lead_offset, f"answer {quoted(lead.strip())} must start with one of {separators}"
        )
    answers = []
    for at, piece in pieces[1:]:
        marker, body = piece[0], piece[1:]
        weight = None
        if match := _WEIGHT.match(body):
            weight, body = valid_grade(float(match.group(1))), body[match.end() :]
            if weight is None:
                raise q.fail(
                    at,
                    f"answer weight {match.group(1)}% is not one of Moodle's grades "
                    f"({grade_list()})",
                )
        elif body.lstrip().startswith("%"):
            raise q.fail(at, "an answer weight must be a percentage such as %50%")
        answer, _, feedback = body.partition("#")
        if not answer.strip():
            raise q.fail(at, f"an answer after {marker!r} has no text")
        answers.append((at, marker, weight, answer, feedback))
    return answers


def _choices(q: _Question, text: str, offset: int, fmt: str) -> tuple[str, dict[str, Any]]:
    """Moodle's rule: single choice when an answer is marked '=', else multiple response;
    '=' is worth 100% and '~' 0% unless a %weight% says otherwise."""
    answers = _answers(q, text, offset, "~=")
    single = any(marker == "=" for _, marker, _, _, _ in answers)
    if not single and all(weight is None for _, _, weight, _, _ in answers):
        raise q.fail(offset, "a multiple-choice block needs one '=' answer (or %weights%)")
    grades = [
        (100.0 if marker == "=" else 0.0) if weight is None else weight
        for _, marker, weight, _, _ in answers
    ]
    texts = [(_rich(answer, fmt)[0], _rich(feedback, fmt)[0]) for *_, answer, feedback in answers]
    qtype = "single" if single else "multiple"
    return qtype, get_type(qtype).from_grades(texts, grades)


def _matching(
    q: _Question, text: str, offset: int, fmt: str, feedback: dict[int, str]
) -> dict[str, Any]:
    pairs: list[dict[str, Any]] = []
    distractors: list[str] = []
    pieces = _pieces(q, text, offset, "=")
    if pieces[0][1].strip():
        raise q.fail(pieces[0][0], "each matching line must start with '='")
    for at, piece in pieces[1:]:
        prompt, arrow, answer = piece[1:].partition("->")
        if not arrow:
            raise q.fail(at, f"the matching line {quoted(_show(piece).strip())} has no '->'")
        prompt, answer = _rich(prompt, fmt)[0], _rich(answer, fmt)[0]
        if not answer:
            raise q.fail(at, "a matching line has no answer after '->'")
        if prompt:
            pairs.append({"prompt": prompt, "answer": answer})
            pairs[-1]["feedback"] = feedback.get(len(pairs))
        else:
            distractors.append(answer)
    return {"pairs": pairs, "distractors": distractors}


def _number(q: _Question, raw: str, at: int) -> float:
    text = _show(raw).strip()
    if not _NUMBER.fullmatch(text):
        raise q.fail(at, f"the numeric answer {quoted(text)} is not a number")
    return float(text)


def _units(given: list[tuple[int, str]]) -> list[dict[str, Any]]:
    """Units from `[unit:NAME]` comments; after the first, `NAME=MULTIPLIER`."""
    units = []
    for i, (line, text) in enumerate(given):
        name, equals, multiplier = text.rpartition("=") if i else ("", "", "")
        if not equals:
            units.append({"unit": text, "multiplier": 1.0})
        elif _NUMBER.fullmatch(multiplier.strip()):
            units.append({"unit": name.strip(), "multiplier": float(multiplier)})
        else:
            raise InterchangeSyntaxError(line, f"the unit {quoted(text)} needs NAME=MULTIPLIER")
    return units


def _numeric(q: _Question, text: str, offset: int, units: list) -> dict[str, Any]:
    body = text[1:].partition("~")[0]  # what follows ~ is feedback for any other answer
    if not body.strip():
        raise q.fail(offset, "the numeric block has no answer")
    offset += 1
    if not body.lstrip().startswith("="):  # a single answer may leave out the '='
        body, offset = "=" + body, offset - 1
    answers = []
    for at, _, weight, answer, feedback in _answers(q, body, offset, "="):
        answer = answer.strip()
        if answer == "*":
            continue
        if ".." in answer:
            low, high = (_number(q, part, at) for part in answer.split("..", 1))
            if high < low:
                raise q.fail(at, f"the numeric range {quoted(_show(answer))} runs backwards")
            value, tolerance = (low + high) / 2, (high - low) / 2
        elif ":" in answer:
            value_text, tolerance_text = answer.split(":", 1)
            value, tolerance = _number(q, value_text, at), _number(q, tolerance_text, at)
        else:
            value, tolerance = _number(q, answer, at), 0.0
        fraction = 100.0 if weight is None else weight
        answers.append({"value": value, "tolerance": tolerance, "fraction": fraction})
        answers[-1]["feedback"] = _rich(feedback)[0] or None
    if not any(a["fraction"] >= 100 for a in answers):
        raise q.fail(offset, "a numeric block needs an answer worth 100%")
    return {"answers": answers, "units": _units(units)}


def _short(q: _Question, text: str, offset: int, fmt: str, case: bool) -> dict[str, Any]:
    answers = [
        {"text": _rich(a, fmt)[0], "fraction": 100.0 if w is None else w}
        | {"feedback": _rich(feedback, fmt)[0] or None}
        for _, _, w, a, feedback in _answers(q, text, offset, "=")
    ]
    if not any(a["fraction"] >= 100 for a in answers):
        raise q.fail(offset, "a short-answer block needs an answer worth 100%")
    return {"answers": answers, "case_sensitive": case}


def _true_false(text: str, fmt: str) -> dict[str, Any] | None:
    head, _, feedback = text.partition("#")
    answer = _TF.get(head.strip().upper())
    if answer is None:
        return None
    wrong, _, right = feedback.partition("#")  # Moodle: #if-wrong#if-right
    wrong, right = _rich(wrong, fmt)[0] or None, _rich(right, fmt)[0] or None
    if answer:
        return {"answer": True, "feedback_true": right, "feedback_false": wrong}
    return {"answer": False, "feedback_true": wrong, "feedback_false": right}


def _read(q: _Question, p: PortableQuestion, own: dict, feedback: dict[int, str]) -> str:
    """Fill `p` from the question text; returns the kind of question if it is unsupported."""
    text, start = q.text, 0
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise q.fail(0, "the question name is not closed with '::'")
        p.name, start = _show(text[2:end]).strip(), end + 2
    opening, closing = text.find("{", start), text.find("}", start)
    if opening < 0 and closing < 0:
        p.stem = _rich(text[start:])[0]
        return "description"
    if closing >= 0 and (opening < 0 or closing < opening):
        raise q.fail(closing, "'}' has no opening '{'")
    if closing < 0 or "{" in text[opening + 1 : closing]:
        raise q.fail(opening, "'{' is not closed with '}'")
    after = text[closing + 1 :]
    blank = "_____" if after.strip() else ""
    p.stem, fmt = _rich(text[start:opening] + blank + after)
    if "{" in after or "}" in after:
        return "cloze"
    answers = text[opening + 1 : closing]
    if (split := answers.rfind("####")) >= 0:
        p.rationale, answers = _rich(answers[split + 4 :], fmt)[0], answers[:split]
    offset = opening + 1 + len(answers) - len(answers.lstrip())
    answers = answers.strip()
    if not answers:
        return "essay"
    if answers.startswith(">"):
        return "ordering"  # qtype_ordering's GIFT extension: {>count ...items}
    if _CLOZE.match(answers):
        return "cloze"
    if answers.startswith("#"):
        p.type, p.data = "numeric", _numeric(q, answers, offset, own["units"])
    elif "~" in answers:
        p.type, p.data = _choices(q, answers, offset, fmt)
    elif "=" in answers and "->" in answers:
        p.type, p.data = "matching", _matching(q, answers, offset, fmt, feedback)
    elif (tf := _true_false(answers, fmt)) is not None:
        p.type, p.data = "true_false", tf
    else:
        p.type, p.data = "short_answer", _short(q, answers, offset, fmt, own["case_sensitive"])
    return ""


def _question_of(lines: list[Line], comments: list[Line], p: PortableQuestion) -> str:
    """Fill `p` from one question's lines and comments; the kind of question if unsupported."""
    own, feedback = _comment_fields(comments, p)
    kind = _read(_Question(lines), p, own, feedback)
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
                category, comments = _show(_hide(line[10:])).strip() or None, []
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
