"""Each item-writing rule, broken once, makes `bank check` fail naming file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import make_app
from tests.integration.bank_folder import make_bank

SCENARIOS = [
    "A patient's cannula site is red and warm",
    "An epidural is running after knee surgery",
    "A vaccine is due for a healthy adult",
    "A home insulin pump alarms at night",
    "A child needs an intramuscular antibiotic",
    "Heparin is due for a patient on bed rest",
    "A unit of blood is about to start",
    "A ketamine infusion is running for depression",
]


def single(
    n: int,
    *,
    correct_at: int,
    stem: str | None = None,
    texts: list[str] | None = None,
    correct_longest: bool = False,
) -> str:
    texts = texts or ["Raise the limb", "Stop the drip now", "Call the doctor", "Warm compress"]
    if correct_longest:
        texts = list(texts)
        texts[correct_at] = texts[correct_at] + " and record it in the notes"
    choices = "".join(
        f"      - text: {text}\n" + ("        correct: true\n" if i == correct_at else "")
        for i, text in enumerate(texts)
    )
    stem = stem or f"{SCENARIOS[n % 8]} (case {n}). What should the nurse do first?"
    return (
        f"  - id: lint-{n}\n"
        f"    type: single\n"
        f"    difficulty: 2\n"
        f"    cites: [complications/intravenous]\n"
        f'    stem: "{stem}"\n'
        f"    choices:\n{choices}"
        f"    rationale: Because it is right for a swelling at the insertion site.\n"
    )


def other(n: int, body: str) -> str:
    """A question of another type whose answer data is `body` (indented YAML)."""
    return (
        f"  - id: lint-{n}\n"
        f"    difficulty: 2\n"
        f"    cites: [complications/intravenous]\n"
        f'    stem: "{SCENARIOS[n % 8]} (case {n}): answer it."\n'
        f"{body}"
        f"    rationale: Because it is right for a swelling at the insertion site.\n"
    )


TWO_PAIRS = (
    "    type: matching\n    pairs:\n"
    "      - {prompt: Insulin, answer: Subcutaneous}\n"
    "      - {prompt: Vaccine, answer: Intramuscular}\n"
)
NO_UNIT = "    type: numeric\n    value: 125\n    tolerance: 0.5\n"


def bank_file(*questions: str) -> str:
    return "topic: complications/intravenous\nquestions:\n" + "".join(questions)


def _short_key(at: int) -> list[str]:
    """The default choices with the key at `at` cut to one short word."""
    texts = ["Raise the limb", "Stop the drip now", "Call the doctor", "Warm compress"]
    texts[at] = "Cool"
    return texts


# Eight single questions (the bank-wide rules need eight), correct answers rotated.
GOOD = [single(n, correct_at=n % 4) for n in range(8)]


def check(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    bank = make_bank(tmp_path, {"complications/lint.yaml": text})
    app = make_app(f"sqlite:///{tmp_path / 'lint.db'}")
    return app.test_cli_runner().invoke(args=["bank", "check", str(bank)])


def test_the_clean_bank_passes(tmp_path: Path) -> None:
    result = check(tmp_path, bank_file(*GOOD))
    assert result.exit_code == 0, result.output


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = text.splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[occurrence - 1]


@pytest.mark.parametrize(
    ("name", "questions", "needle", "message"),
    [
        (
            "all of the above",
            [*GOOD[:7], single(7, correct_at=2, texts=["A", "B", "All of the above", "D"])],
            "All of the above",
            "'All of the above': write every choice",
        ),
        (
            "none of the above",
            [*GOOD[:7], single(7, correct_at=0, texts=["A", "None of the above", "C", "D"])],
            "None of the above",
            "'None of the above'",
        ),
        (
            "negative stem in lower case",
            [*GOOD[:7], single(7, correct_at=2, stem="Which action is not appropriate?")],
            "is not appropriate",
            "negative stem with 'not'",
        ),
        (
            "EXCEPT must be in capitals",
            [*GOOD[:7], single(7, correct_at=2, stem="All are signs of overload except which?")],
            "except which",
            "negative stem with 'except'",
        ),
        (
            "too few choices",
            [*GOOD[:7], single(7, correct_at=0, texts=["Raise the limb", "Stop the drip"])],
            "lint-7",
            "choices: ",
        ),
        (
            "too many choices",
            [*GOOD[:7], single(7, correct_at=0, texts=list("ABCDEF"))],
            "lint-7",
            "choices: ",
        ),
        (  # issue 14: the types hold 2 pairs and no unit; the bank's lint refuses them
            "too few pairs",
            [*GOOD[:7], other(7, TWO_PAIRS)],
            "pairs:",
            "pairs: give 3 to 8 pairs (the bank's rule); there are 2",
        ),
        (
            "a numeric item without a unit",
            [*GOOD[:7], other(7, NO_UNIT)],
            "- id: lint-7",
            "unit: a calculation item states its unit",
        ),
        (
            "correct choice systematically the longest",
            [single(i, correct_at=i % 4, correct_longest=True) for i in range(8)],
            "and record it in the notes",
            "the correct choice is the longest here, as in 8/8",
        ),
        (
            "correct choice systematically the shortest",
            [single(i, correct_at=i % 4, texts=_short_key(i % 4)) for i in range(8)],
            "- text: Cool",
            "the correct choice is the shortest here, as in 8/8",
        ),
        (
            "correct position not spread",
            [single(i, correct_at=0) for i in range(8)],
            "- text: Raise the limb",
            "the correct choice is in position 1, as in 8/8",
        ),
        (
            "duplicate stem",
            [
                *GOOD,
                single(
                    8,
                    correct_at=3,
                    stem=SCENARIOS[0] + " (case 0). What should the nurse do first?",
                ),
            ],
            "lint-8",
            "repeats (or nearly repeats) the stem of 'lint-0'",
        ),
        (
            "near-duplicate stem",
            [
                *GOOD,
                single(
                    8, correct_at=3, stem=SCENARIOS[0] + " (case 0). What must the nurse do first?"
                ),
            ],
            "lint-8",
            "repeats (or nearly repeats) the stem of 'lint-0'",
        ),
    ],
)
def test_each_rule_broken_once_fails_with_file_and_line(
    tmp_path: Path, name: str, questions: list[str], needle: str, message: str
) -> None:
    text = bank_file(*questions)
    result = check(tmp_path, text)
    assert result.exit_code == 1, (name, result.output)
    line = _line_of(text, needle)
    if needle == "lint-8":
        line = _line_of(text, "stem:", 9)
    if needle == "lint-7":
        line = _line_of(text, "choices:", 8)
    pattern = rf"lint\.yaml:{line}: .*{re.escape(message)}"
    assert re.search(pattern, result.output), (name, pattern, result.output)
