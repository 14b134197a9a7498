"""`attempts rebuild-stats`: recompute the item-analysis sums from the stored answers, safely on
a live site.

The old rebuild held SQLite's write lock for the whole run (28 s on 10k answers), so every
answer saved meanwhile failed. Now each quiz is read in batches of attempts, each batch in its
own short read transaction (readers never block writers), and summed in memory; only then is
the write lock taken, briefly, to add the attempts submitted since the reading began and to
replace the quiz's rows. A submission commits its status flip and its sums together, so under
the write lock "submitted" is exactly what the sums must count; on PostgreSQL the quiz's rows
are locked first, so a submission in flight is either counted here or adds itself afterwards.
Only the version's own choice ids become keys, so garbage counted in the past is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import Select, delete, insert, select

from quizapp.database import unit_of_work
from quizapp.domain.stats_sums import ItemSums as RunningSums, QuizAccumulator
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, AttemptStatus, ItemSums, Response
from quizapp.services.item_sums import counted_keys

BATCH_SIZE = 200  # attempts per read transaction


def rebuild(
    quiz_id: int | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    between: Callable[[], None] | None = None,
) -> int:
    """Rebuild the sums of one quiz, or of all; returns the number of attempts counted.

    `between` is called whenever no transaction is open (after each batch), for tests."""
    if quiz_id is not None:
        quiz_ids = [quiz_id]
    else:
        with_sums = db.session.scalars(select(ItemSums.quiz_id).distinct()).all()
        with_attempts = db.session.scalars(
            select(Attempt.quiz_id)
            .where(Attempt.quiz_id.is_not(None), Attempt.status == AttemptStatus.SUBMITTED)
            .distinct()
        ).all()
        quiz_ids = sorted({*with_sums, *(qid for qid in with_attempts if qid is not None)})
    db.session.rollback()
    return sum(_rebuild_quiz(qid, batch_size, between) for qid in quiz_ids)


def _submitted(quiz_id: int) -> Select:
    return select(Attempt.id).where(
        Attempt.quiz_id == quiz_id, Attempt.status == AttemptStatus.SUBMITTED
    )


def _rebuild_quiz(quiz_id: int, batch_size: int, between: Callable[[], None] | None) -> int:
    acc: dict[int, QuizAccumulator] = {}  # quiz version -> its sums
    cache: dict = {}
    seen: set[int] = set()
    after = 0
    while True:
        ids = db.session.scalars(
            _submitted(quiz_id).where(Attempt.id > after).order_by(Attempt.id).limit(batch_size)
        ).all()
        if not ids:
            break
        _add(acc, ids, cache)
        seen.update(ids)
        after = ids[-1]
        db.session.rollback()  # end the read transaction between batches
        if between is not None:
            between()
    with unit_of_work():
        db.session.scalars(
            select(ItemSums.id).where(ItemSums.quiz_id == quiz_id).with_for_update()
        ).all()
        late = sorted(set(db.session.scalars(_submitted(quiz_id)).all()) - seen)
        for start in range(0, len(late), batch_size):
            _add(acc, late[start : start + batch_size], cache)
        db.session.execute(delete(ItemSums).where(ItemSums.quiz_id == quiz_id))
        rows = [row for version, sums in acc.items() for row in _rows(quiz_id, version, sums)]
        if rows:
            db.session.execute(insert(ItemSums), rows)
    if between is not None:
        between()
    return len(seen) + len(late)


def _add(acc: dict[int, QuizAccumulator], attempt_ids: Iterable[int], cache: dict) -> None:
    """Add these submitted attempts to the sums of their quiz versions in `acc` (one query
    for items and answers)."""
    rows = db.session.execute(
        select(
            Attempt.quiz_version,
            AttemptItem.attempt_id,
            AttemptItem.position,
            AttemptItem.version_id,
            AttemptItem.max_mark,
            Response.mark,
            Response.answer,
        )
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id.in_(list(attempt_ids)))
        .order_by(AttemptItem.attempt_id, AttemptItem.position)
    ).all()
    keys = counted_keys({row.version_id for row in rows}, cache)
    by_attempt: dict[int, tuple[int, list]] = {}
    for quiz_version, attempt_id, position, version_id, max_mark, mark, answer in rows:
        _, items = by_attempt.setdefault(attempt_id, (quiz_version or 1, []))
        items.append((position, version_id, mark or 0.0, max_mark, keys(version_id, answer)))
    for quiz_version, items in by_attempt.values():
        acc.setdefault(quiz_version, QuizAccumulator()).add(items)


def _rows(quiz_id: int, quiz_version: int, acc: QuizAccumulator) -> Iterable[dict]:
    """The item_sums rows for `acc`, as `record_submission` would have left them."""
    q = acc.quiz
    yield {
        **_blank(quiz_id, "quiz"),
        "quiz_version": quiz_version,
        **{"n": q.n, "st": q.st, "stt": q.stt, "st3": q.st3, "st4": q.st4},
    }
    named: list[tuple[str, RunningSums, dict[str, int]]] = [
        (f"slot:{p}", s, {}) for p, s in acc.slots.items()
    ]
    named += [(f"version:{v}", s, acc.choices.get(v, {})) for v, s in acc.versions.items()]
    for key, s, choices in named:
        yield {
            **_blank(quiz_id, key),
            "quiz_version": quiz_version,
            **{"n": s.n, "sx": s.sx, "sxx": s.sxx, "sxt": s.sxt, "st": s.st, "stt": s.stt},
            **{"max_mark": s.max_mark, "x_hist": s.x_hist, "rest_hist": s.rest_hist},
            "choices": choices,
        }


def _blank(quiz_id: int, key: str) -> dict:
    return {
        "quiz_id": quiz_id,
        "key": key,
        **dict.fromkeys(("n", "sx", "sxx", "sxt", "st", "stt", "st3", "st4"), 0),
        "max_mark": 1.0,
        "x_hist": {},
        "rest_hist": {},
        "choices": {},
    }
