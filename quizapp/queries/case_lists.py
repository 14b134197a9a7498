"""Case studies for the authoring pages and the bank's coverage: counts, the list, one case
with its versions, exhibits and items. Plain data, a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from quizapp.domain.case_steps import Exhibit, step_words
from quizapp.extensions import db
from quizapp.models import (
    Case,
    CaseItem,
    CaseStatus,
    CaseVersion,
    QuestionEntry,
    QuestionVersion,
    Topic,
)


def published_case_count() -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(Case).where(Case.status == CaseStatus.PUBLISHED)
        )
        or 0
    )


@dataclass(frozen=True)
class CaseListRow:
    key: str
    title: str
    status: str
    topic: str
    version: int


def case_list() -> list[CaseListRow]:
    """Every case, by title (one query)."""
    rows = db.session.execute(
        select(Case.key, Case.title, Case.status, Topic.title, Case.current_version)
        .outerjoin(Topic, Topic.id == Case.topic_id)
        .order_by(Case.title)
    ).all()
    return [CaseListRow(k, t, s.value, topic or "", v) for k, t, s, topic, v in rows]


@dataclass(frozen=True)
class CaseItemRow:
    entry_id: int
    position: int
    step: str
    uid: str
    type: str
    stem: str
    status: str

    @property
    def step_words(self) -> str:
        return step_words(self.step)


@dataclass(frozen=True)
class CaseDetail:
    key: str
    title: str
    status: str
    topic: str
    version: int
    versions: list[tuple[int, Any]]  # (number, created_at)
    summary: str
    cites: list[str]
    exhibits: list[Exhibit]
    items: list[CaseItemRow]


def case_detail(key: str) -> CaseDetail | None:
    """One case at its current version, with its items' current stems (three queries)."""
    case = db.session.scalar(select(Case).where(Case.key == key))
    if case is None:
        return None
    versions = db.session.execute(
        select(CaseVersion.number, CaseVersion.created_at, CaseVersion)
        .where(CaseVersion.case_id == case.id)
        .order_by(CaseVersion.number)
    ).all()
    current = next(v for n, _, v in versions if n == case.current_version)
    items = db.session.execute(
        select(QuestionEntry.id, CaseItem.position, CaseItem.step, QuestionEntry.uid)
        .add_columns(QuestionVersion.type)
        .add_columns(QuestionVersion.stem, QuestionEntry.status)
        .join(QuestionEntry, QuestionEntry.id == CaseItem.question_id)
        .join(
            QuestionVersion,
            (QuestionVersion.entry_id == QuestionEntry.id)
            & (QuestionVersion.number == QuestionEntry.current_version),
        )
        .where(CaseItem.case_version_id == current.id)
        .order_by(CaseItem.position)
    ).all()
    return CaseDetail(
        key=case.key,
        title=case.title,
        status=case.status.value,
        topic=case.topic.title if case.topic_id and case.topic else "",
        version=case.current_version,
        versions=[(n, at) for n, at, _ in versions],
        summary=current.summary,
        cites=list(current.cites),
        exhibits=[Exhibit.from_dict(e) for e in current.exhibits],
        items=[CaseItemRow(e, p, s, u, t, stem, st.value) for e, p, s, u, t, stem, st in items],
    )
