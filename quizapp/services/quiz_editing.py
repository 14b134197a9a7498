"""Changing a quiz after it was saved: its settings and selection (a new quiz version once
attempts exist), closing and reopening it, archiving, duplicating and deleting it.

What a change does to attempts already made (the quiz form says the same):
- The selection: while no attempt of the current version exists it is changed in place; after
  that a change makes a new quiz version. New attempts draw from it; started and finished
  attempts keep the questions they were given (frozen at start), and the item statistics are
  kept per version.
- Pass mark, mode, time limit and review settings: attempts copy them at start, so a change
  applies to attempts started afterwards; results already given stand.
- Attempts allowed: applies at once to further starts (nobody's attempts are taken away).
- Grading (highest or last attempt): the grade shown is worked out from the attempts, so it
  applies to everyone's grade at once; pass/fail of each attempt stands.
- Closing: no new attempt can start; an attempt already started can still be finished until
  its own deadline (its time limit, or the close date it was started under).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from quizapp.database import unit_of_work
from quizapp.extensions import db
from quizapp.models import Attempt, Quiz, QuizAssignment, utcnow
from quizapp.services import audit
from quizapp.services.errors import Conflict, InvalidInput, NotFound
from quizapp.services.quizzes import check_settings, validate_selection

TITLE_MAX = 200


@dataclass(frozen=True)
class QuizSettings:
    """Everything about a quiz but its selection and assignments."""

    title: str
    description: str = ""
    mode: str = "exam"
    time_limit_minutes: int | None = None
    pass_mark: float = 80.0
    attempts_allowed: int | None = None
    grading: str = "highest"
    review_shows: str = "full"
    review_when: str = "immediately"
    open_at: datetime | None = None
    close_at: datetime | None = None
    is_competency: bool = False
    validity_months: int | None = None
    reminders: bool = True  # e-mail reminders about this quiz (issue 18)

    @classmethod
    def of(cls, quiz: Quiz) -> QuizSettings:
        return cls(**{f.name: getattr(quiz, f.name) for f in fields(cls)})


def _locked(quiz_id: int) -> Quiz:
    """The quiz, its row locked until the command commits (a start holds a shared lock)."""
    quiz = db.session.scalar(
        select(Quiz)
        .where(Quiz.id == quiz_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if quiz is None:
        raise NotFound("No such quiz.")
    return quiz


def attempts_of(quiz_id: int, quiz_version: int | None = None) -> int:
    query = select(func.count()).select_from(Attempt).where(Attempt.quiz_id == quiz_id)
    if quiz_version is not None:
        # an attempt without a recorded version (made before versions existed) is version 1
        query = query.where(func.coalesce(Attempt.quiz_version, 1) == quiz_version)
    return db.session.scalar(query) or 0


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def update_quiz(
    quiz_id: int,
    settings: QuizSettings,
    selection: dict[str, Any],
    *,
    actor_id: int | None,
) -> Quiz:
    """Save the quiz's settings and selection; a new version when the selection changes after
    attempts of the current version exist. One audit row for the settings changed, one for a
    changed selection."""
    check_settings(settings)
    with unit_of_work():
        quiz = _locked(quiz_id)
        chosen = validate_selection(selection)
        before = QuizSettings.of(quiz)
        if not settings.is_competency:
            settings = QuizSettings(**{**settings.__dict__, "validity_months": None})
        changed = {
            f.name: [_plain(getattr(before, f.name)), _plain(getattr(settings, f.name))]
            for f in fields(QuizSettings)
            if getattr(before, f.name) != getattr(settings, f.name)
        }
        for name in changed:
            setattr(quiz, name, getattr(settings, name))
        if changed:
            audit.record(
                "quiz.edited",
                actor_id=actor_id,
                object_type="quiz",
                object_key=str(quiz.id),
                changed=changed,
            )
        if chosen != quiz.selection:
            _change_selection(quiz, chosen, actor_id)
    return quiz


def _change_selection(quiz: Quiz, chosen: dict[str, Any], actor_id: int | None) -> None:
    used = attempts_of(quiz.id, quiz.version)
    old = quiz.selection
    if used:
        quiz.earlier_selections = [
            *quiz.earlier_selections,
            {"version": quiz.version, "selection": old, "until": utcnow().isoformat()},
        ]
        quiz.version += 1
    quiz.selection = chosen
    audit.record(
        "quiz.selection_changed",
        actor_id=actor_id,
        object_type="quiz",
        object_key=str(quiz.id),
        before=old,
        after=chosen,
        version=quiz.version,
        new_version=bool(used),
    )


def close_quiz(quiz_id: int, *, actor_id: int | None, now: datetime | None = None) -> Quiz:
    """Close now: no new attempt starts; started ones run to their own deadline."""
    now = now or utcnow()
    with unit_of_work():
        quiz = _locked(quiz_id)
        if quiz.close_at is not None and quiz.close_at <= now:
            raise Conflict("This quiz is already closed.")
        before = _plain(quiz.close_at)
        quiz.close_at = now
        audit.record(
            "quiz.closed",
            actor_id=actor_id,
            object_type="quiz",
            object_key=str(quiz.id),
            close_at=[before, now.isoformat()],
        )
    return quiz


def reopen_quiz(
    quiz_id: int,
    close_at: datetime | None,
    *,
    actor_id: int | None,
    now: datetime | None = None,
) -> Quiz:
    """Reopen: no close date, or a new one in the future."""
    now = now or utcnow()
    if close_at is not None and close_at <= now:
        raise InvalidInput("The new close date must be in the future.")
    with unit_of_work():
        quiz = _locked(quiz_id)
        if quiz.open_at is not None and close_at is not None and close_at <= quiz.open_at:
            raise InvalidInput("The quiz must close after it opens.")
        before = _plain(quiz.close_at)
        quiz.close_at = close_at
        audit.record(
            "quiz.reopened",
            actor_id=actor_id,
            object_type="quiz",
            object_key=str(quiz.id),
            close_at=[before, _plain(close_at)],
        )
    return quiz


def set_archived(quiz_id: int, archived: bool, *, actor_id: int | None) -> Quiz:
    """Archive (hidden from trainees and the default quiz list, kept for the records) or
    bring back."""
    with unit_of_work():
        quiz = _locked(quiz_id)
        if (quiz.archived_at is not None) == archived:
            raise Conflict("This quiz is already archived." if archived else "Not archived.")
        quiz.archived_at = utcnow() if archived else None
        audit.record(
            "quiz.archived" if archived else "quiz.unarchived",
            actor_id=actor_id,
            object_type="quiz",
            object_key=str(quiz.id),
        )
    return quiz


def duplicate_quiz(quiz_id: int, *, actor_id: int | None) -> Quiz:
    """A copy with the same settings and selection, assigned to nobody, without attempts."""
    with unit_of_work():
        source = db.session.get(Quiz, quiz_id)
        if source is None:
            raise NotFound("No such quiz.")
        settings = QuizSettings.of(source).__dict__
        copy = Quiz(
            **{**settings, "title": f"Copy of {source.title}"[:TITLE_MAX]},
            selection=dict(source.selection),
            published=source.published,
            created_by_id=actor_id,
        )
        db.session.add(copy)
        db.session.flush()
        audit.record(
            "quiz.duplicated",
            actor_id=actor_id,
            object_type="quiz",
            object_key=str(copy.id),
            source=source.id,
        )
    return copy


def delete_quiz(quiz_id: int, *, actor_id: int | None) -> str:
    """Delete a quiz nobody has attempted (else archive it); returns its title."""
    with unit_of_work():
        quiz = _locked(quiz_id)
        used = attempts_of(quiz_id)
        if used:
            raise Conflict(
                f"This quiz has {used} attempt(s), which are kept for the records, so it "
                "cannot be deleted. Archive it instead: trainees no longer see it."
            )
        title = quiz.title
        db.session.execute(delete(QuizAssignment).where(QuizAssignment.quiz_id == quiz_id))
        db.session.delete(quiz)
        audit.record(
            "quiz.deleted",
            actor_id=actor_id,
            object_type="quiz",
            object_key=str(quiz_id),
            title=title,
        )
    return title
