"""Read models for case studies in attempts: the case an item is shown in (title, step,
the exhibits its position reveals), the steps of an attempt's items, the cases a trainee may
practise. Each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from quizapp.domain.case_steps import (
    ITEMS_PER_CASE,
    MAX_CASES,
    Exhibit,
    ShownTab,
    StepMark,
    StepScore,
    revealed_tabs,
    step_scores,
    step_words,
)
from quizapp.extensions import db
from quizapp.models import (
    AttemptItem,
    Case,
    CaseAttemptItem,
    CaseStatus,
    CaseVersion,
    Response,
    Topic,
)


@dataclass(frozen=True)
class CaseContext:
    """What the question page of a case item shows above the question."""

    key: str
    title: str
    summary: str
    position: int  # 1..6 within the case
    step: str
    tabs: list[ShownTab]
    items: int = ITEMS_PER_CASE

    @property
    def step_words(self) -> str:
        return step_words(self.step)

    @property
    def new_tabs(self) -> list[str]:
        return [t.tab for t in self.tabs if t.updated]


def case_context(attempt_item_id: int) -> CaseContext | None:
    """The case the attempt item is shown in, as it was when the attempt started (one query)."""
    row = db.session.execute(
        select(CaseAttemptItem.position, CaseAttemptItem.step, CaseVersion, Case.key, Case.title)
        .join(CaseVersion, CaseVersion.id == CaseAttemptItem.case_version_id)
        .join(Case, Case.id == CaseVersion.case_id)
        .where(CaseAttemptItem.attempt_item_id == attempt_item_id)
    ).first()
    if row is None:
        return None
    position, step, version, key, title = row
    exhibits = [Exhibit.from_dict(e) for e in version.exhibits]
    return CaseContext(
        key, title, version.summary, position, step, revealed_tabs(exhibits, position)
    )


@dataclass(frozen=True)
class AttemptCases:
    """An attempt's case items: the score per step, and which attempt items they are."""

    steps: list[StepScore]
    item_ids: frozenset[int]


def attempt_cases(attempt_id: int) -> AttemptCases:
    """The attempt's case items (one query); empty when the attempt has none."""
    rows = db.session.execute(
        select(CaseAttemptItem.attempt_item_id, CaseAttemptItem.step)
        .add_columns(Response.mark, AttemptItem.max_mark)
        .join(AttemptItem, AttemptItem.id == CaseAttemptItem.attempt_item_id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(CaseAttemptItem.attempt_id == attempt_id)
    ).all()
    return AttemptCases(
        steps=step_scores(StepMark(step, mark, top) for _, step, mark, top in rows),
        item_ids=frozenset(item_id for item_id, *_ in rows),
    )


@dataclass(frozen=True)
class CaseRow:
    key: str
    title: str
    topic: str
    summary: str


def published_cases() -> list[CaseRow]:
    """The published case studies with their current summary, by title (one query)."""
    rows = db.session.execute(
        select(Case.key, Case.title, Topic.title, CaseVersion.summary)
        .join(
            CaseVersion,
            (CaseVersion.case_id == Case.id) & (CaseVersion.number == Case.current_version),
        )
        .outerjoin(Topic, Topic.id == Case.topic_id)
        .where(Case.status == CaseStatus.PUBLISHED)
        .order_by(Case.title)
    ).all()
    return [CaseRow(key, title, topic or "", summary) for key, title, topic, summary in rows]


def case_choice_error(keys: list[str]) -> str:
    """The quiz builder's message for case keys that are no published case ("" if none)."""
    if not keys:
        return ""
    if len(keys) > MAX_CASES:
        return f"A quiz holds at most {MAX_CASES} case studies."
    known = set(
        db.session.scalars(
            select(Case.key).where(Case.key.in_(keys), Case.status == CaseStatus.PUBLISHED)
        )
    )
    missing = [k for k in keys if k not in known]
    return ("These are no published case study: " + ", ".join(missing) + ".") if missing else ""
