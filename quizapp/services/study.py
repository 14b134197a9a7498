"""Study aids on an attempt in progress: flag a question to come back to, strike out a choice.

Neither is an answer: neither touches `attempts.seq`, so the answer form a trainee has open
(which carries `seq`) stays valid after flagging or striking (tutor and exam mode alike). Both
are refused once the attempt is closed (submitted, or its time is up) and, like every attempt
command, another trainee's attempt is a 404.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from quizapp.database import unit_of_work
from quizapp.domain.types import get_type
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, AttemptStatus, User, utcnow
from quizapp.services.attempts import time_is_up
from quizapp.services.errors import AttemptClosed, InvalidInput, NotFound

MAX_CHOICE_ID = 64  # longer than any choice id the bank or an import produces


def _open_item(user_id: int, attempt_id: int, position: int, now: datetime) -> AttemptItem:
    """The item of the user's own attempt at `position`, locked for the change; the attempt
    must still take answers."""
    item = db.session.scalar(
        select(AttemptItem)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Attempt.id == attempt_id,
            Attempt.user_id == user_id,
            AttemptItem.position == position,
        )
        .with_for_update(of=AttemptItem)
    )
    if item is None:
        raise NotFound("No such question in this attempt.")
    attempt = item.attempt
    if attempt.status is not AttemptStatus.IN_PROGRESS or time_is_up(attempt, now):
        raise AttemptClosed(
            "This attempt is closed, so its flags and struck-out choices can no longer change."
        )
    return item


def set_flag(
    user: User, attempt_id: int, position: int, flagged: bool, now: datetime | None = None
) -> bool:
    """Flag (or unflag) a question for review; the flag as saved. Setting, not toggling, so a
    double click changes nothing more."""
    user_id = user.id
    with unit_of_work():
        item = _open_item(user_id, attempt_id, position, now or utcnow())
        item.flagged = flagged
    return flagged


def set_struck(
    user: User,
    attempt_id: int,
    position: int,
    choice_id: str,
    struck: bool,
    now: datetime | None = None,
) -> list[str]:
    """Strike out (or restore) one choice of a question; the struck choice ids as saved, in
    the order the page shows the choices. An id the question does not have is refused."""
    user_id = user.id
    if len(choice_id) > MAX_CHOICE_ID:
        raise InvalidInput("That is not one of this question's choices.")
    with unit_of_work():
        item = _open_item(user_id, attempt_id, position, now or utcnow())
        version = item.version
        allowed = get_type(version.type).strike_ids(version.data)
        if not allowed:
            raise InvalidInput("Choices of this question cannot be struck out.")
        if choice_id not in allowed:
            raise InvalidInput("That is not one of this question's choices.")
        chosen = set(item.struck or ()) & set(allowed)
        if struck:
            chosen.add(choice_id)
        else:
            chosen.discard(choice_id)
        order = [c for c in (item.choice_order or []) if c in allowed] or allowed
        saved = [c for c in order if c in chosen]
        item.struck = saved or None
    return saved
