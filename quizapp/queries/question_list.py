"""The instructor's question list: filters, search (stem, choices, feedback, rationale, tags,
name and id), sort and pages, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, exists, select

from quizapp.models import (
    Bank,
    Citation,
    QuestionEntry,
    QuestionStatus,
    QuestionVersion,
    SourceSection,
    Topic,
)
from quizapp.queries.pagination import page_of

PER_PAGE = 25


@dataclass
class QuestionFilters:
    bank: str = ""
    topic: str = ""
    section: str = ""
    status: str = ""
    type: str = ""
    needs_review: bool = False
    q: str = ""
    sort: str = "changed_desc"

    @classmethod
    def from_args(cls, args: Any) -> QuestionFilters:
        return cls(
            bank=args.get("bank", ""),
            topic=args.get("topic", ""),
            section=args.get("section", ""),
            status=args.get("status", ""),
            type=args.get("type", ""),
            needs_review=args.get("needs_review") in ("1", "on", "true"),
            q=args.get("q", "").strip()[:200],
            sort=args.get("sort", "changed_desc"),
        )

    def as_args(self) -> dict[str, str]:
        values = {k: v for k, v in vars(self).items() if v and k != "needs_review"}
        if self.needs_review:
            values["needs_review"] = "1"
        return values


def filtered_query(f: QuestionFilters) -> Select:
    current = (QuestionVersion.entry_id == QuestionEntry.id) & (
        QuestionVersion.number == QuestionEntry.current_version
    )
    query = (
        select(QuestionEntry, QuestionVersion, Topic)
        .join(QuestionVersion, current)
        .outerjoin(Topic, Topic.id == QuestionEntry.topic_id)
    )
    if f.bank:
        query = query.join(Bank, Bank.id == Topic.bank_id).where(Bank.key == f.bank)
    if f.topic == "none":
        query = query.where(QuestionEntry.topic_id.is_(None))
    elif f.topic:
        query = query.where(Topic.key == f.topic)
    if f.section:
        query = query.where(
            exists()
            .where(Citation.version_id == QuestionVersion.id)
            .where(Citation.section_id == SourceSection.id)
            .where(SourceSection.key == f.section)
        )
    if f.status in {s.value for s in QuestionStatus}:
        query = query.where(QuestionEntry.status == QuestionStatus(f.status))
    if f.type:
        query = query.where(QuestionVersion.type == f.type)
    if f.needs_review:
        query = query.where(QuestionEntry.needs_review.is_(True))
    if f.q:
        # The version's search text holds the stem, choices, feedback, rationale and tags.
        like = f"%{f.q.casefold().replace('%', '').replace('_', '')}%"
        query = query.where(
            QuestionVersion.search_text.like(like)
            | QuestionEntry.uid.ilike(like)
            | QuestionEntry.name.ilike(like)
        )
    order = (
        QuestionEntry.updated_at.asc()
        if f.sort == "changed_asc"
        else QuestionEntry.updated_at.desc()
    )
    return query.order_by(order, QuestionEntry.id.desc())


def question_page(f: QuestionFilters, page: int) -> Pagination:
    """One page of rows (entry, current version, topic); two queries whatever the page."""
    return page_of(filtered_query(f), page, PER_PAGE, rows=True)
