"""Unfinished practice: the trainee discards it, or, left untouched, it closes itself.

What discarding means: the attempt's status becomes `discarded`. It takes no more answers,
it is gone from the trainee's pages (home, history, resume: a 404 that says it was
discarded), and it is never scored. Its answers stay stored, so nothing the statistics were
built from disappears: tutor answers already checked were counted when they were checked and
stay counted; exam-mode answers were never counted and never will be. Practice has no quiz,
so no item-analysis sums are touched. Only practice can be discarded: an assigned quiz's
attempts are the instructor's record.

Closing a stale practice is an ordinary automatic submission (`finalize`, auto): scored, and
its answers counted exactly once (exam mode now; tutor mode already, as they were checked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from quizapp.database import matched_rows, unit_of_work
from quizapp.domain.counting import PRACTICE, discard_refusal, is_stale
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Response, User, utcnow
from quizapp.services.attempt_closing import finalize
from quizapp.services.attempts import owned_attempt
from quizapp.services.errors import AttemptClosed, InvalidInput, NotAllowed

ALREADY = "This practice was already discarded."


@dataclass(frozen=True)
class DiscardPreview:
    """What the confirm page says before a discard (plain data)."""

    attempt_id: int
    refusal: str | None  # why it cannot be discarded; None when it can
    refused_as: str  # "not_allowed" | "closed" | "" (the kind of refusal, for the status)
    counted_as_you_go: bool  # tutor practice: its checked answers are already counted
    answered: int
    total: int


def discard_preview(user: User, attempt_id: int) -> DiscardPreview:
    """The confirm page's data: may it be discarded, and what of it already counts."""
    attempt = owned_attempt(user, attempt_id)
    refusal = discard_refusal(attempt.kind, attempt.status is AttemptStatus.IN_PROGRESS)
    refused_as = "" if refusal is None else "not_allowed" if attempt.kind != PRACTICE else "closed"
    answered = db.session.scalar(
        select(func.count()).select_from(Response).where(Response.attempt_id == attempt.id)
    )
    return DiscardPreview(
        attempt.id,
        refusal,
        refused_as,
        attempt.counts_per_answer,
        answered or 0,
        int(attempt.settings.get("count") or 0),
    )


def discard(user: User, attempt_id: int, *, confirmed: bool) -> Attempt:
    """Discard the trainee's own unfinished practice (NotFound for anyone else's), once the
    trainee has confirmed it (InvalidInput, nothing changed, until then)."""
    user_id = user.id
    with unit_of_work():
        attempt = owned_attempt(user_id, attempt_id, discarded=True)
        if attempt.status is AttemptStatus.DISCARDED:
            raise AttemptClosed(ALREADY)
        refusal = discard_refusal(attempt.kind, attempt.status is AttemptStatus.IN_PROGRESS)
        if refusal is not None:
            raise (NotAllowed if attempt.kind != PRACTICE else AttemptClosed)(refusal)
        if not confirmed:
            raise InvalidInput("Nothing was discarded: confirm below first.")
        flipped = matched_rows(
            update(Attempt)
            .where(
                Attempt.id == attempt.id,
                Attempt.kind == PRACTICE,
                Attempt.status == AttemptStatus.IN_PROGRESS,
            )
            .values(status=AttemptStatus.DISCARDED)
            .execution_options(synchronize_session=False)
        )
        if flipped != 1:  # submitted (or closed as stale) since it was read
            raise AttemptClosed(discard_refusal(PRACTICE, False) or ALREADY)
    db.session.refresh(attempt)
    return attempt


def close_stale_practice(now: datetime | None = None, hours: float | None = None) -> int:
    """Submit (automatically) every practice in progress with no answer or start for longer
    than `hours` (config PRACTICE_IDLE_HOURS). Returns how many. Idempotent: a closed one is
    no longer in progress; one answered since it was read is left open (its `seq` moved)."""
    now = now or utcnow()
    if hours is None:
        hours = float(current_app.config["PRACTICE_IDLE_HOURS"])
    last_answer = (
        select(func.max(Response.answered_at))
        .where(Response.attempt_id == Attempt.id)
        .correlate(Attempt)
        .scalar_subquery()
    )
    candidates = db.session.execute(
        select(Attempt.id, Attempt.started_at, last_answer.label("last"), Attempt.seq).where(
            Attempt.kind == PRACTICE,
            Attempt.status == AttemptStatus.IN_PROGRESS,
            Attempt.started_at < now - timedelta(hours=hours),
        )
    ).all()
    closed = 0
    for attempt_id, started_at, last, seq in candidates:
        if not is_stale(started_at, last, now, hours):
            continue
        with unit_of_work():
            attempt = db.session.get(Attempt, attempt_id)
            if attempt is not None and finalize(attempt, now, auto=True, seen_seq=seq):
                closed += 1
    return closed
