"""The bank's case-study files (`cases/*.yaml`), read into `BankContent.cases` (and their
items into `BankContent.questions`), with the checks that span files: unique case ids."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from quizapp.bank.case_reader import read_case_file
from quizapp.bank.case_specs import CaseSpec
from quizapp.bank.specs import BankContent, Problem


def read_cases(
    root: Path,
    content: BankContent,
    section_keys: set[str],
    topic_keys: set[str],
    problems: list[Problem],
    display: Callable[[Path], str],
) -> None:
    seen: dict[str, CaseSpec] = {}
    for path in sorted((root / "cases").glob("*.yaml")):
        case, questions = read_case_file(path, display(path), section_keys, topic_keys, problems)
        if case is None:
            continue
        first = seen.setdefault(case.key, case)
        if first is not case:
            problems.append(
                Problem(
                    case.file,
                    case.line,
                    f"case id {case.key!r} already used at {first.file}:{first.line}",
                )
            )
            continue
        content.cases.append(case)
        content.questions.extend(questions)
