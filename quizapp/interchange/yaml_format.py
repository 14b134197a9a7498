"""Our own YAML bank format (docs/question-format.md): `parse_yaml` and `write_yaml`.

`parse_yaml` reads a bank file (a mapping with `topic` and `questions`), a bare list of
questions, or several such documents separated by `---`; a question's own `topic` overrides
the file's. `status` is read and ignored; `name` (not in bank files) defaults to the `id`.
`write_yaml` writes one document: a file-level `topic` when every question shares it, else a
`topic` on each question that has one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from quizapp.domain.types import REGISTRY, get_type
from quizapp.interchange._common import parse_difficulty, question, quoted
from quizapp.interchange.model import (
    Budget,
    InterchangeSyntaxError,
    ParseLimits,
    ParseResult,
    PortableQuestion,
    Skipped,
)

COMMON_FIELDS = ("id", "name", "topic", "status", "type", "difficulty", "tags", "cites", "stem")
# Fields of our bank files that only `bank load` acts on (pools, exclusion groups, the lint's
# citation override): accepted in an import, so a bank file imports as it is, and not carried.
BANK_ONLY_FIELDS = ("exam_only", "excludes", "family", "cite_reason")
FILE_FIELDS = ("topic", "questions")
MAX_DEPTH = 20  # nesting of lists and mappings; a bank file needs 4


class _UploadLoader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors, aliases and deep nesting, naming the line.

    Why: aliases let a few hundred bytes stand for gigabytes (a 358-byte alias bomb made an
    82 MB response, a 401-byte one killed the worker), and our files never need them.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            message = f"YAML aliases (*{quoted(event.anchor, 30)[1:-1]}) are not allowed"
            raise InterchangeSyntaxError(line, message + "; write the value out")
        if getattr(event, "anchor", None):
            message = f"YAML anchors (&{quoted(event.anchor, 30)[1:-1]}) are not allowed"
            raise InterchangeSyntaxError(line, message + "; write the value out")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise InterchangeSyntaxError(
                line, f"lists and mappings nest more than {MAX_DEPTH} deep"
            )
        try:
            # PyYAML passes a mapping's key node as `index` too; its stubs say int.
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self.depth -= 1


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _key_lines(node: yaml.Node) -> dict[Any, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: _line(key) for key, _ in node.value if isinstance(key, yaml.ScalarNode)}


def _text(value: object, line: int, field: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        raise InterchangeSyntaxError(line, f"{field!r} must be text")
    return str(value).strip()


def _texts(value: object, line: int, field: str) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [_text(item, line, field) for item in items if item is not None]


def _question(raw: object, node: yaml.Node, topic: str | None) -> PortableQuestion | Skipped:
    line = _line(node)
    if not isinstance(raw, dict):
        raise InterchangeSyntaxError(line, "each question must be a mapping of fields")
    key_lines = _key_lines(node)
    lines = {key: key_lines.get(key, line) for key in raw}
    uid = _text(raw.get("id"), lines.get("id", line), "id") or None
    qtype = _text(raw.get("type"), lines.get("type", line), "type")
    if not qtype:
        raise InterchangeSyntaxError(line, "the question has no 'type'")
    if qtype not in REGISTRY:
        return Skipped(line, qtype, uid or "", f"{quoted(qtype)} is not one of our question types")
    fields = get_type(qtype).fields
    for key in raw:
        if key in BANK_ONLY_FIELDS:
            continue
        if key not in COMMON_FIELDS and key != "rationale" and key not in fields:
            known = ", ".join([*COMMON_FIELDS, *sorted(fields), "rationale"])
            raise InterchangeSyntaxError(
                lines[key], f"unknown field {quoted(key)} (known: {known})"
            )
    return question(
        qtype,
        _text(raw.get("stem"), lines.get("stem", line), "stem"),
        {key: raw[key] for key in fields if key in raw},
        rationale=_text(raw.get("rationale"), lines.get("rationale", line), "rationale"),
        uid=uid,
        name=_text(raw.get("name"), lines.get("name", line), "name") or uid or "",
        topic=_text(raw.get("topic"), lines.get("topic", line), "topic") or topic,
        cites=_texts(raw.get("cites"), lines.get("cites", line), "cites"),
        tags=_texts(raw.get("tags"), lines.get("tags", line), "tags"),
        difficulty=parse_difficulty(raw.get("difficulty"), lines.get("difficulty", line)),
        line=line,
    )


def _document(
    raw: object, node: yaml.Node, result: ParseResult, budget: Budget, keep_going: bool
) -> None:
    topic, items, items_node = None, raw, node
    if isinstance(raw, dict):
        lines = _key_lines(node)
        for key in raw:
            if key not in FILE_FIELDS:
                message = (
                    f"unknown field {quoted(key)} at the top (known: {', '.join(FILE_FIELDS)})"
                )
                raise InterchangeSyntaxError(lines.get(key, _line(node)), message)
        topic = _text(raw.get("topic"), lines.get("topic", _line(node)), "topic") or None
        items = raw.get("questions")
        items_node = next((v for k, v in node.value if k.value == "questions"), node)
        if items is None:
            return
    if not isinstance(items, list):
        message = "expected 'questions:' with a list of questions, or a list of questions"
        raise InterchangeSyntaxError(_line(items_node), message)
    for item, item_node in zip(items, items_node.value, strict=True):
        budget.check(result, _line(item_node))
        try:
            parsed = _question(item, item_node, topic)
        except InterchangeSyntaxError as exc:
            if not keep_going:
                raise
            name = item.get("id") if isinstance(item, dict) else None
            result.refuse(exc, _line(item_node), "", str(name or "")[:60])
            continue
        if isinstance(parsed, Skipped):
            result.skipped.append(parsed)
        else:
            result.questions.append(parsed)
    budget.check(result, _line(items_node))


def parse_yaml(
    text: str, limits: ParseLimits | None = None, *, keep_going: bool = False
) -> ParseResult:
    """Questions read from our YAML; raises InterchangeSyntaxError naming the line."""
    result = ParseResult([], [])
    budget = Budget(limits)
    try:
        loader = _UploadLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise InterchangeSyntaxError(line, f"YAML: {exc.reason}") from None
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:  # check_node() said there is one; this is for the type checker
                break
            raw = loader.construct_document(node)
            if raw is not None:
                _document(raw, node, result, budget, keep_going)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise InterchangeSyntaxError(line, f"YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise InterchangeSyntaxError(1, f"YAML: {exc}") from None
    finally:
        loader.dispose()
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
