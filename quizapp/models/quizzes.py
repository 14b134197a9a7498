"""Quizzes an instructor builds and assigns to units, and the per-topic score records that
submitted attempts keep up to date (so dashboards never scan raw answers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.models.base import Base, UTCDateTime, utcnow
from quizapp.models.content import Topic
from quizapp.models.users import Unit


class Quiz(Base):
    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[str] = mapped_column(String(10), default="exam")  # tutor | exam
    # {"per_topic": {"routes/intravenous": 5, ...}} or {"fixed": ["iv-001", ...]}
    selection: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    pass_mark: Mapped[float] = mapped_column(Float, default=80.0)  # percent
    attempts_allowed: Mapped[int | None] = mapped_column(Integer)  # None: unlimited
    grading: Mapped[str] = mapped_column(String(10), default="highest")  # highest | last
    # What the review shows ("score", "answers", "full") and when ("immediately", "after_close")
    review_shows: Mapped[str] = mapped_column(String(10), default="full")
    review_when: Mapped[str] = mapped_column(String(15), default="immediately")
    open_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    close_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    # A competency check: passing it records a competency in each of its topics, valid for
    # `validity_months`.
    is_competency: Mapped[bool] = mapped_column(Boolean, default=False)
    validity_months: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Bumped when the question selection changes after attempts exist: each attempt records
    # the version it was built from, and item statistics are kept per version.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The selections earlier versions used: [{"version": n, "selection": {...}, "until": iso}].
    earlier_selections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Archived: hidden from trainees and from the default quiz list, kept for the records.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # E-mail reminders (due soon, overdue, competency expiring) for this quiz; issue 18.
    reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    assignments: Mapped[list[QuizAssignment]] = relationship(
        back_populates="quiz", cascade="all, delete-orphan"
    )


class QuizAssignment(Base):
    __tablename__ = "quiz_assignments"
    __table_args__ = (UniqueConstraint("quiz_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    quiz: Mapped[Quiz] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship()


class TopicScore(Base):
    """One trainee's running record in one topic, updated when an attempt is submitted."""

    __tablename__ = "topic_scores"
    __table_args__ = (UniqueConstraint("user_id", "topic_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    marks: Mapped[float] = mapped_column(Float, default=0.0)
    # The latest marks, oldest first, at most the mastery window long.
    recent: Mapped[list[float]] = mapped_column(JSON, default=list)
    recent_score: Mapped[float] = mapped_column(Float, default=0.0)  # percent over `recent`
    mastered: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    topic: Mapped[Topic] = relationship()

    @property
    def score(self) -> float:
        """Percent over every answer in the topic."""
        return 100.0 * self.marks / self.answered if self.answered else 0.0


class Competency(Base):
    """A trainee passed a competency check in a topic; valid until `expires_at`."""

    __tablename__ = "competencies"
    __table_args__ = (UniqueConstraint("attempt_id", "topic_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quizzes.id", ondelete="SET NULL"))
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    achieved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ItemSums(Base):
    """Running sums for a quiz's item analysis, kept up to date by each submission.

    `key` is "quiz" (sums of attempt totals), "slot:<position>" or "version:<id>", each kept
    per quiz version (`quiz_version`), so slots of two different selections never mix.
    """

    __tablename__ = "item_sums"
    __table_args__ = (UniqueConstraint("quiz_id", "quiz_version", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    quiz_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    key: Mapped[str] = mapped_column(String(40))
    n: Mapped[int] = mapped_column(Integer, default=0)
    sx: Mapped[float] = mapped_column(Float, default=0.0)
    sxx: Mapped[float] = mapped_column(Float, default=0.0)
    sxt: Mapped[float] = mapped_column(Float, default=0.0)
    st: Mapped[float] = mapped_column(Float, default=0.0)
    stt: Mapped[float] = mapped_column(Float, default=0.0)
    st3: Mapped[float] = mapped_column(Float, default=0.0)
    st4: Mapped[float] = mapped_column(Float, default=0.0)
    max_mark: Mapped[float] = mapped_column(Float, default=1.0)
    x_hist: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    rest_hist: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    choices: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
