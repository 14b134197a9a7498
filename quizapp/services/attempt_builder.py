"""Starting attempts: pick the questions, freeze versions, order and choice order."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from quizapp.database import unit_of_work
from quizapp.domain.selection import (
    MAX_LENGTH,
    MIN_LENGTH,
    Candidate,
    choose_per_topic,
    choose_practice,
    shuffled_ids,
)
from quizapp.domain.types import get_type
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    QuestionEntry,
    QuestionStatus,
    QuestionVersion,
    Quiz,
    Response,
    Topic,
    User,
    utcnow,
)
from quizapp.services.attempt_numbers import lock_starts, next_number
from quizapp.services.case_units import CaseSlot, case_question_ids, record_slot, with_units
from quizapp.services.errors import Conflict, InvalidInput, NotAllowed
from quizapp.services.item_pools import examined_entries
from quizapp.services.quiz_access import quiz_for_trainee


def _history(user_id: int) -> dict[int, float | None]:
    """Entry id -> my latest mark on it (None if shown but never answered)."""
    rows = db.session.execute(
        select(QuestionVersion.entry_id, Response.mark)
        .select_from(AttemptItem)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.number, AttemptItem.position)
    ).all()
    latest: dict[int, float | None] = {}
    for entry_id, mark in rows:
        if mark is not None or entry_id not in latest:
            latest[entry_id] = mark
    return latest


def _candidates(
    user_id: int,
    topic_ids: list[int] | None,
    uids: list[str] | None,
    entry_ids: list[int] | None = None,
) -> list[Candidate]:
    """Published candidates; `exam_only` marks those practice must not draw (secure pools).
    Items of case studies only when asked for by `entry_ids` (a case is asked whole)."""
    query = (
        select(
            QuestionEntry.id,
            QuestionEntry.topic_id,
            or_(QuestionEntry.exam_only, Topic.exam_only.is_(True)),
            QuestionEntry.uid,
            QuestionEntry.family,
            QuestionEntry.excludes,
        )
        .outerjoin(Topic, Topic.id == QuestionEntry.topic_id)
        .where(QuestionEntry.status == QuestionStatus.PUBLISHED)
    )
    if topic_ids is not None:
        query = query.where(QuestionEntry.topic_id.in_(topic_ids))
    if uids is not None:
        query = query.where(QuestionEntry.uid.in_(uids))
    if entry_ids is not None:
        query = query.where(QuestionEntry.id.in_(entry_ids))
    else:
        query = query.where(QuestionEntry.id.not_in(case_question_ids()))
    history = _history(user_id)
    in_quiz = examined_entries(user_id)
    return [
        Candidate(
            entry_id,
            topic_id,
            entry_id in history,
            history.get(entry_id),
            kept or entry_id in in_quiz,
            uid,
            family,
            frozenset(excludes or ()),
        )
        for entry_id, topic_id, kept, uid, family, excludes in db.session.execute(
            query.order_by(QuestionEntry.id)
        )
    ]


def _existing(user_id: int, token: str | None) -> Attempt | None:
    if not token:
        return None
    return db.session.scalar(
        select(Attempt).where(Attempt.user_id == user_id, Attempt.start_token == token)
    )


def _create(
    user: User,
    chosen: list[Candidate],
    *,
    kind: str,
    mode: str,
    token: str | None,
    settings: dict[str, Any],
    rng: random.Random,
    quiz: Quiz | None = None,
    quiz_number: int | None = None,
    deadline: datetime | None = None,
    started_at: datetime | None = None,
    slots: dict[int, CaseSlot] | None = None,
) -> Attempt:
    entries = {
        e.id: e
        for e in db.session.scalars(
            select(QuestionEntry)
            .where(QuestionEntry.id.in_([c.entry_id for c in chosen]))
            .options(db.selectinload(QuestionEntry.current))
        )
    }
    attempt = Attempt(
        user_id=user.id,
        number=next_number(user.id),
        quiz_number=quiz_number,
        kind=kind,
        mode=mode,
        quiz_id=quiz.id if quiz else None,
        start_token=token,
        settings=settings,
        started_at=started_at or utcnow(),
        deadline_at=deadline,
    )
    attempt.settings = {**settings, "count": len(chosen)}
    for position, candidate in enumerate(chosen, start=1):
        version = entries[candidate.entry_id].current
        item = AttemptItem(
            position=position,
            version_id=version.id,
            topic_id=candidate.topic_id,
            choice_order=_choice_order(version, rng),
        )
        attempt.items.append(item)
        record_slot(attempt, item, (slots or {}).get(candidate.entry_id))
    db.session.add(attempt)
    return attempt


def _choice_order(version: QuestionVersion, rng: random.Random) -> list[str]:
    ids = get_type(version.type).shuffled_ids(version.data)  # an unknown type fails at start
    return shuffled_ids(ids, rng) if ids else []


def _run_start(start: Callable[[], Attempt]) -> Attempt:
    """Run one start as its own unit of work (its commit releases the start lock).

    An IntegrityError means a concurrent start inserted first (a double click with the same
    token, or two starts that took one number despite the lock): the start runs once more, and
    under the lock it then finds that attempt (by token, or the quiz's attempt in progress) or
    takes the next number. A refusal (ServiceError) rolls back at once and is raised.
    """
    for _ in range(2):
        try:
            with unit_of_work():
                return start()
        except IntegrityError:
            continue  # rolled back by the unit of work; run it once more
    raise Conflict("Another start of this attempt was being saved at the same moment; try again.")


def start_practice(
    user: User,
    topic_ids: list[int],
    length: int,
    mode: str,
    token: str | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    rng = rng or random.Random()
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise InvalidInput(f"Choose from {MIN_LENGTH} to {MAX_LENGTH} questions.")
    if mode not in ("tutor", "exam"):
        raise InvalidInput("Choose tutor or exam mode.")
    return _run_start(lambda: _practice(user, topic_ids, length, mode, token, rng))


def _practice(
    user: User, topic_ids: list[int], length: int, mode: str, token: str | None, rng: random.Random
) -> Attempt:
    lock_starts(user.id)
    existing = _existing(user.id, token)
    if existing is not None:
        return existing
    known = db.session.scalars(select(Topic.id).where(Topic.id.in_(topic_ids))).all()
    if not known:
        raise InvalidInput("Choose at least one topic.")
    chosen = choose_practice(_candidates(user.id, list(known), None), length, rng)
    if not chosen:
        raise InvalidInput(
            "There are no practice questions in those topics yet (questions kept for quizzes, "
            "and those of a quiz you have in progress, are not used for practice)."
        )
    settings = {"topics": sorted(known), "length": length, "review_shows": "full"}
    return _create(
        user, chosen, kind="practice", mode=mode, token=token, settings=settings, rng=rng
    )


def start_assigned(
    user: User, quiz_id: int, token: str | None = None, rng: random.Random | None = None
) -> Attempt:
    """Start (or, for a second tab or a double click, find) the trainee's attempt at a quiz.

    The limit and the "already in progress" checks run after the start lock is held, so a
    concurrent start has either committed (and is seen here) or not begun.
    """
    rng = rng or random.Random()
    return _run_start(lambda: _assigned(user, quiz_id, token, rng))


def _assigned(user: User, quiz_id: int, token: str | None, rng: random.Random) -> Attempt:
    lock_starts(user.id)
    existing = _existing(user.id, token)
    if existing is not None:
        return existing
    # Shared lock on the quiz row (PostgreSQL; SQLite's write lock already serialises): an
    # edit of its selection waits for this start, and then sees this attempt.
    db.session.execute(select(Quiz.id).where(Quiz.id == quiz_id).with_for_update(read=True))
    view = quiz_for_trainee(user, quiz_id)
    if view.in_progress is not None:
        return view.in_progress
    if not view.can_start:
        raise NotAllowed(view.reason)
    quiz = view.quiz
    selection = quiz.selection or {}
    if "fixed" in selection:
        uids = list(selection["fixed"])
        pool = {c.entry_id: c for c in _candidates(user.id, None, uids)}
        order = {
            e_id: uid
            for e_id, uid in db.session.execute(
                select(QuestionEntry.id, QuestionEntry.uid).where(QuestionEntry.uid.in_(uids))
            )
        }
        rank = {uid: i for i, uid in enumerate(uids)}
        chosen = sorted(pool.values(), key=lambda c: rank[order[c.entry_id]])
    else:
        keys = dict(selection.get("per_topic", {}))
        topics = dict(
            db.session.execute(select(Topic.key, Topic.id).where(Topic.key.in_(keys))).all()
        )
        counts = {topics[k]: int(n) for k, n in keys.items() if k in topics}
        pool_by_topic: dict[int, list[Candidate]] = {}
        for candidate in _candidates(user.id, list(counts), None):
            pool_by_topic.setdefault(candidate.topic_id or 0, []).append(candidate)
        chosen = choose_per_topic(pool_by_topic, counts, rng)
    chosen, slots = with_units(
        chosen,
        list(selection.get("cases") or ()),
        lambda ids: _candidates(user.id, None, None, ids),
        rng,
    )
    if not chosen:
        raise NotAllowed("This quiz has no published questions yet; tell your educator.")
    now = utcnow()
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    if quiz.close_at is not None and (deadline is None or quiz.close_at < deadline):
        deadline = quiz.close_at
    settings = {
        "pass_mark": quiz.pass_mark,
        "review_shows": quiz.review_shows,
        "review_when": quiz.review_when,
        "title": quiz.title,
    }
    attempt = _create(
        user,
        chosen,
        kind="assigned",
        mode=quiz.mode,
        token=token,
        settings=settings,
        rng=rng,
        quiz=quiz,
        # From the same read as the limit check: a stale read takes a number already used.
        quiz_number=view.attempts_used + 1,
        deadline=deadline,
        started_at=now,
        slots=slots,
    )
    attempt.quiz_version = quiz.version
    return attempt
