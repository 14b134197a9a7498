"""Moodle XML (docs.moodle.org "Moodle XML format"): `parse_moodle_xml`, `write_moodle_xml`.

Our fields travel as Moodle fields where Moodle has them (<name>, <idnumber>, <generalfeedback>,
per-answer <feedback>, numerical <units>) and otherwise as tags: "topic:KEY", "section:KEY"
(one per cited section) and "difficulty:N". The feedback of a matching pair is written as a
<feedback> inside its <subquestion>, which Moodle ignores. Texts are written as plain_text;
HTML texts are read as plain text. DOCTYPE and ENTITY declarations are refused.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any
from xml.parsers import expat

from quizapp.domain.types import NotExpressible, get_type
from quizapp.domain.types.choice import choice_type
from quizapp.domain.types.grades import valid_grade
from quizapp.interchange._common import (
    apply_tags,
    question,
    quoted,
    reason,
    special_tags,
    with_categories,
)
from quizapp.interchange._html import html_to_markdown
from quizapp.interchange.media import StoredImage, attach_files, html_with_files, is_plain
from quizapp.interchange.model import (
    MAX_ANSWERS,
    Budget,
    InterchangeSyntaxError,
    LeftOut,
    ParseLimits,
    ParseResult,
    PortableQuestion,
    Skipped,
    left_out_note,
)

_INVALID_XML = dict.fromkeys([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


class _Tree:
    """The document as ElementTree elements, and the line where each element starts."""

    def __init__(self, text: str) -> None:
        self.lines: dict[ET.Element, int] = {}
        builder = ET.TreeBuilder()
        parser = expat.ParserCreate()

        def start(tag: str, attrs: dict[str, str]) -> None:
            self.lines[builder.start(tag, attrs)] = parser.CurrentLineNumber

        def refuse(*_: object) -> None:
            line = parser.CurrentLineNumber
            raise InterchangeSyntaxError(line, "DOCTYPE and ENTITY declarations are not allowed")

        parser.StartElementHandler = start
        parser.EndElementHandler = builder.end
        parser.CharacterDataHandler = builder.data
        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        try:
            parser.Parse(text.removeprefix("\ufeff"), True)
        except expat.ExpatError as exc:
            message = expat.ErrorString(exc.code) or "not well-formed"
            raise InterchangeSyntaxError(exc.lineno, f"malformed XML: {message}") from None
        self.root = builder.close()
        if self.root.tag != "quiz":
            raise InterchangeSyntaxError(1, f"expected a <quiz> document, not <{self.root.tag}>")

    def fail(self, element: ET.Element, message: str) -> InterchangeSyntaxError:
        return InterchangeSyntaxError(self.lines.get(element, 1), message)


def _text(element: ET.Element | None, default_format: str = "moodle_auto_format") -> str:
    """The <text> of `element`; HTML (format="html") becomes our Markdown subset."""
    if element is None:
        return ""
    text = element.findtext("text") or ""
    html = element.get("format", default_format) == "html"
    return html_to_markdown(text) if html else text.strip()


def _number(tree: _Tree, element: ET.Element, raw: str | None, what: str) -> float:
    try:
        number = float((raw or "").strip())
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise tree.fail(element, f"the {what} {quoted(raw)} is not a number")
    return number


def _fraction(tree: _Tree, answer: ET.Element) -> float:
    """The answer's grade, which must be one of Moodle's (as Moodle's import requires)."""
    raw = answer.get("fraction", "0")
    grade = valid_grade(_number(tree, answer, raw, "fraction"))
    if grade is None:
        raise tree.fail(answer, f"the fraction {quoted(raw)} is not one of Moodle's grades")
    return grade


def _answers(tree: _Tree, q: ET.Element, fmt: str) -> list[tuple[ET.Element, float, str, str]]:
    """(element, fraction, text, feedback) of each <answer>."""
    elements = q.findall("answer")
    if len(elements) > MAX_ANSWERS:
        raise tree.fail(q, f"the question has {len(elements)} answers; at most {MAX_ANSWERS}")
    answers = [
        (answer, _fraction(tree, answer), _text(answer, fmt), _text(answer.find("feedback"), fmt))
        for answer in elements
    ]
    if not answers:
        raise tree.fail(q, "the question has no <answer>")
    return answers


def _matching(tree: _Tree, q: ET.Element, fmt: str) -> tuple[str, dict[str, Any]]:
    pairs, distractors = [], []
    for sub in q.findall("subquestion"):
        prompt, answer = _text(sub, fmt), _text(sub.find("answer"), fmt)
        if prompt:
            pairs.append({"prompt": prompt, "answer": answer})
            pairs[-1]["feedback"] = _text(sub.find("feedback"), fmt)
        elif answer:
            distractors.append(answer)
    return "matching", {"pairs": pairs, "distractors": distractors}


def _multichoice(tree: _Tree, q: ET.Element, fmt: str) -> tuple[str, dict[str, Any]]:
    answers = _answers(tree, q, fmt)
    single = (q.findtext("single") or "true").strip().lower() in ("true", "1")
    qtype = "single" if single else "multiple"
    texts = [(text, feedback) for _, _, text, feedback in answers]
    return qtype, choice_type(qtype).from_grades(texts, [fraction for _, fraction, _, _ in answers])


def _truefalse(tree: _Tree, q: ET.Element, fmt: str) -> tuple[str, dict[str, Any]]:
    data: dict[str, Any] = {"answer": None}
    for i, (_, fraction, text, feedback) in enumerate(_answers(tree, q, fmt)[:2]):
        is_true = text.lower() == "true" if text.lower() in ("true", "false") else i == 0
        data["feedback_true" if is_true else "feedback_false"] = feedback
        if is_true:
            data["answer"] = fraction >= 99.99
    if data["answer"] is None:
        raise tree.fail(q, "a true/false question needs a 'true' answer")
    return "true_false", data


def _shortanswer(tree: _Tree, q: ET.Element, fmt: str) -> tuple[str, dict[str, Any]]:
    answers: list[dict[str, Any]] = [
        {"text": text, "fraction": fraction, "feedback": feedback or None}
        for _, fraction, text, feedback in _answers(tree, q, fmt)
    ]
    if not any(a["fraction"] >= 100 for a in answers):
        raise tree.fail(q, "a short-answer question needs an answer worth 100%")
    case = (q.findtext("usecase") or "0").strip() not in ("0", "", "false")
    return "short_answer", {"answers": answers, "case_sensitive": case}


def _numerical(tree: _Tree, q: ET.Element, fmt: str) -> tuple[str, dict[str, Any]]:
    answers: list[dict[str, Any]] = [
        {
            "value": _number(tree, element, text, "numerical answer"),
            "tolerance": _number(tree, element, element.findtext("tolerance") or "0", "tolerance"),
            "fraction": fraction,
            "feedback": feedback or None,
        }
        for element, fraction, text, feedback in _answers(tree, q, fmt)
        if text != "*"  # Moodle's "any other answer"
    ]
    if not any(a["fraction"] >= 100 for a in answers):
        raise tree.fail(q, "a numerical question needs an answer worth 100%")
    units = [
        {
            "unit": (u.findtext("unit_name") or "").strip(),
            "multiplier": _number(tree, u, u.findtext("multiplier") or "1", "unit multiplier"),
        }
        for u in q.findall("units/unit")
    ]
    units.sort(key=lambda u: u["multiplier"] != 1)  # the answers' own unit first
    return "numeric", {"answers": answers, "units": [u for u in units if u["unit"]]}


_READERS = {  # Moodle's question type -> its reader, which says which of our types it is
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "matching": _matching,
    "match": _matching,  # the name of Moodle's own question type (qtype_match)
    "numerical": _numerical,
    "shortanswer": _shortanswer,
}
SUPPORTED = tuple(_READERS)


def _portable(
    tree: _Tree, q: ET.Element, qtype: str, name: str, category: str | None
) -> PortableQuestion:
    line = tree.lines.get(q, 1)
    stem = q.find("questiontext")
    fmt = "moodle_auto_format" if stem is None else stem.get("format", "moodle_auto_format")
    our_type, data = _READERS[qtype](tree, q, fmt)
    portable = question(
        our_type,
        _text(stem, fmt),
        data,
        rationale=_text(q.find("generalfeedback"), fmt),
        uid=(q.findtext("idnumber") or "").strip() or None,
        name=name,
        category=category,
        line=line,
    )
    apply_tags(portable, [tag.findtext("text") or "" for tag in q.findall("tags/tag")])
    return portable


def parse_moodle_xml(
    text: str, limits: ParseLimits | None = None, *, keep_going: bool = False
) -> ParseResult:
    """Questions read from a Moodle XML <quiz>; raises InterchangeSyntaxError naming the line.

    The category is recorded on each question as written; whether it names one of our topics
    is for the importer to decide (it knows the topics).
    """
    tree = _Tree(text)
    result = ParseResult([], [])
    budget = Budget(limits)
    category: str | None = None
    for q in tree.root.iter("question"):
        qtype, line = q.get("type", ""), tree.lines.get(q, 1)
        budget.check(result, line)
        if qtype == "category":
            category = (q.findtext("category/text") or "").strip() or None
            continue
        name = _text(q.find("name"))
        if not qtype:
            raise tree.fail(q, "a <question> has no type")
        if qtype not in SUPPORTED:
            kind = "cloze" if qtype == "multianswer" else qtype
            result.skipped.append(Skipped(line, kind, name, reason(kind)))
            continue
        try:
            result.notes += attach_files(q, tree.lines, result.files)
            result.questions.append(_portable(tree, q, qtype, name, category))
        except InterchangeSyntaxError as exc:
            if not keep_going:
                raise
            result.refuse(exc, line, qtype, name)
    budget.check(result, tree.lines.get(q, 1) if result.count() else 1)
    return result


def _add(parent: ET.Element, tag: str, text: object = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = str(text).translate(_INVALID_XML)
    return element


class _Codec:
    """The helpers a type plug-in's Moodle XML writer uses (see domain.types.base.Codec).
    Text with Markdown in it is written as HTML, its images as <file> elements; an answer's
    own text only when it shows an image (Moodle matches short answers on the raw text)."""

    add = staticmethod(_add)

    def __init__(self, images: Mapping[str, StoredImage] | None = None) -> None:
        self.images = images or {}

    def rich(self, parent: ET.Element, tag: str, text: object, **attrs: str) -> ET.Element:
        body = str(text or "")
        if is_plain(body):
            element = _add(parent, tag, format="plain_text", **attrs)
            _add(element, "text", body)
            return element
        html, add_files = html_with_files(body, self.images, _add)
        element = _add(parent, tag, format="html", **attrs)
        _add(element, "text", html)
        add_files(element)
        return element

    def answer(
        self, parent: ET.Element, fraction: float, text: str, feedback: str | None
    ) -> ET.Element:
        grade = f"{fraction:.5f}".rstrip("0").rstrip(".")
        if "![" in text and not is_plain(text):
            answer = self.rich(parent, "answer", text, fraction=grade)
        else:
            answer = _add(parent, "answer", format="plain_text", fraction=grade)
            _add(answer, "text", text or "")
        if feedback:
            self.rich(answer, "feedback", feedback)
        return answer


def _question_element(q: PortableQuestion, codec: _Codec) -> ET.Element:
    """One <question>, not yet in the quiz: NotExpressible leaves nothing behind."""
    qtype = get_type(q.type)
    element = ET.Element("question", type=qtype.moodle_type)
    _add(_add(element, "name"), "text", q.name)
    codec.rich(element, "questiontext", q.stem)
    codec.rich(element, "generalfeedback", q.rationale)
    _add(element, "defaultgrade", "1")
    _add(element, "idnumber", q.uid or "")
    qtype.write_moodle_xml(element, qtype.normalize(q.data), codec)
    if tags := special_tags(q):
        tags_element = _add(element, "tags")
        for tag in tags:
            _add(_add(tags_element, "tag"), "text", tag)
    return element


def write_moodle_xml(
    questions: Sequence[PortableQuestion],
    images: Mapping[str, StoredImage] | None = None,
    left_out: list[LeftOut] | None = None,
) -> str:
    """A Moodle XML <quiz> that `parse_moodle_xml` reads back as the same questions. With
    `left_out`, questions Moodle XML cannot express are listed there and in a comment on top."""
    codec = _Codec(images)
    quiz = ET.Element("quiz")
    elements: dict[int, ET.Element] = {}
    dropped: list[LeftOut] = []
    for q in questions:
        try:
            elements[id(q)] = _question_element(q, codec)
        except NotExpressible as exc:
            if left_out is None:
                raise
            dropped.append(LeftOut(q.uid or q.name or "(no id)", q.type, str(exc)))
    if dropped:
        note = " ".join(" ".join(left_out_note(dropped, "Moodle XML")).split())
        quiz.append(ET.Comment(" " + note.replace("--", "- -") + " "))
    for category, q in with_categories([q for q in questions if id(q) in elements]):
        if category:
            _add(_add(_add(quiz, "question", type="category"), "category"), "text", category)
        quiz.append(elements[id(q)])
    if left_out is not None:
        left_out.extend(dropped)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, "unicode") + "\n"
