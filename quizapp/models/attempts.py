"""Attempts at a quiz, frozen at start: which question versions, in which order, with which
choice order, and the responses given to them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.domain.counting import counts_per_answer
from quizapp.models.base import Base, UTCDateTime, str_enum, utcnow
from quizapp.models.questions import QuestionVersion
from quizapp.models.quizzes import Quiz
from quizapp.models.users import User


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    # An unfinished practice the trainee threw away (services/practice.py): it takes no
    # answers, is no longer listed, and its answers count only if they already had.
    DISCARDED = "discarded"


class Attempt(Base):
    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "number"),
        UniqueConstraint("user_id", "start_token"),
        UniqueConstraint("quiz_id", "user_id", "quiz_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[int | None] = mapped_column(
        ForeignKey("quizzes.id", ondelete="SET NULL"), index=True
    )
    # A random token carried by the start form: a double click posts it twice and gets the
    # same attempt back instead of two.
    start_token: Mapped[str | None] = mapped_column(String(64))
    # Each trainee's attempts are numbered 1, 2, 3...; the unique key makes a double start
    # produce one attempt, not two.
    number: Mapped[int] = mapped_column(Integer)
    # An assigned quiz's attempts are also numbered 1, 2, 3... per trainee (NULL for practice);
    # the unique key means two starts at once cannot both take attempt 1 of a one-attempt quiz.
    quiz_number: Mapped[int | None] = mapped_column(Integer)
    # The quiz version (quizzes.version) the attempt's questions were drawn from (NULL: practice).
    quiz_version: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="practice")  # practice | assigned
    mode: Mapped[str] = mapped_column(String(10), default="tutor")  # tutor | exam
    status: Mapped[AttemptStatus] = mapped_column(
        str_enum(AttemptStatus, "attempt_status"),
        default=AttemptStatus.IN_PROGRESS,
        index=True,
    )
    # Bumped by every accepted answer; a page carries the value it was rendered with, and a
    # post carrying an older one (a stale tab, a double click) is refused.
    seq: Mapped[int] = mapped_column(Integer, default=0)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[float | None] = mapped_column(Float)  # marks obtained
    max_score: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    auto_submitted: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship()
    quiz: Mapped[Quiz | None] = relationship()

    @property
    def counts_per_answer(self) -> bool:
        """Tutor practice: each checked answer is counted at once, and it is "ended"."""
        return counts_per_answer(self.kind, self.mode)

    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )


class AttemptItem(Base):
    __tablename__ = "attempt_items"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        UniqueConstraint("attempt_id", "version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("question_versions.id", ondelete="RESTRICT"), index=True
    )
    # The topic the question was filed under when the attempt started (scores go there).
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    # The order choices (or matching options) were shown in, as a list of their ids.
    choice_order: Mapped[list[str]] = mapped_column(JSON, default=list)
    max_mark: Mapped[float] = mapped_column(Float, default=1.0)
    # Study aids the trainee set while answering: "come back to this one", and the choice ids
    # struck out (a list, checked against the item's choices; None when nothing was struck).
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    struck: Mapped[list[str] | None] = mapped_column(JSON)

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    version: Mapped[QuestionVersion] = relationship()
    response: Mapped[Response | None] = relationship(
        back_populates="item", uselist=False, cascade="all, delete-orphan"
    )


class Response(Base):
    """The answer given to one item; one per item, so a repeated post cannot count twice."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("attempt_items.id", ondelete="CASCADE"))
    answer: Mapped[Any] = mapped_column(JSON)
    mark: Mapped[float | None] = mapped_column(Float)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[AttemptItem] = relationship(back_populates="response")
