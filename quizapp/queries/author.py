"""Authoring pages' reads: a question's versions, the quiz list and a quiz with its units."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from quizapp.extensions import db
from quizapp.models import QuestionVersion, Quiz, QuizAssignment


def versions_of(entry_id: int) -> list[QuestionVersion]:
    """Every version of a question, newest first."""
    return list(
        db.session.scalars(
            select(QuestionVersion)
            .where(QuestionVersion.entry_id == entry_id)
            .order_by(QuestionVersion.number.desc())
        )
    )


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
