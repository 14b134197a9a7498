"""The source documents questions cite, and the banks and topics questions are filed under."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.models.base import Base, UTCDateTime, utcnow


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str] = mapped_column(String(200), default="")
    year: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(String(500), default="")
    revision: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # A licence such as CC BY requires its attribution on every page showing the source.
    licence: Mapped[str] = mapped_column(String(100), default="")
    attribution: Mapped[str] = mapped_column(Text, default="")
    # "external" (a published work) or "own" (the project's own restatement).
    kind: Mapped[str] = mapped_column(String(20), default="external")
    # "warning": sections under their minimum are reported by `bank coverage` but do not fail it.
    coverage_minimums: Mapped[str] = mapped_column(String(20), default="enforced")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    sections: Mapped[list[SourceSection]] = relationship(
        back_populates="source", order_by="SourceSection.position", cascade="all, delete-orphan"
    )


class SourceSection(Base):
    """One section of a source, under a stable key such as `complications/epidural`.

    `key_points` restate the section in our own words; `content_hash` changes whenever the
    heading, key points, erratum or cautions change, which is how stale questions are found.
    """

    __tablename__ = "source_sections"
    __table_args__ = (UniqueConstraint("source_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    heading: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer)
    # "content" sections need full question coverage; "framing" ones (overview, summary,
    # closing) need at least one question.
    kind: Mapped[str] = mapped_column(String(20), default="content")
    key_points: Mapped[list[str]] = mapped_column(JSON, default=list)
    erratum: Mapped[str] = mapped_column(Text, default="")
    # How well the source's stored pages covered the section: "" (no mark), good, partial, thin
    # or not-covered; what was missing; current-practice cautions that take precedence over
    # the source (they count as content, like key points); the source's pages for the section.
    coverage: Mapped[str] = mapped_column(String(20), default="")
    coverage_note: Mapped[str] = mapped_column(Text, default="")
    not_covered: Mapped[str] = mapped_column(Text, default="")
    cautions: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(64))
    # The hash as last loaded from the outline file (None for sections made in the app).
    loaded_hash: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    source: Mapped[Source] = relationship(back_populates="sections")


class SectionRevision(Base):
    """A section's text as it was before an edit, under the hash citations remember: the
    review queue shows it beside today's text."""

    __tablename__ = "section_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("source_sections.id", ondelete="CASCADE"), index=True
    )
    content_hash: Mapped[str] = mapped_column(String(64))
    heading: Mapped[str] = mapped_column(String(300))
    key_points: Mapped[list[str]] = mapped_column(JSON, default=list)
    erratum: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Bank(Base):
    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(50), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    topics: Mapped[list[Topic]] = relationship(
        back_populates="bank", order_by="Topic.position", cascade="all, delete-orphan"
    )


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # A secure pool: none of the topic's questions is drawn into practice, only into quizzes.
    exam_only: Mapped[bool] = mapped_column(Boolean, default=False)

    bank: Mapped[Bank] = relationship(back_populates="topics")

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "bank": self.bank.key}
