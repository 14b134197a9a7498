"""Coverage of source sections by published questions, aggregated in SQL."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Subquery, func, select

from quizapp.domain.coverage import Coverage, SectionRow, build_coverage
from quizapp.extensions import db
from quizapp.models import (
    Citation,
    QuestionEntry,
    QuestionStatus,
    QuestionVersion,
    Source,
    SourceSection,
)
from quizapp.queries.case_lists import published_case_count


def _current_published() -> Subquery:
    return (
        select(QuestionVersion.id, QuestionVersion.type)
        .join(
            QuestionEntry,
            (QuestionEntry.id == QuestionVersion.entry_id)
            & (QuestionEntry.current_version == QuestionVersion.number),
        )
        .where(QuestionEntry.status == QuestionStatus.PUBLISHED)
        .subquery()
    )


def source_coverage(source_slug: str | None = None) -> Coverage:
    """Per section of one source (or all sources), published questions by type. Four queries."""
    current = _current_published()
    section_query = select(
        SourceSection.key,
        SourceSection.heading,
        SourceSection.kind,
        SourceSection.coverage,
        Source.kind,
        Source.coverage_minimums,
    ).join(Source)
    citation_query = (
        select(SourceSection.key, current.c.type, func.count(func.distinct(current.c.id)))
        .join(Citation, Citation.section_id == SourceSection.id)
        .join(current, current.c.id == Citation.version_id)
        .join(Source, Source.id == SourceSection.source_id)
        .group_by(SourceSection.key, current.c.type)
    )
    if source_slug:
        section_query = section_query.where(Source.slug == source_slug)
        citation_query = citation_query.where(Source.slug == source_slug)
    sections = db.session.execute(section_query.order_by(Source.id, SourceSection.position)).all()
    citations = db.session.execute(citation_query).all()
    totals = db.session.execute(select(current.c.type, func.count()).group_by(current.c.type)).all()
    coverage = build_coverage(
        [SectionRow(*r) for r in sections],
        [tuple(r) for r in citations],
        [tuple(r) for r in totals],
    )
    return replace(coverage, cases=published_case_count())
