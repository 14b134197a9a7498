"""Two versions of a question compared field by field, in plain words (stdlib only).

Each version is first listed as `Described` fields: the stem, what its type's plug-in lists
(`QuestionType.describe`: choices, which is correct, grades, feedback, pairs, values), then the
rationale, citations, tags, topic and difficulty. Fields are matched by their stable key, and a
changed text is given as a word diff (difflib over words), never as raw data.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from quizapp.domain.types.base import Described

SHORT = 60


@dataclass(frozen=True)
class Words:
    """A run of words: "same", "ins" (added in the newer version) or "del" (removed)."""

    op: str
    text: str


@dataclass(frozen=True)
class Change:
    label: str
    kind: str  # "added", "removed" or "changed"
    before: str = ""
    after: str = ""
    words: list[Words] = field(default_factory=list)
    is_key: bool = False

    @property
    def short(self) -> bool:
        """Read as "was B, now C": a key field (the correct answer, a grade) or one word."""
        one_word = " " not in self.before + self.after
        return (self.is_key or one_word) and len(self.before) <= SHORT and len(self.after) <= SHORT


@dataclass(frozen=True)
class VersionText:
    """What a version holds besides its answer data, as the diff and the page name it."""

    stem: str
    rationale: str
    citations: list[str]
    tags: list[str]
    topic: str
    difficulty: int


def fields_of(text: VersionText, described: list[Described]) -> list[Described]:
    """Every field of a version in reading order."""
    return [
        Described("stem", "Question", text.stem),
        *described,
        Described("rationale", "Rationale", text.rationale or "none"),
        Described("citations", "Cited sections", ", ".join(text.citations) or "none"),
        Described("tags", "Tags", ", ".join(text.tags) or "none"),
        Described("topic", "Topic", text.topic or "none"),
        Described("difficulty", "Difficulty", str(text.difficulty)),
    ]


def word_diff(before: str, after: str) -> list[Words]:
    """The words of `after` against `before`, with runs added and removed marked."""
    old, new = before.split(), after.split()
    runs: list[Words] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(Words("same", " ".join(old[a1:a2])))
            continue
        if a2 > a1:
            runs.append(Words("del", " ".join(old[a1:a2])))
        if b2 > b1:
            runs.append(Words("ins", " ".join(new[b1:b2])))
    return runs


def compare(old: list[Described], new: list[Described]) -> list[Change]:
    """What changed from `old` to `new`, in the newer version's order, removals where the
    field stood."""
    before = {d.key: d for d in old}
    after = {d.key: d for d in new}
    changes: list[Change] = []
    for d in old:
        if d.key not in after:
            changes.append(Change(d.label, "removed", before=d.text))
    for d in new:
        was = before.get(d.key)
        if was is None:
            changes.append(Change(d.label, "added", after=d.text))
        elif was.text != d.text:
            words = word_diff(was.text, d.text)
            changes.append(Change(d.label, "changed", was.text, d.text, words, d.is_key))
    return changes
