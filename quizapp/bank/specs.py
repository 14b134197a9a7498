"""What the bank files describe, as plain values (no database, no framework)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from quizapp.domain.types import UnknownQuestionType, get_type

if TYPE_CHECKING:
    from quizapp.bank.case_specs import CaseSpec


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in a bank file, at a line a person can go to."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def _hash_form(type_name: str, data: dict[str, Any]) -> Any:
    """The data as the type hashes it (its pre-Moodle-grades form where that holds it), so that
    versions stored before issue 14 keep their hashes; unknown types and bad data as given."""
    try:
        return get_type(type_name).hash_form(data)
    except (UnknownQuestionType, KeyError, TypeError, AttributeError):
        return data


def content_hash(value: Any) -> str:
    """sha256 of a canonical JSON rendering: the same content always gives the same hash."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def version_hash(
    type_name: str,
    stem: str,
    data: dict[str, Any],
    rationale: str,
    difficulty: int,
    tags: Any,
    cites: Any,
) -> str:
    """The identity of a question version's authored content, wherever it was authored."""
    return content_hash(
        {
            "type": type_name,
            "stem": stem,
            "data": _hash_form(type_name, data),
            "rationale": rationale,
            "difficulty": difficulty,
            "tags": list(tags),
            "cites": sorted(cites),
        }
    )


def section_hash(
    heading: str, key_points: Iterable[str], erratum: str, cautions: Iterable[str] = ()
) -> str:
    """The identity of a section's text, wherever it was written (file or app).

    Cautions count like key points (a changed caution flags the citing questions), but enter
    the hash only when there are some, so the hash of a section without any stays as it was.
    """
    value: dict[str, Any] = {"heading": heading, "key_points": list(key_points), "erratum": erratum}
    cautions = list(cautions)
    if cautions:
        value["cautions"] = cautions
    return content_hash(value)


@dataclass(frozen=True)
class SectionSpec:
    key: str
    heading: str
    position: int
    kind: str
    key_points: tuple[str, ...]
    erratum: str
    file: str
    line: int
    # How well the source's stored pages covered the section ("" when the source has no marks):
    # good | partial | thin | not-covered, with the outline's note on what was missing.
    coverage: str = ""
    coverage_note: str = ""
    not_covered: str = ""
    # Current-practice lines that take precedence over the source's wording.
    cautions: tuple[str, ...] = ()
    source_urls: tuple[str, ...] = ()

    @property
    def content_hash(self) -> str:
        """The text a question relies on; position, kind, coverage and URLs are not content."""
        return section_hash(self.heading, self.key_points, self.erratum, self.cautions)


@dataclass(frozen=True)
class SourceSpec:
    slug: str
    title: str
    publisher: str
    year: int | None
    url: str
    revision: str
    notes: str
    sections: tuple[SectionSpec, ...]
    file: str
    line: int
    licence: str = ""
    # The credit a licence such as CC BY requires, shown on every page of the source.
    attribution: str = ""
    kind: str = "external"  # external | own (the project's own restatement)
    # "warning": sections under their minimum citations are reported but do not fail coverage.
    coverage_minimums: str = "enforced"


@dataclass(frozen=True)
class TopicSpec:
    key: str
    title: str
    position: int


@dataclass(frozen=True)
class BankSpec:
    key: str
    title: str
    description: str
    position: int
    topics: tuple[TopicSpec, ...]


@dataclass(frozen=True)
class QuestionSpec:
    uid: str
    topic: str | None
    status: str
    type: str
    difficulty: int
    tags: tuple[str, ...]
    cites: tuple[str, ...]
    stem: str
    rationale: str
    data: dict[str, Any]
    file: str
    line: int
    # The line of each authored field and of each choice, for lint messages.
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    exam_only: bool = False  # kept for quizzes, never drawn into practice (lives on the entry)
    # Why a cited section that shares no key term with the item still supports it (lint override).
    cite_reason: str = ""
    # Items that give each other away never share a quiz: ids excluded (both ways) and a family
    # of which a quiz draws at most one. Both live on the entry, not in the version hash.
    excludes: tuple[str, ...] = ()
    family: str = ""

    @property
    def content_hash(self) -> str:
        """What makes a new version when it changes (topic and status live on the entry)."""
        return version_hash(
            self.type, self.stem, self.data, self.rationale, self.difficulty, self.tags, self.cites
        )


@dataclass
class BankContent:
    sources: list[SourceSpec] = field(default_factory=list)
    banks: list[BankSpec] = field(default_factory=list)
    questions: list[QuestionSpec] = field(default_factory=list)
    # From `families.yaml`: family name -> ids, and id -> ids it excludes (cross-file sets).
    families: dict[str, tuple[str, ...]] = field(default_factory=dict)
    file_excludes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    families_file: str = ""
    lines: dict[str, dict[str, int]] = field(default_factory=dict)
    # From `cases/*.yaml`: unfolding case studies; their items are in `questions` too.
    cases: list[CaseSpec] = field(default_factory=list)

    def section_keys(self) -> set[str]:
        return {s.key for src in self.sources for s in src.sections}

    def topic_keys(self) -> set[str]:
        return {t.key for b in self.banks for t in b.topics}
