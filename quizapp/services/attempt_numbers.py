"""A trainee's starts, one at a time: the lock taken at the start of the unit of work, and the
numbers computed under it.

Without the lock two starts at once (two tabs, a double click, eight tabs) both read "no
attempt yet" and both insert. SQLite already serialises writers (`begin_write` is BEGIN
IMMEDIATE); PostgreSQL at READ COMMITTED does not, so a transaction-scoped advisory lock keyed
by the trainee makes the second start wait until the first has committed, and then read it.
The unique keys `(user_id, number)` and `(quiz_id, user_id, quiz_number)` stay as the last
guard: if a start ever got past the lock, its insert fails instead of making a second attempt.
"""

from __future__ import annotations

from sqlalchemy import func, select, text

from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import Attempt

# The first key of the two-key advisory lock (the second is the user id): a fixed value that
# names "attempt starts", so it cannot meet another feature's advisory locks on the same id.
START_LOCK_SPACE = 0x51A7


def lock_starts(user_id: int) -> None:
    """Begin a write unit of work that holds this trainee's start lock until it ends."""
    begin_write()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(CAST(:space AS integer), CAST(:user AS integer))"),
            {"space": START_LOCK_SPACE, "user": user_id},
        )


def next_numbers(user_id: int, quiz_id: int | None) -> tuple[int, int | None]:
    """The next per-trainee number, and the next per-quiz number (None for practice)."""
    number = (
        db.session.scalar(select(func.max(Attempt.number)).where(Attempt.user_id == user_id)) or 0
    ) + 1
    if quiz_id is None:
        return number, None
    quiz_number = (
        db.session.scalar(
            select(func.max(Attempt.quiz_number)).where(
                Attempt.user_id == user_id, Attempt.quiz_id == quiz_id
            )
        )
        or 0
    ) + 1
    return number, quiz_number
