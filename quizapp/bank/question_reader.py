"""Read one question file (`questions/<bank>/<topic>.yaml`) into QuestionSpecs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from quizapp.bank.fields import KEY_PATTERN, FieldReader
from quizapp.bank.specs import Problem, QuestionSpec
from quizapp.bank.yaml_lines import LineDict, YamlSyntaxError, load_yaml_file
from quizapp.domain.types import UnknownQuestionType, get_type

COMMON_FIELDS = frozenset(
    {"id", "status", "type", "difficulty", "tags", "cites", "stem", "rationale", "exam_only"}
    | {"cite_reason", "excludes", "family"}
)
STATUSES = ("published", "draft", "retired")
_PATH_SEGMENT = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")


def read_question_file(
    path: Path,
    display: str,
    section_keys: set[str],
    topic_keys: set[str],
    problems: list[Problem],
) -> list[QuestionSpec]:
    try:
        doc = load_yaml_file(path)
    except YamlSyntaxError as exc:
        problems.append(Problem(display, exc.line, exc.message))
        return []
    r = FieldReader(display, problems)
    top = r.mapping(doc, 1, "a question file")
    if top is None:
        return []
    r.unknown(top, {"topic", "questions"}, "a question file")
    topic = r.key(top, "topic")
    if topic and topic not in topic_keys:
        r.problem(top.line_of("topic"), f"unknown topic {topic!r} (see taxonomy.yaml)")
    raw_questions = top.get("questions")
    if not isinstance(raw_questions, list):
        r.problem(top.line_of("questions"), "'questions' must be a list of questions")
        return []
    specs = []
    for raw in raw_questions:
        node = r.mapping(raw, top.line_of("questions"), "a question")
        if node is not None:
            spec = read_question(node, r, topic or None, section_keys)
            if spec is not None:
                specs.append(spec)
    return specs


def read_question(
    node: LineDict, r: FieldReader, topic: str | None, section_keys: set[str]
) -> QuestionSpec | None:
    """Read and validate one question mapping; None when it cannot be understood at all."""
    uid = r.key(node, "id")
    type_name = r.text(node, "type")
    try:
        qtype = get_type(type_name) if type_name else None
    except UnknownQuestionType as exc:
        r.problem(node.line_of("type"), str(exc))
        qtype = None
    allowed = COMMON_FIELDS | (qtype.fields if qtype is not None else frozenset())
    if qtype is not None:
        r.unknown(node, allowed, f"a {type_name} question")
    status = r.choice(node, "status", STATUSES, "published")

    def known_section(key: str) -> str | None:
        if key not in section_keys:
            return f"unknown section key {key!r} in 'cites' (see the source outline)"
        return None

    cites = r.text_list(node, "cites", required=status == "published", check=known_section)
    if status == "published" and not cites and "cites" in node:
        r.problem(node.line_of("cites"), "a published question must cite at least one section")
    stem = r.text(node, "stem")
    rationale = r.text(node, "rationale")
    difficulty = r.integer(node, "difficulty", low=1, high=3)
    tags = r.text_list(node, "tags", required=False)
    exam_only = node.get("exam_only", False)
    if not isinstance(exam_only, bool):
        r.problem(node.line_of("exam_only"), "'exam_only' must be true or false")
    # Free text, but not empty when given: an override must say why.
    cite_reason = r.text(node, "cite_reason") if "cite_reason" in node else ""
    excludes = r.text_list(node, "excludes", required=False, check=_check_id)
    family = r.key(node, "family") if "family" in node else ""
    if qtype is None or not uid:
        return None
    raw_data = {key: node[key] for key in qtype.fields if key in node}
    type_problems = qtype.validate(raw_data)
    for problem in type_problems:
        r.problem(line_of_path(node, problem.field), f"{problem.field}: {problem.message}")
    if type_problems:
        return None
    return QuestionSpec(
        uid=uid,
        topic=topic,
        status=status,
        type=qtype.name,
        difficulty=difficulty or 2,
        tags=tags,
        cites=cites,
        stem=stem,
        rationale=rationale,
        data=qtype.normalize(raw_data),
        file=r.file,
        line=node.line,
        lines=_choice_lines(node),
        exam_only=exam_only is True,
        cite_reason=cite_reason,
        excludes=excludes,
        family=family,
    )


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
            current = current[int(index)]
            if isinstance(current, LineDict):
                line = current.line
    return line


def _choice_lines(node: LineDict) -> dict[str, int]:
    lines = {key: node.line_of(key) for key in node}
    for index, choice in enumerate(node.get("choices") or []):
        if isinstance(choice, LineDict):
            lines[f"choices[{index}]"] = choice.line
    return lines
