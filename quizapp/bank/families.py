"""Exclusion groups: items that give each other away and must never share a quiz.

Items declare `excludes: [ids]` and `family: name`; `question_bank/families.yaml` adds sets
that span files (or files another author owns): `families: {name: [ids]}` and
`excludes: {id: [ids]}`. Every id named must exist, so a typo cannot silently allow a pair.
"""

from __future__ import annotations

from typing import Any

from quizapp.bank.fields import KEY_PATTERN, FieldReader
from quizapp.bank.specs import BankContent, Problem

FAMILY_LIMIT = 100  # the column size of question_entries.family


def read_families(display: str, doc: Any, content: BankContent, problems: list[Problem]) -> None:
    """Read `families.yaml` (already parsed as `doc`) into `content`."""
    r = FieldReader(display, problems)
    top = r.mapping(doc, 1, "the families file")
    if top is None:
        return
    r.unknown(top, {"families", "excludes"}, "the families file")
    for field, target in (("families", content.families), ("excludes", content.file_excludes)):
        node = top.get(field)
        if node is None:
            continue
        mapping = r.mapping(node, top.line_of(field), f"{field!r}")
        if mapping is None:
            continue
        for name in mapping:
            if not KEY_PATTERN.match(str(name)):
                r.problem(mapping.line_of(name), f"{name!r} must be a lower-case key")
            target[str(name)] = r.text_list(mapping, name, required=True)
        content.lines[field] = {str(name): mapping.line_of(name) for name in mapping}
    content.families_file = display


def check_exclusions(content: BankContent, problems: list[Problem]) -> None:
    """Refuse unknown ids in `excludes` (items or file) and in the file's families."""
    known = {q.uid for q in content.questions}
    for question in content.questions:
        if len(question.family) > FAMILY_LIMIT:
            problems.append(
                Problem(
                    question.file,
                    question.lines.get("family", question.line),
                    f"'family' is longer than {FAMILY_LIMIT} characters",
                )
            )
        for uid in question.excludes:
            if uid not in known:
                problems.append(
                    Problem(
                        question.file,
                        question.lines.get("excludes", question.line),
                        f"unknown question id {uid!r} in 'excludes'",
                    )
                )
            elif uid == question.uid:
                problems.append(
                    Problem(
                        question.file,
                        question.lines.get("excludes", question.line),
                        "a question cannot exclude itself",
                    )
                )
    for field, groups in (("families", content.families), ("excludes", content.file_excludes)):
        lines = content.lines.get(field, {})
        for name, ids in groups.items():
            named = ids if field == "families" else (name, *ids)
            if field == "families" and len(name) > FAMILY_LIMIT:
                problems.append(
                    Problem(
                        content.families_file,
                        lines.get(name, 1),
                        f"family name {name[:40]!r}... is longer than {FAMILY_LIMIT} characters",
                    )
                )
            for uid in named:
                if uid not in known:
                    problems.append(
                        Problem(
                            content.families_file,
                            lines.get(name, 1),
                            f"unknown question id {uid!r} in {field} {name!r}",
                        )
                    )


def exclusion_map(content: BankContent) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Symmetric `id -> ids it excludes` and `id -> family` from items and the families file.

    An id in several families gets them joined into one: its families all exclude each other's
    members from its quizzes through the excludes map.
    """
    excludes: dict[str, set[str]] = {}

    def pair(a: str, b: str) -> None:
        if a != b:
            excludes.setdefault(a, set()).add(b)
            excludes.setdefault(b, set()).add(a)

    families: dict[str, str] = {}
    for question in content.questions:
        for other in question.excludes:
            pair(question.uid, other)
        if question.family:
            families[question.uid] = question.family
    for uid, others in content.file_excludes.items():
        for other in others:
            pair(uid, other)
    for name, ids in content.families.items():
        for uid in ids:
            if uid in families and families[uid] != name:
                for other in ids:  # a second family: keep the first, exclude the rest
                    pair(uid, other)
            else:
                families[uid] = name
    return excludes, families
