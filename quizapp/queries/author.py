"""Authoring pages' reads: a question's versions, the quiz list and a quiz with its units."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from quizapp.domain.types import Described, get_type
from quizapp.domain.version_diff import VersionText, fields_of
from quizapp.extensions import db
from quizapp.models import (
    Citation,
    QuestionVersion,
    Quiz,
    QuizAssignment,
    Source,
    SourceSection,
)


def versions_of(entry_id: int) -> list[QuestionVersion]:
    """Every version of a question, newest first, with its citations' sections loaded."""
    return list(
        db.session.scalars(
            select(QuestionVersion)
            .where(QuestionVersion.entry_id == entry_id)
            .options(selectinload(QuestionVersion.citations).selectinload(Citation.section))
            .order_by(QuestionVersion.number.desc())
        )
    )


def version_fields(version: QuestionVersion, topic: str | None) -> list[Described]:
    """A version field by field in plain words (the question page's key, the diff's input).
    The topic is the entry's: versions do not keep one of their own."""
    text = VersionText(
        stem=version.stem,
        rationale=version.rationale,
        citations=sorted(c.section.key for c in version.citations),
        tags=list(version.tags),
        topic=topic or "",
        difficulty=version.difficulty,
    )
    return fields_of(text, get_type(version.type).describe(version.data))


def quizzes_with_units() -> list[Quiz]:
    """Every quiz, newest first, with its assignments and their units loaded (one query each)."""
    return list(
        db.session.scalars(
            select(Quiz)
            .options(selectinload(Quiz.assignments).selectinload(QuizAssignment.unit))
            .order_by(Quiz.id.desc())
        )
    )


def quiz_with_units(quiz_id: int) -> Select[Quiz]:
    """One quiz with its assignments and units; for `db.one_or_404`."""
    return (
        select(Quiz)
        .where(Quiz.id == quiz_id)
        .options(selectinload(Quiz.assignments).selectinload(QuizAssignment.unit))
    )


@dataclass(frozen=True)
class SourceSections:
    title: str
    sections: list[tuple[str, str]]  # key, heading


def sections_by_source() -> list[SourceSections]:
    """Every section under its source, in the sources' order (the cited-sections checkboxes)."""
    rows = db.session.execute(
        select(Source.title, SourceSection.key, SourceSection.heading)
        .join(Source, Source.id == SourceSection.source_id)
        .order_by(Source.title, Source.id, SourceSection.position)
    )
    grouped: dict[str, list[tuple[str, str]]] = {}
    for title, key, heading in rows:
        grouped.setdefault(title, []).append((key, heading))
    return [SourceSections(title, sections) for title, sections in grouped.items()]
