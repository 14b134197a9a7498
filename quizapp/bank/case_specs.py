"""What a case-study file describes, as plain values (see bank/case_reader.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from quizapp.bank.specs import content_hash


@dataclass(frozen=True)
class CaseItemSpec:
    position: int  # 1..6
    step: str
    uid: str  # the question's id; the question itself is in BankContent.questions


def case_version_hash(
    summary: str,
    exhibits: Iterable[dict[str, Any]],
    cites: Iterable[str],
    items: Iterable[CaseItemSpec],
) -> str:
    """The identity of a case version's content, wherever it was written (file or app)."""
    return content_hash(
        {
            "summary": summary,
            "exhibits": list(exhibits),
            "cites": sorted(cites),
            "items": [[i.position, i.step, i.uid] for i in items],
        }
    )


@dataclass(frozen=True)
class CaseSpec:
    key: str
    status: str
    title: str
    topic: str
    cites: tuple[str, ...]
    summary: str
    exhibits: tuple[dict[str, Any], ...]  # as domain.case_steps.Exhibit.as_dict gives them
    items: tuple[CaseItemSpec, ...]
    file: str
    line: int

    @property
    def content_hash(self) -> str:
        """What makes a new case version when it changes (title, topic, status live on the
        case itself; the items' own content is versioned with each question)."""
        return case_version_hash(self.summary, self.exhibits, self.cites, self.items)

    @property
    def file_hash(self) -> str:
        """The whole file entry: a load changes the case only when this changed since."""
        return content_hash(
            {
                "content": self.content_hash,
                "title": self.title,
                "topic": self.topic,
                "status": self.status,
            }
        )
