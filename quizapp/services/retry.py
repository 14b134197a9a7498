"""Starting a practice of the questions a trainee got wrong: those of one finished attempt, or
those of one topic whose latest answer was wrong.

It is a practice attempt (tutor mode) built like any other by `attempt_builder`: the questions'
current published versions, one start lock, the start token making a double click one attempt.
Practice's rules hold: nothing kept for quizzes (exam-only, or in a quiz attempt the trainee has
open) is asked, and a retry is offered only where the result shows the answers. What is left
out is counted in the attempt's settings (`left_out`), so the page can say so.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from quizapp.domain.selection import choose_retry
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    QuestionEntry,
    QuestionStatus,
    QuestionVersion,
    Response,
    Topic,
    User,
    utcnow,
)
from quizapp.queries.review import answers_visible
from quizapp.services.attempt_builder import _candidates, _create, _existing, _run_start
from quizapp.services.attempt_numbers import lock_starts
from quizapp.services.attempts import owned_attempt
from quizapp.services.errors import Conflict, InvalidInput, NotAllowed, NotFound

NOTHING_WRONG = "There is nothing to practise: you got every question right."


def wrong_in_attempt(attempt: Attempt) -> list[int]:
    """Entry ids of the attempt's questions not fully right (wrong, partly right, or left
    unanswered), in the attempt's order."""
    rows = db.session.execute(
        select(QuestionVersion.entry_id, Response.mark)
        .select_from(AttemptItem)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id == attempt.id)
        .order_by(AttemptItem.position)
    ).all()
    return [entry_id for entry_id, mark in rows if mark is None or mark < 1.0]


def wrong_in_topic(user_id: int, topic_id: int) -> list[int]:
    """Entry ids filed under the topic whose latest answer by the user was not fully right.

    Only answers whose feedback the trainee has had count: practice (not a quiz, whose review
    settings may hide the answers), checked in tutor mode or in a submitted exam-mode practice;
    an exam-mode practice still open does not give away which of its answers are wrong."""
    rows = db.session.execute(
        select(QuestionVersion.entry_id, Response.mark)
        .select_from(Response)
        .join(AttemptItem, AttemptItem.id == Response.item_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .join(QuestionEntry, QuestionEntry.id == QuestionVersion.entry_id)
        .where(
            Attempt.user_id == user_id,
            Attempt.quiz_id.is_(None),
            or_(Attempt.mode == "tutor", Attempt.status == AttemptStatus.SUBMITTED),
            QuestionEntry.topic_id == topic_id,
        )
        .order_by(Response.answered_at, Response.id)
    ).all()
    latest: dict[int, float | None] = {}
    for entry_id, mark in rows:
        latest[entry_id] = mark
    return [entry_id for entry_id, mark in latest.items() if mark is not None and mark < 1.0]


def start_retry(
    user: User,
    attempt_id: int,
    token: str | None = None,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """Practise exactly the questions of the user's finished attempt that were not right."""
    user_id = user.id

    def start() -> Attempt:
        lock_starts(user_id)
        existing = _existing(user_id, token)
        if existing is not None:
            return existing
        source = owned_attempt(user_id, attempt_id, full=True)  # another's: NotFound
        if source.status is not AttemptStatus.SUBMITTED:
            raise Conflict("Finish this attempt first; then you can practise what you got wrong.")
        if not answers_visible(source, now or utcnow()):
            raise NotAllowed(
                "The answers of this attempt are not shown now, so it offers no retry."
            )
        wanted = wrong_in_attempt(source)
        return _retry(user, wanted, token, {"retry_of": source.id}, rng)

    return _run_start(start)


def start_topic_retry(
    user: User, topic_id: int, token: str | None = None, rng: random.Random | None = None
) -> Attempt:
    """Practise the questions of a topic whose latest answer by the user was wrong."""
    user_id = user.id

    def start() -> Attempt:
        lock_starts(user_id)
        existing = _existing(user_id, token)
        if existing is not None:
            return existing
        if db.session.get(Topic, topic_id) is None:
            raise NotFound("No such topic.")
        wanted = wrong_in_topic(user_id, topic_id)
        return _retry(user, wanted, token, {"retry_topic": topic_id}, rng)

    return _run_start(start)


def _retry(
    user: User,
    wanted: list[int],
    token: str | None,
    extra: dict[str, Any],
    rng: random.Random | None,
) -> Attempt:
    if not wanted:
        raise InvalidInput(NOTHING_WRONG)
    published = set(
        db.session.scalars(
            select(QuestionEntry.uid).where(
                QuestionEntry.id.in_(wanted), QuestionEntry.status == QuestionStatus.PUBLISHED
            )
        )
    )
    pick = choose_retry(wanted, _candidates(user.id, None, sorted(published)))
    if not pick.chosen:
        raise InvalidInput(
            "None of those questions can be practised now: they have been retired, or are "
            "kept for quizzes (or are in a quiz you have in progress)."
        )
    topics = sorted({c.topic_id for c in pick.chosen if c.topic_id is not None})
    settings = {
        "topics": topics,
        "length": len(wanted),
        "review_shows": "full",
        "left_out": {"gone": pick.gone, "kept": pick.kept, "over": pick.over},
        **extra,
    }
    return _create(
        user,
        pick.chosen,
        kind="practice",
        mode="tutor",
        token=token,
        settings=settings,
        rng=rng or random.Random(),
    )
