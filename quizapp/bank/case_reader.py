"""Read `question_bank/cases/*.yaml`: one unfolding case study per file (docs/ngn-format and
docs/question-format.md, "Case studies"). Its six items are ordinary questions, read by the
one question reader with the case's topic; every problem names file and line."""

from __future__ import annotations

from pathlib import Path

from quizapp.bank import question_reader
from quizapp.bank.case_exhibits import read_exhibits
from quizapp.bank.case_specs import CaseItemSpec, CaseSpec
from quizapp.bank.fields import FieldReader
from quizapp.bank.question_fields import STATUSES, Purpose, read_topic
from quizapp.bank.specs import Problem, QuestionSpec
from quizapp.bank.yaml_lines import LineDict, LineList, YamlSyntaxError, load_yaml_file
from quizapp.domain.case_steps import ITEMS_PER_CASE, step_problems

CASE_FIELDS = frozenset({"id", "status", "title", "topic", "cites", "summary", "exhibits", "items"})
LIMITS = {"id": 64, "title": 200, "summary": 1000}


def read_case_file(
    path: Path,
    display: str,
    section_keys: set[str],
    topic_keys: set[str],
    problems: list[Problem],
) -> tuple[CaseSpec | None, list[QuestionSpec]]:
    """The case of one file and its items as questions; (None, []) when anything is wrong
    (every problem goes into `problems`)."""
    try:
        doc = load_yaml_file(path)
    except YamlSyntaxError as exc:
        problems.append(Problem(display, exc.line, exc.message))
        return None, []
    except OSError as exc:
        problems.append(Problem(display, 0, f"cannot read: {exc.strerror}"))
        return None, []
    mine: list[Problem] = []
    r = FieldReader(display, mine)
    top = r.mapping(doc, 1, "a case file")
    node = None
    if top is not None:
        r.unknown(top, {"case"}, "a case file")
        node = r.mapping(top.get("case"), top.line_of("case"), "'case'")
    case, questions = (None, []) if node is None else _read_case(node, r, section_keys, topic_keys)
    problems.extend(mine)
    return (case, questions) if not mine else (None, [])


def _read_case(
    node: LineDict, r: FieldReader, section_keys: set[str], topic_keys: set[str]
) -> tuple[CaseSpec | None, list[QuestionSpec]]:
    r.unknown(node, CASE_FIELDS, "a case")
    for key, limit in LIMITS.items():
        value = node.get(key)
        if isinstance(value, str) and len(value.strip()) > limit:
            r.problem(node.line_of(key), f"{key!r} is longer than {limit} characters")
    purpose = Purpose(True, frozenset(section_keys), frozenset(topic_keys), frozenset({"step"}))
    key = r.key(node, "id")
    status = r.choice(node, "status", STATUSES, "published")
    topic = read_topic(node, r, purpose)

    def known_section(cite: str) -> str | None:
        return None if cite in section_keys else f"unknown section key {cite!r} in 'cites'"

    cites = r.text_list(node, "cites", required=True, check=known_section)
    case_fields = dict(
        title=r.text(node, "title"),
        summary=r.text(node, "summary"),
        exhibits=read_exhibits(node, r),
    )
    items, questions = _read_items(node, r, topic, status, purpose)
    if r.problems:
        return None, []
    case = CaseSpec(
        key=key,
        status=status,
        topic=topic,
        cites=cites,
        items=items,
        file=r.file,
        line=node.line,
        **case_fields,  # type: ignore[arg-type]
    )
    return case, questions


def _read_items(
    node: LineDict, r: FieldReader, topic: str, status: str, purpose: Purpose
) -> tuple[tuple[CaseItemSpec, ...], list[QuestionSpec]]:
    raw = node.get("items")
    if not isinstance(raw, LineList):
        r.problem(node.line_of("items"), f"'items' must be a list of {ITEMS_PER_CASE} items")
        return (), []
    steps = [str(i.get("step", "")) if isinstance(i, LineDict) else "" for i in raw]
    for index, message in step_problems(steps):
        line = raw.line_of_item(index) if index >= 0 else node.line_of("items")
        if index >= 0 and isinstance(raw[index], LineDict):
            line = raw[index].line_of("step")
        r.problem(line, message)
    items: list[CaseItemSpec] = []
    questions: list[QuestionSpec] = []
    for index, value in enumerate(raw):
        line = raw.line_of_item(index)
        if isinstance(value, LineDict) and "topic" in value:
            r.problem(value.line_of("topic"), "a case item takes the case's topic: no 'topic'")
            continue
        # through the one question reader's module, as every bank and import question is
        read = question_reader.read_question(value, line, r.file, topic or None, purpose)
        r.problems.extend(read.problems)
        if read.problems or not read.known_type:
            continue
        if status == "published" and read.status != "published":
            r.problem(read.lines.get("status", read.line), "a published case's items are published")
        question = question_reader.bank_spec(read, r.file)
        questions.append(question)
        items.append(CaseItemSpec(index + 1, steps[index], question.uid))
    return tuple(items), questions
