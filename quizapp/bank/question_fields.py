"""One question of our YAML format, read field by field (see `question_reader`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from quizapp.bank.fields import KEY_PATTERN, FieldReader
from quizapp.bank.specs import Problem
from quizapp.bank.yaml_lines import LineDict, LineList, plain
from quizapp.domain.types import UnknownQuestionType, get_type

COMMON_FIELDS = frozenset(
    {"id", "status", "type", "difficulty", "tags", "cites", "stem", "rationale", "topic"}
)
# Read (and checked) wherever the question is read; only `bank load` acts on them: pools,
# exclusion groups, the lint's citation override. An import accepts them and does not carry them.
BANK_ONLY_FIELDS = frozenset({"exam_only", "cite_reason", "excludes", "family"})
STATUSES = ("published", "draft", "retired")
_PATH_SEGMENT = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")


@dataclass(frozen=True)
class Purpose:
    """What a reading requires: a bank file (`for_bank`, with the outline's keys) or an upload
    (`IMPORT`). Every field present is read and checked the same way for both."""

    bank: bool  # house rules: required fields, keys for ids and topics, known types only
    section_keys: frozenset[str] | None = None  # checked when given
    topic_keys: frozenset[str] | None = None
    extra_fields: frozenset[str] = frozenset()

    @classmethod
    def for_bank(cls, section_keys: set[str], topic_keys: set[str]) -> Purpose:
        return cls(True, frozenset(section_keys), frozenset(topic_keys))


# An upload may name a question (Moodle's title, which bank files do not hold), and carry ids
# and topics of another system (an export of imported questions), which bank keys need not be.
IMPORT = Purpose(bank=False, extra_fields=frozenset({"name"}))


@dataclass
class ReadQuestion:
    """A question as the file gives it, before `bank load` or an import acts on it.

    `problems` lists what is wrong with it, each naming file and line; the other fields hold
    what could be read. `known_type` is False for a type we do not have (an import skips it).
    """

    line: int
    problems: list[Problem] = field(default_factory=list)
    type: str = ""
    known_type: bool = False
    uid: str = ""
    name: str = ""
    topic: str | None = None
    status: str = "published"
    difficulty: int | None = None
    tags: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()
    stem: str = ""
    rationale: str = ""
    data: dict[str, Any] = field(default_factory=dict)  # normalised by the type
    lines: dict[str, int] = field(default_factory=dict)  # of each field and each choice
    exam_only: bool = False
    cite_reason: str = ""
    excludes: tuple[str, ...] = ()
    family: str = ""


def read_question(
    raw: Any, line: int, display: str, file_topic: str | None, purpose: Purpose
) -> ReadQuestion:
    """Read and check one question; its problems are in the result."""
    item = ReadQuestion(line)
    r = FieldReader(display, item.problems)
    node = r.mapping(raw, line, "a question")
    if node is None:
        return item
    item.line, item.lines = node.line, _field_lines(node)
    if purpose.bank or "id" in node:
        item.uid = r.key(node, "id") if purpose.bank else r.text(node, "id", required=False)
    item.type = r.text(node, "type")
    try:
        qtype = get_type(item.type) if item.type else None
    except UnknownQuestionType as exc:
        if not purpose.bank:
            return item  # an upload may hold types we do not have: the import skips it
        r.problem(node.line_of("type"), str(exc))
        qtype = None
    item.known_type = qtype is not None
    if qtype is not None:
        allowed = COMMON_FIELDS | BANK_ONLY_FIELDS | purpose.extra_fields | qtype.fields
        r.unknown(node, allowed, f"a {item.type} question")
    _read_common(node, r, item, file_topic, purpose)
    if qtype is None or item.problems:
        return item
    raw_data = {key: plain(node[key]) for key in qtype.fields if key in node}
    for problem in qtype.validate(raw_data):
        r.problem(line_of_path(node, problem.field), f"{problem.field}: {problem.message}")
    if not item.problems:
        item.data = qtype.normalize(raw_data)
    return item


def _read_common(
    node: LineDict, r: FieldReader, item: ReadQuestion, file_topic: str | None, purpose: Purpose
) -> None:
    """The fields every question type has; required and keyed as the purpose says."""
    bank = purpose.bank
    item.topic = (read_topic(node, r, purpose) if "topic" in node else "") or file_topic
    if "name" in purpose.extra_fields:
        item.name = r.text(node, "name", required=False) or item.uid
    item.status = r.choice(node, "status", STATUSES, "published")
    published = item.status == "published"
    known = purpose.section_keys

    def known_section(key: str) -> str | None:
        if known is not None and key not in known:
            return f"unknown section key {key!r} in 'cites' (see the source outline)"
        return None

    item.cites = r.text_list(node, "cites", required=bank and published, check=known_section)
    if bank and published and not item.cites and "cites" in node:
        r.problem(node.line_of("cites"), "a published question must cite at least one section")
    item.stem = r.text(node, "stem", required=bank)
    item.rationale = r.text(node, "rationale", required=bank)
    item.difficulty = r.integer(node, "difficulty", low=1, high=3, required=bank, digits=True)
    item.tags = r.text_list(node, "tags", required=False)
    exam_only = node.get("exam_only", False)
    if not isinstance(exam_only, bool):
        r.problem(node.line_of("exam_only"), "'exam_only' must be true or false")
    item.exam_only = exam_only is True
    # Free text, but not empty when given: an override must say why.
    item.cite_reason = r.text(node, "cite_reason") if "cite_reason" in node else ""
    item.excludes = r.text_list(node, "excludes", required=False, check=_check_id)
    item.family = r.key(node, "family") if "family" in node else ""


def read_topic(node: LineDict, r: FieldReader, purpose: Purpose) -> str:
    """A topic key, known to the taxonomy when the purpose knows it."""
    topic = r.key(node, "topic") if purpose.bank else r.text(node, "topic", required=False)
    known = purpose.topic_keys
    if topic and known is not None and topic not in known:
        r.problem(node.line_of("topic"), f"unknown topic {topic!r} (see taxonomy.yaml)")
    return topic


def _check_id(text: str) -> str | None:
    if KEY_PATTERN.match(text):
        return None
    return f"{text[:80]!r} in 'excludes' is not a question id"


def line_of_path(node: LineDict, path: str) -> int:
    """The line of a field path such as `choices[2].text`, as near as the file allows."""
    line = node.line
    current: Any = node
    for segment in path.split("."):
        match = _PATH_SEGMENT.fullmatch(segment)
        if match is None or not isinstance(current, LineDict):
            break
        key, index = match.group(1), match.group(2)
        if key not in current:
            break
        line = current.line_of(key)
        current = current[key]
        if index is not None:
            if not isinstance(current, list) or int(index) >= len(current):
                break
            if isinstance(current, LineList):
                line = current.line_of_item(int(index))
            current = current[int(index)]
            if isinstance(current, LineDict):
                line = current.line
    return line


def _field_lines(node: LineDict) -> dict[str, int]:
    lines = {key: node.line_of(key) for key in node}
    for index, choice in enumerate(node.get("choices") or []):
        if isinstance(choice, LineDict):
            lines[f"choices[{index}]"] = choice.line
    return lines
