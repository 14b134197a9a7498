"""Unfolding case studies as versioned entries, like questions.

A case is the stable thing an author talks about ("case-iv-vesicant"); each change to its
summary, exhibits, citations or item list appends an immutable version. A version lists its six
items in order, each an ordinary question with its clinical-judgment step. An attempt item
taken as part of a case remembers the case version and step it was shown under
(`CaseAttemptItem`), so results never change when a case is edited later.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.models.attempts import Attempt, AttemptItem
from quizapp.models.base import Base, UTCDateTime, str_enum, utcnow
from quizapp.models.content import Topic
from quizapp.models.questions import QuestionEntry


class CaseStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[CaseStatus] = mapped_column(
        str_enum(CaseStatus, "case_status"), default=CaseStatus.DRAFT, index=True
    )
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    # Hash of the case's file entry as last loaded (as question_entries.loaded_hash).
    loaded_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    topic: Mapped[Topic | None] = relationship()
    versions: Mapped[list[CaseVersion]] = relationship(
        back_populates="case", order_by="CaseVersion.number", cascade="all, delete-orphan"
    )


class CaseVersion(Base):
    __tablename__ = "case_versions"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    # [{"id", "tab", "from_item", "text" | "table": {"columns", "rows"}}], in file order.
    exhibits: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    cites: Mapped[list[str]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="versions")
    items: Mapped[list[CaseItem]] = relationship(
        back_populates="case_version", order_by="CaseItem.position", cascade="all, delete-orphan"
    )


class CaseItem(Base):
    """Item `position` (1..6) of a case version: a question and its clinical-judgment step."""

    __tablename__ = "case_items"
    __table_args__ = (
        UniqueConstraint("case_version_id", "position"),
        UniqueConstraint("case_version_id", "question_id"),
        CheckConstraint("position BETWEEN 1 AND 6", name="position_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_version_id: Mapped[int] = mapped_column(
        ForeignKey("case_versions.id", ondelete="CASCADE"), index=True
    )
    # The case again, so "a question belongs to at most one case" is one indexed lookup.
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(30))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question_entries.id", ondelete="RESTRICT"), index=True
    )

    case_version: Mapped[CaseVersion] = relationship(back_populates="items")
    case: Mapped[Case] = relationship()
    question: Mapped[QuestionEntry] = relationship()


class CaseAttemptItem(Base):
    """An attempt item shown as item `position` of a case version, under step `step`."""

    __tablename__ = "case_attempt_items"

    attempt_item_id: Mapped[int] = mapped_column(
        ForeignKey("attempt_items.id", ondelete="CASCADE"), primary_key=True
    )
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), index=True
    )
    case_version_id: Mapped[int] = mapped_column(
        ForeignKey("case_versions.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(30), index=True)

    case_version: Mapped[CaseVersion] = relationship()
    attempt_item: Mapped[AttemptItem] = relationship()
    attempt: Mapped[Attempt] = relationship()
