"""Creating and assigning quizzes (the instructor's builder calls these)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select

from quizapp.database import require_unit_of_work, unit_of_work
from quizapp.extensions import db
from quizapp.models import QuestionEntry, Quiz, QuizAssignment, Topic, Unit
from quizapp.services import audit
from quizapp.services.case_selection import case_item_refusal, validate_cases
from quizapp.services.errors import InvalidInput
from quizapp.services.reminders import queue_assignment_made

MODES = ("tutor", "exam")
GRADING = ("highest", "last")
REVIEW_SHOWS = ("score", "answers", "full")
REVIEW_WHEN = ("immediately", "after_close", "never")
TUTOR_NEVER = (
    'A tutor quiz shows the answer after each question, so its review cannot be "never". '
    "Choose exam mode, or let the review be seen."
)


def validate_selection(selection: dict[str, Any]) -> dict[str, Any]:
    """{"per_topic": {key: n}} with known topics and n >= 1, or {"fixed": [uid, ...]}; either
    may add {"cases": [key, ...]} of published case studies, or hold only those."""
    cases = validate_cases(selection.get("cases") or [])
    if cases and not selection.get("fixed") and not selection.get("per_topic"):
        return cases
    return _questions_part(selection) | cases


def _questions_part(selection: dict[str, Any]) -> dict[str, Any]:
    if "fixed" in selection:
        uids = [str(u) for u in selection["fixed"]]
        if not uids:
            raise InvalidInput("Pick at least one question.")
        known = set(
            db.session.scalars(select(QuestionEntry.uid).where(QuestionEntry.uid.in_(uids)))
        )
        missing = [u for u in uids if u not in known]
        if missing:
            raise InvalidInput(f"Unknown question ids: {', '.join(missing)}.")
        if refusal := case_item_refusal(uids):
            raise InvalidInput(refusal)
        return {"fixed": uids}
    per_topic = {
        str(k): int(v) for k, v in (selection.get("per_topic") or {}).items() if int(v) > 0
    }
    if not per_topic:
        raise InvalidInput("Ask for at least one question from at least one topic.")
    known = set(db.session.scalars(select(Topic.key).where(Topic.key.in_(per_topic))))
    missing = [k for k in per_topic if k not in known]
    if missing:
        raise InvalidInput(f"Unknown topics: {', '.join(missing)}.")
    return {"per_topic": per_topic}


def fixed_list_clashes(uids: list[str]) -> list[str]:
    """Pairs of a fixed list that give each other away (one family, or one excluding the
    other), as sentences for a warning: the instructor chose them, so they are not refused."""
    rows = db.session.execute(
        select(QuestionEntry.uid, QuestionEntry.family, QuestionEntry.excludes).where(
            QuestionEntry.uid.in_(uids)
        )
    ).all()
    clashes = []
    for i, (uid, family, excludes) in enumerate(rows):
        for other, other_family, other_excludes in rows[i + 1 :]:
            if family and family == other_family:
                clashes.append(f"{uid} and {other} are in one family ({family})")
            elif other in (excludes or ()) or uid in (other_excludes or ()):
                clashes.append(f"{uid} and {other} give each other away")
    return clashes


def create_quiz(
    title: str,
    selection: dict[str, Any],
    *,
    description: str = "",
    mode: str = "exam",
    time_limit_minutes: int | None = None,
    pass_mark: float = 80.0,
    attempts_allowed: int | None = None,
    grading: str = "highest",
    review_shows: str = "full",
    review_when: str = "immediately",
    open_at: datetime | None = None,
    close_at: datetime | None = None,
    created_by_id: int | None = None,
    is_competency: bool = False,
    validity_months: int | None = None,
    reminders: bool = True,
    unit_ids: Sequence[int] = (),
    due_at: datetime | None = None,
) -> Quiz:
    """A quiz, its assignment to `unit_ids` (due at `due_at`) and its audit row, in one unit
    of work: an assignment that fails leaves no quiz behind. The creator is the actor."""
    _check_settings(title, mode, grading, review_shows, review_when, pass_mark)
    _check_dates(is_competency, validity_months, open_at, close_at)
    with unit_of_work():
        quiz = Quiz(
            title=title.strip(),
            description=description.strip(),
            selection=validate_selection(selection),
            mode=mode,
            time_limit_minutes=time_limit_minutes,
            pass_mark=pass_mark,
            attempts_allowed=attempts_allowed,
            grading=grading,
            review_shows=review_shows,
            review_when=review_when,
            open_at=open_at,
            close_at=close_at,
            created_by_id=created_by_id,
            is_competency=is_competency,
            validity_months=validity_months if is_competency else None,
            reminders=reminders,
        )
        db.session.add(quiz)
        db.session.flush()
        for unit_id in unit_ids:
            add_assignment(quiz.id, unit_id, due_at)
        audit.record(
            "quiz.created",
            actor_id=created_by_id,
            object_type="quiz",
            object_key=str(quiz.id),
            units=list(unit_ids),
        )
    return quiz


class Settings(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def mode(self) -> str: ...
    @property
    def grading(self) -> str: ...
    @property
    def review_shows(self) -> str: ...
    @property
    def review_when(self) -> str: ...
    @property
    def pass_mark(self) -> float: ...
    @property
    def is_competency(self) -> bool: ...
    @property
    def validity_months(self) -> int | None: ...
    @property
    def open_at(self) -> datetime | None: ...
    @property
    def close_at(self) -> datetime | None: ...


def check_settings(s: Settings) -> None:
    """InvalidInput when a quiz's settings do not hold together."""
    _check_settings(s.title, s.mode, s.grading, s.review_shows, s.review_when, s.pass_mark)
    _check_dates(s.is_competency, s.validity_months, s.open_at, s.close_at)


def _check_dates(
    is_competency: bool,
    validity_months: int | None,
    open_at: datetime | None,
    close_at: datetime | None,
) -> None:
    if is_competency and validity_months is not None and not 1 <= validity_months <= 120:
        raise InvalidInput("A competency stays valid for 1 to 120 months.")
    if open_at and close_at and close_at <= open_at:
        raise InvalidInput("The quiz must close after it opens.")


def _check_settings(
    title: str, mode: str, grading: str, review_shows: str, review_when: str, pass_mark: float
) -> None:
    if not title.strip():
        raise InvalidInput("A quiz needs a title.")
    for value, allowed, name in (
        (mode, MODES, "mode"),
        (grading, GRADING, "grading"),
        (review_shows, REVIEW_SHOWS, "review"),
        (review_when, REVIEW_WHEN, "review timing"),
    ):
        if value not in allowed:
            raise InvalidInput(f"Unknown {name} {value!r}.")
    if mode == "tutor" and review_when == "never":
        raise InvalidInput(TUTOR_NEVER)
    if not 0 <= pass_mark <= 100:
        raise InvalidInput("The pass mark is a percentage from 0 to 100.")


def add_assignment(quiz_id: int, unit_id: int, due_at: datetime | None) -> QuizAssignment:
    """Assign (or re-date) the quiz to a unit, inside the caller's unit of work."""
    require_unit_of_work("add_assignment")
    if db.session.get(Quiz, quiz_id) is None or db.session.get(Unit, unit_id) is None:
        raise InvalidInput("No such quiz or unit.")
    assignment = db.session.scalar(
        select(QuizAssignment).where(
            QuizAssignment.quiz_id == quiz_id, QuizAssignment.unit_id == unit_id
        )
    )
    new = assignment is None
    if assignment is None:
        assignment = QuizAssignment(quiz_id=quiz_id, unit_id=unit_id)
        db.session.add(assignment)
    assignment.due_at = due_at
    if new:  # the unit's trainees hear of it (outbox, same transaction)
        queue_assignment_made(assignment)
    return assignment


def assign_quiz(
    quiz_id: int, unit_id: int, due_at: datetime | None = None, actor_id: int | None = None
) -> QuizAssignment:
    """Assign the quiz to one unit, with its audit row, in one unit of work."""
    with unit_of_work():
        assignment = add_assignment(quiz_id, unit_id, due_at)
        audit.record(
            "quiz.assigned",
            actor_id=actor_id,
            object_type="quiz",
            object_key=str(quiz_id),
            unit=unit_id,
        )
    return assignment
