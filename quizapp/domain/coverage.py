"""How well the published questions cover a source's sections (pure; no framework).

Minimums: a section with a coverage mark (how well the source's stored pages covered it) needs
3 questions when the mark is good or partial and none when it is thin or not-covered, since
those hold only a few key points; an unmarked section needs 4 (content) or 1 (framing), and a
section of the project's own outline needs 1. A source whose minimums are set to "warning"
reports its sections under minimum without failing (until its questions are written).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MINIMUM_BY_KIND = {"content": 4, "framing": 1}
MINIMUM_BY_COVERAGE = {"good": 3, "partial": 3, "thin": 0, "not-covered": 0}
MINIMUM_OWN_SOURCE = 1


@dataclass(frozen=True)
class SectionRow:
    """A section as coverage needs it: what it is, and how its source sets minimums."""

    key: str
    heading: str
    kind: str = "content"
    coverage: str = ""
    source_kind: str = "external"
    minimums: str = "enforced"  # or "warning"


def section_minimum(row: SectionRow) -> int:
    if row.coverage:
        return MINIMUM_BY_COVERAGE.get(row.coverage, 0)
    if row.source_kind == "own":
        return MINIMUM_OWN_SOURCE
    return MINIMUM_BY_KIND.get(row.kind, 1)


@dataclass(frozen=True)
class SectionCoverage:
    key: str
    heading: str
    kind: str
    published: int
    by_type: dict[str, int]
    minimum: int
    coverage: str = ""
    enforced: bool = True

    @property
    def below(self) -> bool:
        return self.published < self.minimum

    @property
    def under_minimum(self) -> bool:
        """Below the minimum where it counts (fails `bank coverage`)."""
        return self.below and self.enforced

    @property
    def warning(self) -> bool:
        """Below the minimum of a source whose minimums only warn for now."""
        return self.below and not self.enforced

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "heading": self.heading,
            "coverage": self.coverage or None,
            "published": self.published,
            "by_type": dict(sorted(self.by_type.items())),
            "minimum": self.minimum,
            "enforced": self.enforced,
        }


@dataclass(frozen=True)
class Coverage:
    sections: list[SectionCoverage]
    published: int
    by_type: dict[str, int] = field(default_factory=dict)
    cases: int = 0  # published case studies (their items are counted in by_type)

    @property
    def under_minimum(self) -> list[SectionCoverage]:
        return [s for s in self.sections if s.under_minimum]

    @property
    def warnings(self) -> list[SectionCoverage]:
        return [s for s in self.sections if s.warning]

    def as_dict(self) -> dict[str, Any]:
        return {
            "sections": [s.as_dict() for s in self.sections],
            "totals": {"published": self.published, "by_type": dict(sorted(self.by_type.items()))},
            "cases": self.cases,
        }


def build_coverage(
    sections: Iterable[SectionRow],
    citations: Iterable[tuple[str, str, int]],
    totals: Iterable[tuple[str, int]],
) -> Coverage:
    """`sections` in order; `citations`: (section key, question type, number of published
    questions citing it); `totals`: (question type, published count)."""
    per_section: dict[str, dict[str, int]] = {}
    for key, qtype, count in citations:
        per_section.setdefault(key, {})[qtype] = count
    rows = [
        SectionCoverage(
            key=row.key,
            heading=row.heading,
            kind=row.kind,
            published=sum(per_section.get(row.key, {}).values()),
            by_type=per_section.get(row.key, {}),
            minimum=section_minimum(row),
            coverage=row.coverage,
            enforced=row.minimums != "warning",
        )
        for row in sections
    ]
    by_type = dict(totals)
    return Coverage(rows, sum(by_type.values()), by_type)
