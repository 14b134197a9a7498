"""One `bank load` at a time: a second one waits for the first, or stops with a clear message.

Why: two loads at once both read "question X is new" and both insert it; the second got a
unique-key IntegrityError and the operator a raw traceback. PostgreSQL: a transaction-scoped
advisory lock taken before anything is read, so the second load reads what the first wrote.
SQLite: the write lock (BEGIN IMMEDIATE), which the second load waits for up to the busy
timeout. Both locks end with the load's transaction, whatever way it ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from quizapp.database import unit_of_work
from quizapp.extensions import db
from quizapp.services.errors import Conflict

LOAD_LOCK_KEY = 7_361_823_001  # any fixed bigint; names this lock among advisory locks
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout expired

BUSY_MESSAGE = (
    "Another bank load (or another write) is still running, so this load stopped after "
    "waiting {waited}. Nothing was written. Run it again when the other one has finished "
    "(or give it longer with --wait SECONDS)."
)


class LoadBusy(Conflict):
    """Another load holds the lock for longer than we were willing to wait."""


@contextmanager
def load_unit_of_work(
    wait_seconds: float, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """The load's unit of work, with the load lock held from its start (before anything is
    read). SQLite: its BEGIN IMMEDIATE is the lock, waiting up to the busy timeout, then
    "locked", which becomes LoadBusy; PostgreSQL: an advisory lock taken first thing in it."""
    started = False
    try:
        with unit_of_work():
            started = True
            if db.engine.dialect.name == "postgresql":
                _take_advisory_lock(wait_seconds, on_wait)
            yield
    except OperationalError as exc:
        if started or "locked" not in str(exc.orig).lower():
            raise
        raise LoadBusy(BUSY_MESSAGE.format(waited="the busy timeout")) from exc


def _take_advisory_lock(wait_seconds: float, on_wait: Callable[[], None] | None) -> None:
    if db.session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": LOAD_LOCK_KEY}):
        return
    if wait_seconds <= 0:
        raise LoadBusy(BUSY_MESSAGE.format(waited="not at all (--wait 0)"))
    if on_wait is not None:
        on_wait()
    db.session.execute(text(f"SET LOCAL lock_timeout = '{int(wait_seconds * 1000)}ms'"))
    try:
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOAD_LOCK_KEY})
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        raise LoadBusy(BUSY_MESSAGE.format(waited=f"{wait_seconds:g} s")) from exc
    db.session.execute(text("SET LOCAL lock_timeout TO DEFAULT"))
