"""Test-taking cues, checked over the whole bank's published items (errors, not warnings).

A test-wise candidate scores without the knowledge when the key is usually the longest (or,
after an over-correction, the shortest) choice, when select-all items nearly always have the
same number of correct options, or when stems ask what "the source" says. A citation must also
name a section that shares at least one key term with the item, unless the item says why not
(`cite_reason:`). Each problem is reported at an item that feeds it, so an author can go there.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from quizapp.bank.lint import MIN_SAMPLE, problem_at
from quizapp.bank.specs import Problem, QuestionSpec, SectionSpec
from quizapp.domain.types import REGISTRY

LENGTH_CUE_LIMIT = 0.30  # share of single items whose key is the longest (or the shortest)
CORRECT_COUNT_LIMIT = 0.40  # share of select-all items with any one number of correct options
SOURCE_STEM_LIMIT = 0.10  # share of published items that ask what the source says
TERM_LENGTH = 5
_SOURCE_STEM = re.compile(
    r"\baccording to (?:the|this|our) (?:source|article|text|outline|reading)\b", re.I
)
_WORD = re.compile(r"[a-z]+")
# Words of 5+ letters that every nursing item uses; sharing one says nothing about support.
_STOP_TEXT = """
about above action actions after again against always among another answer answers asked
asking because before being below best between both cannot care case caused causes choice
choices client clients correct could daily during each early every first found further
given gives giving going group having helps hours however important indicates instead
itself later least makes matter might minutes needed needs never nurse nurses nursing often
order other others patient patients people person place plans point possible problem rather
reason right second seems shows should since something still statement their there these
thing things third those three through today under until usually various wants which while
whose within without would wrong years
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def lint_cues(questions: Iterable[QuestionSpec], sections: dict[str, SectionSpec]) -> list[Problem]:
    """All cue problems of the published items; `sections` maps each key to its section."""
    published = [q for q in questions if q.status == "published"]
    # One key among choices (single), or several (select all that apply), asked of the plug-in.
    singles = [q for q in published if _choices_with(q, one_key=True)]
    multiples = [q for q in published if _choices_with(q, one_key=False)]
    problems = _lint_length(singles, "longest", max)
    problems += _lint_length(singles, "shortest", min)
    problems += _lint_correct_counts(multiples)
    problems += _lint_source_stems(published)
    for question in published:
        problems += _lint_citation(question, sections)
    return problems


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})"


def _correct_indexes(question: QuestionSpec) -> list[int]:
    return [i for i, c in enumerate(question.data["choices"]) if c["correct"]]


def _key_is(question: QuestionSpec, pick: Callable[[list[int]], int]) -> bool:
    """The key is the one longest (or shortest) choice; a tie is no cue."""
    lengths = [len(c["text"]) for c in question.data["choices"]]
    correct = lengths[_correct_indexes(question)[0]]
    return correct == pick(lengths) and lengths.count(correct) == 1


def _lint_length(
    singles: list[QuestionSpec], word: str, pick: Callable[[list[int]], int]
) -> list[Problem]:
    cued = [q for q in singles if _key_is(q, pick)]
    if len(singles) < MIN_SAMPLE or len(cued) / len(singles) <= LENGTH_CUE_LIMIT:
        return []
    share = _share(len(cued), len(singles))
    fix = "make a distractor as full" if word == "longest" else "give a distractor as little"
    return [
        problem_at(
            q,
            f"choices[{_correct_indexes(q)[0]}]",
            f"the correct choice is the {word} here, as in {share} of single questions "
            f"(the limit is {LENGTH_CUE_LIMIT:.0%}): {fix}",
        )
        for q in cued
    ]


def _lint_correct_counts(multiples: list[QuestionSpec]) -> list[Problem]:
    """No number of correct options dominates; some items have 1, some all but one."""
    if len(multiples) < MIN_SAMPLE:
        return []
    counts = Counter(len(_correct_indexes(q)) for q in multiples)
    problems = []
    for count, items in sorted(counts.items()):
        if items / len(multiples) > CORRECT_COUNT_LIMIT:
            share = _share(items, len(multiples))
            problems += [
                problem_at(
                    q,
                    "choices",
                    f"{count} correct options here, as in {share} of select-all questions "
                    f"(the limit is {CORRECT_COUNT_LIMIT:.0%}): vary the number of correct options",
                )
                for q in multiples
                if len(_correct_indexes(q)) == count
            ]
    first = multiples[0]
    if counts[1] == 0:
        problems.append(
            problem_at(
                first, "choices", "no select-all question has exactly 1 correct option: add some"
            )
        )
    if not any(len(_correct_indexes(q)) == len(q.data["choices"]) - 1 for q in multiples):
        problems.append(
            problem_at(
                first,
                "choices",
                "no select-all question has all options but one correct: add some",
            )
        )
    return problems


def _lint_source_stems(published: list[QuestionSpec]) -> list[Problem]:
    asking = [q for q in published if _SOURCE_STEM.search(q.stem)]
    if len(published) < MIN_SAMPLE or len(asking) / len(published) <= SOURCE_STEM_LIMIT:
        return []
    share = _share(len(asking), len(published))
    return [
        problem_at(
            q,
            "stem",
            f"the stem asks what the source says, as {share} of published questions do "
            f"(the limit is {SOURCE_STEM_LIMIT:.0%}): ask about practice, cite the source",
        )
        for q in asking
    ]


def key_terms(text: str) -> set[str]:
    """Content words of 5+ letters, a plural `s` dropped, without the stop list."""
    words = (w[:-1] if w.endswith("s") and not w.endswith("ss") else w for w in _words(text))
    return {w for w in words if len(w) >= TERM_LENGTH and w not in STOP_WORDS}


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _item_text(question: QuestionSpec) -> str:
    keys = [c["text"] for c in question.data.get("choices") or [] if c.get("correct")]
    return " ".join([question.stem, *keys, question.rationale])


def _lint_citation(question: QuestionSpec, sections: dict[str, SectionSpec]) -> list[Problem]:
    if question.cite_reason:
        return []
    terms = key_terms(_item_text(question))
    problems = []
    for key in question.cites:
        section = sections.get(key)
        if section is None:
            continue  # an unknown key is reported by the reader
        if terms.isdisjoint(key_terms(" ".join([*section.key_points, *section.cautions]))):
            problems.append(
                problem_at(
                    question,
                    "cites",
                    f"the cited section {key!r} shares no key term with this question: cite the "
                    "section that supports it, or say why in 'cite_reason:'",
                )
            )
    return problems


def _choices_with(question: QuestionSpec, *, one_key: bool) -> bool:
    plugin = REGISTRY.get(question.type)
    return plugin is not None and plugin.has_choices and plugin.one_key is one_key
