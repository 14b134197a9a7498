"""The one reader of our YAML question format (docs/question-format.md).

`bank check` and `bank load` read the bank's question files with it (`read_question_file`),
and an import of our YAML reads uploads with it (`interchange.yaml_format.parse_yaml`), so a
field means the same wherever it is read and every problem names its file and line. What the
two want differs only in what must be there (`Purpose`): a bank file is held to the house
rules (ids, difficulty, rationale, citations of known sections, a known topic); an upload may
leave those out and may hold question types we do not have, which an import skips.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from quizapp.bank.fields import FieldReader
from quizapp.bank.question_fields import IMPORT, Purpose, ReadQuestion, read_question, read_topic
from quizapp.bank.specs import Problem, QuestionSpec
from quizapp.bank.yaml_lines import (
    LineDict,
    LineList,
    YamlSyntaxError,
    load_yaml_documents,
    read_yaml_text,
)

FILE_FIELDS = frozenset({"topic", "questions"})
__all__ = ["IMPORT", "Purpose", "ReadQuestion", "read_question_file", "read_question_text"]


def read_question_text(
    text: str, display: str, purpose: Purpose
) -> Iterator[ReadQuestion | Problem]:
    """Each question of `text` as it is read, and each problem of the file itself.

    A file is one or more documents (`---`), each a mapping with `topic` and `questions`, or
    (uploads only need it) a bare list of questions; a question's own `topic` overrides its
    file's. A question with problems comes with them (`ReadQuestion.problems`).
    """
    try:
        documents = load_yaml_documents(text)
    except YamlSyntaxError as exc:
        yield Problem(display, exc.line, exc.message)
        return
    if purpose.bank and not any(doc is not None for doc in documents):
        yield Problem(display, 1, "a question file must be a mapping of fields, not nothing")
    for doc in documents:
        if doc is not None:
            yield from _read_document(doc, display, purpose)


def _read_document(doc: Any, display: str, purpose: Purpose) -> Iterator[ReadQuestion | Problem]:
    problems: list[Problem] = []
    r = FieldReader(display, problems)
    topic: str | None = None
    items: Any = None
    if isinstance(doc, LineDict):
        r.unknown(doc, FILE_FIELDS, "a question file")
        if purpose.bank or "topic" in doc:
            topic = read_topic(doc, r, purpose) or None
        items = doc.get("questions")
        if not isinstance(items, LineList) and (items is not None or purpose.bank):
            r.problem(doc.line_of("questions"), "'questions' must be a list of questions")
    elif isinstance(doc, LineList) and not purpose.bank:
        items = doc
    else:
        r.mapping(doc, getattr(doc, "line", 1), "a question file")
    yield from problems
    if isinstance(items, LineList):
        for index, raw in enumerate(items):
            yield read_question(raw, items.line_of_item(index), display, topic, purpose)


def read_question_file(
    path: Path,
    display: str,
    section_keys: set[str],
    topic_keys: set[str],
    problems: list[Problem],
) -> list[QuestionSpec]:
    """A bank file's questions that read cleanly; every problem goes into `problems`."""
    try:
        text = read_yaml_text(path)
    except YamlSyntaxError as exc:
        problems.append(Problem(display, exc.line, exc.message))
        return []
    specs = []
    for item in read_question_text(text, display, Purpose.for_bank(section_keys, topic_keys)):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        problems.extend(item.problems)
        if not item.problems and item.known_type:
            specs.append(bank_spec(item, display))
    return specs


def bank_spec(item: ReadQuestion, display: str) -> QuestionSpec:
    """The QuestionSpec `bank load` stores, from a question read without problems."""
    return QuestionSpec(
        uid=item.uid,
        topic=item.topic,
        status=item.status,
        type=item.type,
        difficulty=item.difficulty or 2,
        tags=item.tags,
        cites=item.cites,
        stem=item.stem,
        rationale=item.rationale,
        data=item.data,
        file=display,
        line=item.line,
        lines=item.lines,
        exam_only=item.exam_only,
        cite_reason=item.cite_reason,
        excludes=item.excludes,
        family=item.family,
    )
