"""Answering and submitting: every answer saved when given, each attempt scored exactly once.

Concurrency rests on two guards that hold on SQLite and PostgreSQL alike:
- `seq`: an answer is accepted only by `UPDATE attempts SET seq = seq + 1 WHERE seq = :seen
  AND status = 'in_progress'`; a stale page or a double post matches no row and changes nothing.
- submission flips the status with `UPDATE ... WHERE status = 'in_progress'`; only the request
  that flips it scores the attempt and updates the per-topic records, in the same transaction
  (services/attempt_closing.py).
Tutor practice counts each accepted answer in the per-topic records in the answer's own
transaction (domain/counting.py), so `/me` is right after every checked question.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.orm import selectinload

from quizapp.arrival import deadline_grace
from quizapp.database import matched_rows, unit_of_work
from quizapp.domain.counting import counts_per_answer
from quizapp.domain.deadline import is_past
from quizapp.domain.responses import InvalidAnswer, parse_response
from quizapp.domain.types import get_type
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    QuestionVersion,
    Response,
    User,
    utcnow,
)
from quizapp.services.attempt_closing import close_overdue as close_overdue, finalize
from quizapp.services.errors import AttemptClosed, InvalidInput, NotFound, StalePage
from quizapp.services.topic_scores import record_attempt

DISCARDED = "This practice was discarded, so it is no longer available."


@dataclass(frozen=True)
class SavedAnswer:
    attempt_id: int
    position: int
    mark: float
    mode: str
    total: int  # how many questions the attempt has


def owned_attempt(
    user: User | int, attempt_id: int, *, full: bool = False, discarded: bool = False
) -> Attempt:
    """The user's own attempt, or NotFound (another trainee's attempt is a 404, not a 403).

    A discarded practice is gone for the trainee's pages too (NotFound, saying so), unless
    `discarded` asks for it."""
    user_id = user if isinstance(user, int) else user.id
    query = select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user_id)
    if full:
        query = query.options(
            selectinload(Attempt.items).selectinload(AttemptItem.version),
            selectinload(Attempt.items).selectinload(AttemptItem.response),
        )
    attempt = db.session.scalar(query)
    if attempt is None:
        raise NotFound("No such attempt.")
    if attempt.status is AttemptStatus.DISCARDED and not discarded:
        raise NotFound(DISCARDED)
    return attempt


def is_overdue(attempt: Attempt, now: datetime) -> bool:
    return (
        attempt.status is AttemptStatus.IN_PROGRESS
        and attempt.deadline_at is not None
        and now >= attempt.deadline_at
    )


def time_is_up(attempt: Attempt, arrived: datetime) -> bool:
    """Past the deadline plus the grace, for a request that arrived at `arrived`: answers
    refused and a submit counted as automatic. (`is_overdue` is the plain deadline, for pages.)"""
    return attempt.status is AttemptStatus.IN_PROGRESS and is_past(
        attempt.deadline_at, arrived, deadline_grace()
    )


def save_answer(
    user: User,
    attempt_id: int,
    position: int,
    seen_seq: int,
    fields: Mapping[str, Sequence[str]],
    now: datetime | None = None,
) -> SavedAnswer:
    """Save one answer: one read of the attempt, item and version, one guarded UPDATE, one
    INSERT (or UPDATE of the earlier answer), one unit of work. The hottest path of all.
    Tutor practice adds the answer to its topic record in the same unit (three statements more:
    the record's upsert, its locked read and its update).

    An attempt whose time is up is submitted (that is committed) and the answer refused."""
    now = now or utcnow()
    user_id = user.id  # read before the unit of work ends the read transaction and expires it
    with unit_of_work():
        row = _answer_row(user_id, attempt_id, position)
        if row.status is AttemptStatus.DISCARDED:
            raise NotFound(DISCARDED)
        closed = None
        if row.status is AttemptStatus.SUBMITTED or is_past(row.deadline_at, now, deadline_grace()):
            closed = _close_if_due(owned_attempt(user_id, attempt_id), now)
        if closed is None:
            mark = _store_answer(row, attempt_id, seen_seq, fields, now)
            if counts_per_answer(row.kind, row.mode):
                record_attempt(user_id, [(row.topic_id, mark)])
    if closed is not None:
        raise closed
    total = (
        (row.settings or {}).get("count")
        or db.session.scalar(
            select(func.count())
            .select_from(AttemptItem)
            .where(AttemptItem.attempt_id == attempt_id)
        )
        or 0
    )
    return SavedAnswer(attempt_id, position, mark, row.mode, total)


def _answer_row(user_id: int, attempt_id: int, position: int) -> Row[Any]:
    row = db.session.execute(
        select(
            AttemptItem.id.label("item_id"),
            AttemptItem.topic_id,
            QuestionVersion.type,
            QuestionVersion.data,
            Response.id.label("response_id"),
            Attempt.kind,
            Attempt.mode,
            Attempt.settings,
            Attempt.seq,
            Attempt.status,
            Attempt.deadline_at,
        )
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(
            Attempt.id == attempt_id, Attempt.user_id == user_id, AttemptItem.position == position
        )
    ).first()
    if row is None:
        raise NotFound("No such question in this attempt.")
    return row


def _store_answer(
    row: Row[Any],
    attempt_id: int,
    seen_seq: int,
    fields: Mapping[str, Sequence[str]],
    now: datetime,
) -> float:
    """Grade and store the answer under the `seq` guard; the mark. Inside save_answer's unit."""
    if seen_seq != row.seq:
        raise StalePage(
            "This page was out of date (the quiz was answered in another tab or the form was "
            "sent twice), so nothing was changed. Here is the current page."
        )
    if row.mode == "tutor" and row.response_id is not None:
        raise StalePage("You have already answered this question; its feedback is below.")
    try:
        response_value = parse_response(row.type, row.data, fields)
    except InvalidAnswer as exc:
        raise InvalidInput(str(exc)) from exc
    mark = get_type(row.type).grade(row.data, response_value)
    accepted = matched_rows(
        update(Attempt)
        .where(
            Attempt.id == attempt_id,
            Attempt.seq == seen_seq,
            Attempt.status == AttemptStatus.IN_PROGRESS,
        )
        .values(seq=Attempt.seq + 1)
        .execution_options(synchronize_session=False)
    )
    if accepted != 1:
        raise StalePage("This page was out of date, so nothing was changed.")
    values = {"answer": response_value, "mark": mark, "answered_at": now}
    if row.response_id is None:
        db.session.execute(
            insert(Response).values(attempt_id=attempt_id, item_id=row.item_id, **values)
        )
    else:
        db.session.execute(
            update(Response)
            .where(Response.id == row.response_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    return mark


def _close_if_due(attempt: Attempt, now: datetime) -> AttemptClosed | None:
    """Why the attempt takes no answer (submitting it, in the caller's unit, when its time is
    up), or None when it is open. Returned, not raised, so the submission is committed."""
    if attempt.status is AttemptStatus.SUBMITTED:
        return AttemptClosed(
            "This attempt has been submitted, so it takes no more answers. Your result is below."
        )
    if time_is_up(attempt, now):
        finalize(attempt, now, auto=True)
        return AttemptClosed(
            "Time is up for this attempt, so that answer was not accepted. It has been "
            "submitted with the answers you had saved."
        )
    return None


def submit(
    user: User, attempt_id: int, seen_seq: int | None, now: datetime | None = None
) -> Attempt:
    """Submit an attempt. A second submit, or one from a stale page, changes nothing."""
    now = now or utcnow()
    user_id = user.id
    with unit_of_work():
        attempt = owned_attempt(user_id, attempt_id)
        if attempt.status is AttemptStatus.SUBMITTED:
            raise AttemptClosed("This attempt was already submitted; here is your result.")
        overdue = time_is_up(attempt, now)
        if not overdue and seen_seq is not None and seen_seq != attempt.seq:
            raise StalePage(
                "The page you submitted from was out of date, so the attempt was not submitted. "
                "Check your answers below and submit again."
            )
        if not finalize(attempt, now, auto=overdue):
            raise AttemptClosed("This attempt was already submitted; here is your result.")
    return attempt
