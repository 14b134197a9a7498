"""How well the published questions cover a source's sections (pure; no framework)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MINIMUM_BY_KIND = {"content": 4, "framing": 1}


@dataclass(frozen=True)
class SectionCoverage:
    key: str
    heading: str
    kind: str
    published: int
    by_type: dict[str, int]
    minimum: int

    @property
    def under_minimum(self) -> bool:
        return self.published < self.minimum

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "heading": self.heading,
            "published": self.published,
            "by_type": dict(sorted(self.by_type.items())),
            "minimum": self.minimum,
        }


@dataclass(frozen=True)
class Coverage:
    sections: list[SectionCoverage]
    published: int
    by_type: dict[str, int] = field(default_factory=dict)

    @property
    def under_minimum(self) -> list[SectionCoverage]:
        return [s for s in self.sections if s.under_minimum]

    def as_dict(self) -> dict[str, Any]:
        return {
            "sections": [s.as_dict() for s in self.sections],
            "totals": {"published": self.published, "by_type": dict(sorted(self.by_type.items()))},
        }


def build_coverage(
    sections: Iterable[tuple[str, str, str]],
    citations: Iterable[tuple[str, str, int]],
    totals: Iterable[tuple[str, int]],
) -> Coverage:
    """`sections`: (key, heading, kind) in order; `citations`: (section key, question type,
    number of published questions citing it); `totals`: (question type, published count)."""
    per_section: dict[str, dict[str, int]] = {}
    for key, qtype, count in citations:
        per_section.setdefault(key, {})[qtype] = count
    rows = [
        SectionCoverage(
            key=key,
            heading=heading,
            kind=kind,
            published=sum(per_section.get(key, {}).values()),
            by_type=per_section.get(key, {}),
            minimum=MINIMUM_BY_KIND.get(kind, 1),
        )
        for key, heading, kind in sections
    ]
    by_type = dict(totals)
    return Coverage(rows, sum(by_type.values()), by_type)
