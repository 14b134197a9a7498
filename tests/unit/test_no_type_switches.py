"""No `type == "single"`-style switch outside the question-type plug-ins (issue 14).

Every comparison of something with a registered type's name (==, !=, in, not in, a `case`) in
a .py file, and every Jinja `== 'name'`, `!= 'name'` or `in ('name', ...)` in a template under
quizapp/, is a place that would need editing when a type is added: the type's plug-in in
quizapp/domain/types/ should answer instead. Assigning a name ("p.type = 'numeric'") is fine.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from quizapp.domain.types import all_types
from quizapp.instructor.type_forms import form_mapping

ROOT = Path(__file__).resolve().parents[2] / "quizapp"
PLUGINS = ROOT / "domain" / "types"
NAMES = frozenset(qtype.name for qtype in all_types())


def _names_in(node: ast.AST) -> list[str]:
    """Type names a comparison operand spells out: a literal, or literals in a tuple/list/set."""
    items = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
    return [
        item.value
        for item in items
        if isinstance(item, ast.Constant) and isinstance(item.value, str) and item.value in NAMES
    ]


def python_switches(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            for operand in [node.left, *node.comparators]:
                found += [(node.lineno, name) for name in _names_in(operand)]
        elif isinstance(node, ast.match_case):
            for pattern in ast.walk(node.pattern):
                if isinstance(pattern, ast.MatchValue):
                    found += [(pattern.lineno, name) for name in _names_in(pattern.value)]
    return found


_QUOTED = r"""['"]({names})['"]"""
_OPERATOR = r"(?:==|!=|\bin\b|\bnot\s+in\b|\bis\s+sameas\b)"


def template_switches(source: str) -> list[tuple[int, str]]:
    names = "|".join(re.escape(name) for name in sorted(NAMES))
    quoted = _QUOTED.format(names=names)
    patterns = [
        re.compile(_OPERATOR + r"\s*\(?\s*" + quoted),  # == 'single', sameas 'single'
        re.compile(quoted + r"\s*" + _OPERATOR),  # 'single' == x, 'single' in kinds
        re.compile(r"\bin\s*[\(\[][^\)\]]*?" + quoted),  # in ("x", 'matching')
    ]
    found = []
    for tag in re.finditer(r"\{[%{](.*?)[%}]\}", source, re.S):
        line = source.count("\n", 0, tag.start()) + 1
        for pattern in patterns:
            found += [(line, match.group(1)) for match in pattern.finditer(tag.group(1))]
    return sorted(set(found))


def _switches() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*")):
        if PLUGINS in path.parents or path.suffix not in (".py", ".html"):
            continue
        text = path.read_text(encoding="utf-8")
        scan = python_switches if path.suffix == ".py" else template_switches
        found += [f"{path.relative_to(ROOT)}:{line}: {name!r}" for line, name in scan(text)]
    return found


def test_no_type_name_comparisons_outside_the_plugins() -> None:
    found = _switches()
    assert not found, "Ask the type plug-in (quizapp/domain/types/) instead of:\n" + "\n".join(
        found
    )


@pytest.mark.parametrize(
    "source",
    [
        'if q.type == "single": pass',
        'if "matching" != kind: pass',
        'ok = version.type in ("single", "multiple")',
        'ok = t not in ["numeric"]',
        'ok = t in {"short_answer", "x"}',
        'match q.type:\n    case "true_false":\n        pass',
        'match q.type:\n    case "single" | "multiple":\n        pass',
    ],
)
def test_the_python_scan_catches_each_form_of_switch(source: str) -> None:
    assert python_switches(source)


@pytest.mark.parametrize(
    "source",
    [
        '{% if item.type == "multiple" %}x{% endif %}',
        "{% if item.type=='matching' %}x{% endif %}",
        '{% if item.type in ("single", "multiple") %}x{% endif %}',
        "{% elif item.type not in ['numeric'] %}x{% endif %}",
        '{% set kind = "radio" if item.type == "single" else "checkbox" %}',
        "{{ 'yes' if 'true_false' == item.type }}",
        "{% if item.type is sameas 'short_answer' %}x{% endif %}",
    ],
)
def test_the_template_scan_catches_each_form_of_switch(source: str) -> None:
    assert template_switches(source)


@pytest.mark.parametrize(
    "source",
    [
        'p.type, p.data = "numeric", {}',  # naming a type is not switching on it
        '_READERS = {"matching": read}',
        'if moodle_type == "category": pass',
        '<div class="matching">{{ item.label }}</div>',
        '{% include "types/" ~ item.type ~ "/answer.html" %}',
    ],
)
def test_the_scans_leave_names_that_are_not_switches(source: str) -> None:
    scan = template_switches if source.startswith(("<", "{")) else python_switches
    assert not scan(source)


@pytest.mark.parametrize("name", sorted(NAMES))
def test_every_type_has_its_form_mapping_and_partials(name: str) -> None:
    mapping = form_mapping(name)
    assert mapping is not None
    assert (ROOT / "instructor" / "templates" / mapping.partial).is_file()
    for partial in ("answer.html", "review.html"):
        assert (ROOT / "trainee" / "templates" / "types" / name / partial).is_file()
