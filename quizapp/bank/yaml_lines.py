"""YAML loading that remembers where things were, so errors can name file and line.

The one loader of our YAML files, bank files and uploads alike. It refuses what our files never
need and an upload could abuse: anchors and aliases (a 358-byte alias bomb made an 82 MB
response, a 401-byte one killed a worker), nesting deeper than MAX_DEPTH, and a key given twice
in one mapping (the second would silently win).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

MAX_DEPTH = 20  # nesting of lists and mappings; a bank file needs 4
_ANCHOR_QUOTE = 30  # characters of an anchor's name quoted in an error


class LineDict(dict[str, Any]):
    """A mapping from a YAML file, with the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A list from a YAML file, with the line it starts on and the line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of_item(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class YamlSyntaxError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _short(name: str | None) -> str:
    name = name or ""
    return name if len(name) <= _ANCHOR_QUOTE else name[: _ANCHOR_QUOTE - 1] + "\u2026"


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader building LineDicts and LineLists, refusing anchors, aliases, deep nests."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            message = f"YAML aliases (*{_short(event.anchor)}) are not allowed"
            raise YamlSyntaxError(line, message + "; write the value out")
        if getattr(event, "anchor", None):
            message = f"YAML anchors (&{_short(event.anchor)}) are not allowed"
            raise YamlSyntaxError(line, message + "; write the value out")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise YamlSyntaxError(line, f"lists and mappings nest more than {MAX_DEPTH} deep")
        try:
            # PyYAML passes a mapping's key node as `index` too; its stubs say int.
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self.depth -= 1


def _construct_mapping(loader: _LineLoader, node: MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) or key is None:
            raise ConstructorError(
                "while reading a mapping",
                node.start_mark,
                "a key must be text",
                key_node.start_mark,
            )
        key = str(key) if not isinstance(key, str) else key
        if key in result:
            raise ConstructorError(
                None, None, f"the key {key!r} appears twice in one mapping", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        if isinstance(key_node, ScalarNode):
            result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: SequenceNode) -> LineList:
    result = LineList(loader.construct_object(item, deep=True) for item in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [item.start_mark.line + 1 for item in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _load(text: str, single: bool) -> list[Any]:
    try:
        loader = _LineLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise YamlSyntaxError(line, f"YAML syntax error: {exc.reason}") from None
    try:
        if single:
            return [loader.get_single_data()]
        documents = []
        while loader.check_node():
            node = loader.get_node()
            if node is not None:  # check_node() said there is one; this is for the type checker
                documents.append(loader.construct_document(node))
        return documents
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlSyntaxError(line, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, f"YAML error: {exc}") from None
    finally:
        loader.dispose()


def load_yaml_documents(text: str) -> list[Any]:
    """Every document of `text` (separated by `---`); raises YamlSyntaxError naming the line."""
    return _load(text, single=False)


def load_yaml_text(text: str) -> Any:
    """The one document of `text` (None when empty); raises YamlSyntaxError naming the line."""
    return _load(text, single=True)[0]


def read_yaml_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(1, f"not UTF-8 text ({exc.reason})") from exc


def load_yaml_file(path: Path) -> Any:
    return load_yaml_text(read_yaml_text(path))


def plain(value: Any) -> Any:
    """`value` with LineDicts and LineLists turned into plain dicts and lists (for storing,
    comparing and writing: a YAML dumper refuses the subclasses)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value
