"""The shared model of question import and export (stdlib only, no Flask or SQLAlchemy).

`parse` reads a text in one of `FORMATS` into `PortableQuestion`s, reporting the questions it
cannot carry as `Skipped` (and, with `keep_going`, the questions it cannot read as `invalid`,
so that an import can list them by line and go on); `write` turns questions back into text.
A `PortableQuestion` holds our own answer data (docs/question-format.md), normalised by its
question type.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

FORMATS = ("yaml", "gift", "moodle-xml")
MAX_ANSWERS = 100  # answers (choices, pairs, accepted texts) in one question; ours take 2 to 8

_WORD = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")


@dataclass
class PortableQuestion:
    type: str  # one of our types: single, multiple, true_false, matching, numeric, short_answer
    stem: str
    data: dict[str, Any]  # our canonical answer data for the type (get_type(type).normalize)
    rationale: str = ""  # general feedback
    uid: str | None = None  # our stable id ([id:...] in GIFT comments; <idnumber> in Moodle XML)
    name: str = ""  # Moodle question name
    topic: str | None = None  # our topic key, e.g. "routes/intravenous"
    cites: list[str] = field(default_factory=list)  # our section keys
    tags: list[str] = field(default_factory=list)
    difficulty: int | None = None
    category: str | None = None  # the raw $CATEGORY / <category> path
    line: int = 0  # 1-based line where the question starts in the imported file (0 on export)


@dataclass(frozen=True)
class Skipped:
    line: int
    kind: str  # e.g. "essay", "description", "cloze", "calculated", "ddwtos"
    name: str
    reason: str  # e.g. "essay questions are not supported"


@dataclass
class ParseResult:
    questions: list[PortableQuestion]
    skipped: list[Skipped]
    files: dict[str, bytes] = field(default_factory=dict)  # image bytes by SHA-256 (XML <file>)
    notes: list[str] = field(default_factory=list)  # what was dropped, such as "line 4: ..."
    invalid: list[Skipped] = field(default_factory=list)  # unreadable questions (keep_going)

    def count(self) -> int:
        return len(self.questions) + len(self.skipped) + len(self.invalid)

    def refuse(self, error: InterchangeSyntaxError, start: int, kind: str, name: str) -> None:
        """Record the question starting at line `start` as invalid, naming the error's line."""
        where = "" if error.line == start else f"line {error.line}: "
        self.invalid.append(Skipped(start, kind or "question", name, where + error.message))


class InterchangeSyntaxError(ValueError):
    """The text cannot be read; `line` (1-based) says where."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(line, message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class ParseLimits:
    """How much one file may hold: why, so that one upload cannot keep a worker busy for
    minutes (a 5 MB GIFT file took 43 s and 1.2 GB). None means no limit."""

    max_questions: int | None = None  # questions and skipped items together
    seconds: float | None = None  # time to read the file, checked between questions


class Budget:
    """Checks a ParseLimits between questions; raises InterchangeSyntaxError at the line."""

    def __init__(
        self, limits: ParseLimits | None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or ParseLimits()
        self.clock = clock
        seconds = self.limits.seconds
        self.deadline = None if seconds is None else clock() + seconds

    def check(self, result: ParseResult, line: int) -> None:
        most = self.limits.max_questions
        if most is not None and result.count() > most:
            raise InterchangeSyntaxError(
                line, f"the file holds more than {most} questions; split it into smaller files"
            )
        if self.deadline is not None and self.clock() > self.deadline:
            raise InterchangeSyntaxError(
                line,
                f"reading the file took longer than {self.limits.seconds:g} seconds; "
                "split it into smaller files",
            )


def too_many_answers(line: int, count: int) -> InterchangeSyntaxError:
    return InterchangeSyntaxError(
        line, f"the question has {count} answers; at most {MAX_ANSWERS} are read"
    )


def category_topic(category: str | None, topics: Collection[str]) -> str | None:
    """The topic a category names, only when it is one of `topics` (our topic keys).

    Why: Moodle's own paths ("$course$/top/week1/quiz") are not topic keys; such a category
    is recorded and mapped by the instructor instead of refusing the file.
    """
    candidate = topic_from_category(category)
    return candidate if candidate in topics else None


def topic_from_category(category: str | None) -> str | None:
    """Our topic key from a category path whose last two parts look like one, else None.

    "$course$/top/routes/intravenous" and "routes/intravenous" give "routes/intravenous";
    "$course$/top/Default for Nursing" and "$course$/top/routes" give None.
    """
    if not category:
        return None
    parts = [part.strip() for part in category.strip().split("/")]
    if parts and re.fullmatch(r"\$[a-z]+\$", parts[0]):
        parts = parts[1:]
        if parts and parts[0] == "top":
            parts = parts[1:]
    if len(parts) < 2 or not all(_WORD.fullmatch(part) for part in parts[-2:]):
        return None
    return "/".join(parts[-2:])


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")


def parse(
    text: str, fmt: str, limits: ParseLimits | None = None, *, keep_going: bool = False
) -> ParseResult:
    """Questions read from `text` in `fmt`; raises InterchangeSyntaxError naming a line.

    With `keep_going`, a question that cannot be read is listed in `invalid` and reading goes
    on; a file that cannot be read at all, or is over the limits, still raises.
    """
    _check_format(fmt)
    if fmt == "gift":
        from quizapp.interchange.gift import parse_gift

        return parse_gift(text, limits, keep_going=keep_going)
    if fmt == "moodle-xml":
        from quizapp.interchange.moodle_xml import parse_moodle_xml

        return parse_moodle_xml(text, limits, keep_going=keep_going)
    from quizapp.interchange.yaml_format import parse_yaml

    return parse_yaml(text, limits, keep_going=keep_going)


def write(
    questions: Sequence[PortableQuestion], fmt: str, images: Mapping[str, Any] | None = None
) -> str:
    """`questions` written in `fmt`, such that `parse` gives them back; `images` (by hash,
    see interchange.media.StoredImage) travel as files where the format carries them."""
    _check_format(fmt)
    if fmt == "gift":
        from quizapp.interchange.gift import write_gift

        return write_gift(questions)
    if fmt == "moodle-xml":
        from quizapp.interchange.moodle_xml import write_moodle_xml

        return write_moodle_xml(questions, images)
    from quizapp.interchange.yaml_format import write_yaml

    return write_yaml(questions)


def split_expressible(
    questions: Sequence[PortableQuestion], fmt: str
) -> tuple[list[PortableQuestion], list[Skipped]]:
    """The questions `fmt` can hold, and the others as Skipped with the type's reason.

    Why: a type such as a bow-tie has no GIFT or Moodle XML form; leaving it out and saying so
    is honest, where writing it as something else would degrade it silently.
    """
    from quizapp.domain.types import NotExpressible

    _check_format(fmt)
    kept: list[PortableQuestion] = []
    left: list[Skipped] = []
    for q in questions:
        try:
            if fmt != "yaml":
                write([q], fmt)
        except NotExpressible as exc:
            left.append(Skipped(0, q.type, q.uid or q.name, str(exc)))
        else:
            kept.append(q)
    return kept, left


def left_out_note(left: Sequence[Skipped], fmt: str) -> str:
    """A comment for the top of an exported file listing the questions it leaves out."""
    if not left:
        return ""
    lines = [f"{len(left)} question(s) not exported (not expressible in this format):"]
    lines += [f"- {item.name or '(no id)'} ({item.kind}): {item.reason}" for item in left]
    if fmt == "moodle-xml":
        body = "\n".join(lines).replace("--", "- -")
        return f"<!--\n{body}\n-->\n"
    return "".join(f"// {line}\n" for line in lines) + "\n"


def write_report(
    questions: Sequence[PortableQuestion], fmt: str, images: Mapping[str, Any] | None = None
) -> tuple[str, list[Skipped]]:
    """Like `write`, but questions the format cannot hold are left out, listed in a comment at
    the top of the text, and returned (the export report)."""
    kept, left = split_expressible(questions, fmt)
    text = write(kept, fmt, images)
    note = left_out_note(left, fmt)
    if note and fmt == "moodle-xml" and text.startswith("<?xml"):
        declaration, _, rest = text.partition("\n")
        return f"{declaration}\n{note}{rest}", left
    return note + text, left
