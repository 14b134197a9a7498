"""Questions as versioned entries.

An entry is the stable thing an author talks about ("iv-004"); each edit appends an immutable
version, and attempts point at the exact version they showed, so nothing a trainee saw ever
changes under them.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    event,
)
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from quizapp.domain.search_text import searchable
from quizapp.models.base import Base, UTCDateTime, str_enum, utcnow
from quizapp.models.content import SourceSection, Topic


class QuestionStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class QuestionEntry(Base):
    __tablename__ = "question_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[QuestionStatus] = mapped_column(
        str_enum(QuestionStatus, "question_status"),
        default=QuestionStatus.DRAFT,
        index=True,
    )
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    # Set when a section this question cites changed after the question was written; cleared
    # when an instructor confirms or edits the question.
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    # Kept for quizzes: never drawn into practice, where tutor feedback would reveal it.
    exam_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # Items that give each other away never share a quiz: at most one of a family is drawn,
    # and never an item with one it excludes (uids, already made symmetric by the loader).
    family: Mapped[str | None] = mapped_column(String(100))
    excludes: Mapped[list[str] | None] = mapped_column(JSON)
    # Hash of the bank-file entry as last loaded: `bank load` changes the question only when
    # its file entry changed since, so edits made in the app are not undone by a reload.
    loaded_hash: Mapped[str | None] = mapped_column(String(64))
    # The question's name (title) in the file it was imported from (Moodle's <name>, GIFT's
    # ::name::), and the category it stood in there: kept so that an export writes them back.
    name: Mapped[str | None] = mapped_column(String(255))
    source_category: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    topic: Mapped[Topic | None] = relationship()
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="entry", order_by="QuestionVersion.number", cascade="all, delete-orphan"
    )
    current: Mapped[QuestionVersion] = relationship(
        primaryjoin=lambda: and_(
            foreign(QuestionVersion.entry_id) == QuestionEntry.id,
            QuestionVersion.number == QuestionEntry.current_version,
        ),
        viewonly=True,
        uselist=False,
    )


class QuestionVersion(Base):
    __tablename__ = "question_versions"
    __table_args__ = (
        UniqueConstraint("entry_id", "number"),
        CheckConstraint("difficulty BETWEEN 1 AND 3", name="difficulty_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("question_entries.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(30))
    stem: Mapped[str] = mapped_column(Text)
    # The type's own answer data (choices with correctness and per-choice feedback, pairs,
    # value and tolerance...), in the canonical form the domain type normalises to.
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    rationale: Mapped[str] = mapped_column(Text)
    difficulty: Mapped[int] = mapped_column(Integer, default=2)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # sha256 of the authored content; a bank load compares it to decide on a new version.
    content_hash: Mapped[str] = mapped_column(String(64))
    change_note: Mapped[str] = mapped_column(String(300), default="")
    # Stem, rationale, tags and answer-data texts in lower case, for the question list search
    # (kept up to date by the listener below, whoever writes the version).
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Set once the version was published: it is then never changed in place (a draft's own
    # unpublished version is, by each draft save).
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    entry: Mapped[QuestionEntry] = relationship(back_populates="versions")
    citations: Mapped[list[Citation]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Citation.id"
    )


class Citation(Base):
    """A version cites a section, remembering the section's hash when the version was written."""

    __tablename__ = "citations"
    __table_args__ = (UniqueConstraint("version_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("question_versions.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(
        ForeignKey("source_sections.id", ondelete="RESTRICT"), index=True
    )
    section_hash: Mapped[str] = mapped_column(String(64))

    version: Mapped[QuestionVersion] = relationship(back_populates="citations")
    section: Mapped[SourceSection] = relationship()


@event.listens_for(QuestionVersion, "before_insert")
@event.listens_for(QuestionVersion, "before_update")
def _write_search_text(mapper: Any, connection: Any, version: QuestionVersion) -> None:
    version.search_text = searchable(version.stem, version.rationale, version.tags, version.data)
