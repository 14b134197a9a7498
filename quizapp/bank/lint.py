"""Item-writing rules of certification exams, checked over the whole bank.

Per question: no "all/none of the above"; a negative stem only with NOT or EXCEPT in
capitals; the house rules on answer data (HOUSE_COUNTS, a unit on calculations), which the
types themselves no longer impose so that the platform can hold imported Moodle questions.
Across the bank's published `single` questions (from MIN_SAMPLE of them): no position holds
over 35% of the answers (the longest- and shortest-key cues are in lint_cues); and no two
stems are the same or nearly so. Bank-wide rules are reported at each question that feeds the
imbalance, so an author can go to a line and fix it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from difflib import SequenceMatcher

from quizapp.bank.specs import Problem, QuestionSpec
from quizapp.domain.types import REGISTRY, QuestionType

POSITION_LIMIT = 0.35  # share of single answers at any one position; must not exceed
NEAR_DUPLICATE_RATIO = 0.9
# Shares mean nothing on a handful of questions (one question is 100% in one position): the
# bank-wide rules apply from this many published single questions.
MIN_SAMPLE = 8

# The bank's own limits on a field of the answer data (whatever the type): fewest, most, name.
HOUSE_COUNTS = {"choices": (3, 5, "choices"), "pairs": (3, 8, "pairs")}
# Answer-data fields a bank item must not leave empty, and why.
HOUSE_REQUIRED = {"units": "unit: a calculation item states its unit (such as mL/h)"}

_ABOVE = re.compile(r"\b(all|none|both|neither)\s+of\s+the\s+(above|previous|options)\b", re.I)
_NEGATIVE = re.compile(r"\b(?:not|except|never)\b|(?<!\bat )\bleast\b", re.I)
_WORD = re.compile(r"[a-z0-9]+")


def lint_bank(questions: Iterable[QuestionSpec]) -> list[Problem]:
    live = [q for q in questions if q.status != "retired"]
    problems: list[Problem] = []
    for question in live:
        problems.extend(_lint_question(question))
    published_single = [q for q in live if q.status == "published" and _plugin(q).one_key]
    # The longest-key share is checked with the shortest in lint_cues (30% each).
    problems.extend(_lint_positions(published_single))
    problems.extend(_lint_duplicate_stems([q for q in live if q.status == "published"]))
    return problems


def problem_at(question: QuestionSpec, field: str, message: str) -> Problem:
    """A problem at the line of `field` in the question (or the question's own line)."""
    return Problem(question.file, question.lines.get(field, question.line), message)


def _lint_question(question: QuestionSpec) -> list[Problem]:
    problems = []
    texts = [("stem", question.stem), *_plugin(question).option_texts(question.data)]
    for field, text in texts:
        match = _ABOVE.search(text)
        if match:
            problems.append(
                problem_at(
                    question, field, f"{match.group(0)!r}: write every choice as its own answer"
                )
            )
    problems.extend(_lint_house_rules(question))
    question_part = _asking_sentence(question.stem)
    for match in _NEGATIVE.finditer(question_part):
        word = match.group(0)
        if word.lower() in ("not", "except") and word.isupper():
            continue
        problems.append(
            problem_at(
                question,
                "stem",
                f"negative stem with {word!r}: ask positively, or write NOT or EXCEPT in capitals",
            )
        )
        break
    return problems


def _lint_house_rules(question: QuestionSpec) -> list[Problem]:
    problems = []
    for field, (low, high, what) in HOUSE_COUNTS.items():
        items = question.data.get(field)
        if isinstance(items, list) and not low <= len(items) <= high:
            message = f"{field}: give {low} to {high} {what} (the bank's rule); there are"
            problems.append(problem_at(question, field, f"{message} {len(items)}"))
    for field, message in HOUSE_REQUIRED.items():
        if field in question.data and not question.data[field]:
            problems.append(problem_at(question, field, message))
    return problems


def _asking_sentence(stem: str) -> str:
    """The sentence that asks the question (the last one), where a negative misleads."""
    sentences = [s for s in re.split(r"(?<=[.?!:])\s+", stem.strip()) if s]
    asking = [s for s in sentences if s.endswith("?")]
    return asking[-1] if asking else (sentences[-1] if sentences else "")


def _plugin(question: QuestionSpec) -> QuestionType:
    """The question's type, or the bare base (no choices) for a name the reader refused."""
    return REGISTRY.get(question.type) or QuestionType()


def _correct_index(question: QuestionSpec) -> int:
    return next(i for i, c in enumerate(question.data["choices"]) if c["correct"])


def _lint_positions(singles: list[QuestionSpec]) -> list[Problem]:
    if len(singles) < MIN_SAMPLE:
        return []
    positions = Counter(_correct_index(q) for q in singles)
    problems = []
    for position, count in sorted(positions.items()):
        if count / len(singles) <= POSITION_LIMIT:
            continue
        share = f"{count}/{len(singles)} ({count / len(singles):.0%})"
        for q in singles:
            if _correct_index(q) == position:
                problems.append(
                    problem_at(
                        q,
                        f"choices[{position}]",
                        f"the correct choice is in position {position + 1}, as in {share} of "
                        f"single questions (the limit is {POSITION_LIMIT:.0%}): move it",
                    )
                )
    return problems


def _normal_words(stem: str) -> str:
    return " ".join(_WORD.findall(stem.lower()))


def _lint_duplicate_stems(questions: list[QuestionSpec]) -> list[Problem]:
    problems = []
    seen: list[tuple[str, QuestionSpec]] = []
    for question in questions:
        words = _normal_words(question.stem)
        for other_words, other in seen:
            matcher = SequenceMatcher(None, words, other_words, autojunk=False)
            if words == other_words or (
                matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO
                and matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO
                and matcher.ratio() >= NEAR_DUPLICATE_RATIO
            ):
                problems.append(
                    problem_at(
                        question,
                        "stem",
                        f"the stem repeats (or nearly repeats) the stem of {other.uid!r} "
                        f"at {other.file}:{other.line}",
                    )
                )
                break
        seen.append((words, question))
    return problems
