"""Our own YAML bank format (docs/question-format.md): `parse_yaml` and `write_yaml`.

`parse_yaml` is a thin adapter over the bank's reader (`quizapp.bank.question_reader`, the one
reader of the format, also behind `bank check` and `bank load`), read for an upload: a bank
file, a bare list of questions, or several such documents separated by `---`; a question's own
`topic` overrides the file's; `name` (not in bank files) defaults to the `id`; `status` and the
fields only `bank load` acts on are checked and not carried. `write_yaml` writes one document:
a file-level `topic` when every question shares it, else a `topic` on each question that has one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from quizapp.bank.question_reader import IMPORT, ReadQuestion, read_question_text
from quizapp.bank.specs import Problem
from quizapp.domain.types import get_type
from quizapp.interchange._common import question, quoted
from quizapp.interchange.model import (
    Budget,
    InterchangeSyntaxError,
    ParseLimits,
    ParseResult,
    PortableQuestion,
    Skipped,
)


def _portable(item: ReadQuestion) -> PortableQuestion | Skipped:
    """What an import carries of a question read without problems."""
    if not item.known_type:
        reason = f"{quoted(item.type)} is not one of our question types"
        return Skipped(item.line, item.type, item.uid, reason)
    return question(
        item.type,
        item.stem,
        item.data,
        rationale=item.rationale,
        uid=item.uid or None,
        name=item.name,
        topic=item.topic,
        cites=list(item.cites),
        tags=list(item.tags),
        difficulty=item.difficulty,
        line=item.line,
    )


def parse_yaml(
    text: str, limits: ParseLimits | None = None, *, keep_going: bool = False
) -> ParseResult:
    """Questions read from our YAML; raises InterchangeSyntaxError naming the line.

    A problem of the file itself (YAML syntax, its top fields) refuses the file; a question's
    first problem refuses the file too, or with `keep_going` lists the question as invalid.
    """
    result = ParseResult([], [])
    budget = Budget(limits)
    line = 1
    for item in read_question_text(text, "", IMPORT):
        if isinstance(item, Problem):
            raise InterchangeSyntaxError(item.line, item.message)
        line = item.line
        budget.check(result, line)
        try:
            if item.problems:
                first = item.problems[0]
                raise InterchangeSyntaxError(first.line, first.message)
            parsed = _portable(item)
        except InterchangeSyntaxError as exc:
            if not keep_going:
                raise
            result.refuse(exc, item.line, "", item.uid[:60])
            continue
        if isinstance(parsed, Skipped):
            result.skipped.append(parsed)
        else:
            result.questions.append(parsed)
    budget.check(result, line)
    return result


class _Dumper(yaml.SafeDumper):
    """Indented lists, short lists in flow style and texts with line breaks in block style."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


class _Flow(list):
    """A list written on one line, like `tags: [a, b]`."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)


def _entry(q: PortableQuestion, with_topic: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": q.uid} if q.uid else {}
    entry.update({"name": q.name} if q.name and q.name != q.uid else {})
    entry.update({"topic": q.topic} if with_topic and q.topic else {})
    entry["type"] = q.type
    entry.update({"difficulty": q.difficulty} if q.difficulty is not None else {})
    entry.update({"tags": _Flow(q.tags)} if q.tags else {})
    entry.update({"cites": _Flow(q.cites)} if q.cites else {})
    entry["stem"] = q.stem
    qtype = get_type(q.type)
    entry.update(qtype.file_fields(qtype.normalize(q.data)))
    entry.update({"rationale": q.rationale} if q.rationale else {})
    return entry


def write_yaml(questions: Sequence[PortableQuestion]) -> str:
    """Our YAML, which `parse_yaml` reads back as the same questions."""
    topics = {q.topic for q in questions}
    shared = next(iter(topics)) if len(topics) == 1 else None
    document: dict[str, Any] = {"topic": shared} if shared else {}
    document["questions"] = [_entry(q, shared is None) for q in questions]
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
