"""Keep a quiz's item-analysis sums up to date, inside the submitting transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from quizapp.domain.stats_sums import ItemSums as Sums
from quizapp.domain.stats_sums import QuizSums
from quizapp.extensions import db
from quizapp.models import ItemSums


@dataclass(frozen=True)
class MarkedItem:
    position: int
    version_id: int
    mark: float  # 0..1 fraction of the item's maximum
    max_mark: float
    answer: Any


def _chosen(answer: Any) -> list[str]:
    if isinstance(answer, str):
        return [answer]
    if isinstance(answer, list):
        return [a for a in answer if isinstance(a, str)]
    return []


def _ensure_rows(quiz_id: int, keys: list[str]) -> dict[str, ItemSums]:
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(ItemSums)
        .values(
            [
                {"quiz_id": quiz_id, "key": key, "x_hist": {}, "rest_hist": {}, "choices": {}}
                for key in keys
            ]
        )
        .on_conflict_do_nothing(index_elements=["quiz_id", "key"])
    )
    rows = db.session.scalars(
        select(ItemSums)
        .where(ItemSums.quiz_id == quiz_id, ItemSums.key.in_(keys))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {row.key: row for row in rows}


def _to_domain(row: ItemSums) -> Sums:
    return Sums(
        row.n,
        row.sx,
        row.sxx,
        row.sxt,
        row.st,
        row.stt,
        row.max_mark,
        dict(row.x_hist or {}),
        dict(row.rest_hist or {}),
    )


def _store(row: ItemSums, sums: Sums) -> None:
    row.n, row.sx, row.sxx, row.sxt = sums.n, sums.sx, sums.sxx, sums.sxt
    row.st, row.stt, row.max_mark = sums.st, sums.stt, sums.max_mark
    row.x_hist, row.rest_hist = sums.x_hist, sums.rest_hist


def record_submission(quiz_id: int, items: Sequence[MarkedItem]) -> None:
    """Add one submitted attempt to its quiz's sums (unanswered items count as 0)."""
    total = sum(i.mark * i.max_mark for i in items)
    keys = (
        ["quiz"]
        + [f"slot:{i.position}" for i in items]
        + [f"version:{i.version_id}" for i in items]
    )
    rows = _ensure_rows(quiz_id, list(dict.fromkeys(keys)))
    quiz = rows["quiz"]
    quiz_sums = QuizSums(quiz.n, quiz.st, quiz.stt, quiz.st3, quiz.st4)
    quiz_sums.add(total)
    quiz.n, quiz.st, quiz.stt, quiz.st3, quiz.st4 = (
        quiz_sums.n,
        quiz_sums.st,
        quiz_sums.stt,
        quiz_sums.st3,
        quiz_sums.st4,
    )
    for item in items:
        x = item.mark * item.max_mark
        for key in (f"slot:{item.position}", f"version:{item.version_id}"):
            row = rows[key]
            sums = _to_domain(row)
            sums.max_mark = item.max_mark
            sums.add(x, total)
            _store(row, sums)
        version_row = rows[f"version:{item.version_id}"]
        choices = dict(version_row.choices or {})
        for choice in _chosen(item.answer):
            choices[choice] = choices.get(choice, 0) + 1
        version_row.choices = choices


def load_sums(
    quiz_id: int,
) -> tuple[QuizSums, dict[int, Sums], dict[int, tuple[Sums, dict[str, int]]]]:
    """(quiz sums, slot position -> sums, version id -> (sums, choice counts)). One query."""
    quiz = QuizSums()
    slots: dict[int, Sums] = {}
    versions: dict[int, tuple[Sums, dict[str, int]]] = {}
    for row in db.session.scalars(select(ItemSums).where(ItemSums.quiz_id == quiz_id)):
        kind, _, ident = row.key.partition(":")
        if kind == "quiz":
            quiz = QuizSums(row.n, row.st, row.stt, row.st3, row.st4)
        elif kind == "slot":
            slots[int(ident)] = _to_domain(row)
        elif kind == "version":
            versions[int(ident)] = (_to_domain(row), dict(row.choices or {}))
    return quiz, slots, versions


def rebuild(quiz_id: int | None = None) -> int:
    """Recompute the sums from the stored answers (after a bulk load, or for data submitted
    before the sums existed). Returns the number of attempts counted."""
    from sqlalchemy import delete

    from quizapp.database import begin_write
    from quizapp.models import Attempt, AttemptItem, AttemptStatus, Response

    begin_write()
    doomed = delete(ItemSums)
    if quiz_id is not None:
        doomed = doomed.where(ItemSums.quiz_id == quiz_id)
    db.session.execute(doomed)
    query = (
        select(
            Attempt.quiz_id,
            AttemptItem.attempt_id,
            AttemptItem.position,
            AttemptItem.version_id,
            AttemptItem.max_mark,
            Response.mark,
            Response.answer,
        )
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(Attempt.quiz_id.is_not(None), Attempt.status == AttemptStatus.SUBMITTED)
        .order_by(AttemptItem.attempt_id, AttemptItem.position)
    )
    if quiz_id is not None:
        query = query.where(Attempt.quiz_id == quiz_id)
    counted = 0
    batch: list[MarkedItem] = []
    current: tuple[int, int] | None = None
    for quiz, attempt, position, version, max_mark, mark, answer in db.session.execute(query):
        if current is not None and current[1] != attempt:
            record_submission(current[0], batch)
            counted += 1
            batch = []
        current = (quiz, attempt)
        batch.append(MarkedItem(position, version, mark or 0.0, max_mark, answer))
    if current is not None:
        record_submission(current[0], batch)
        counted += 1
    db.session.commit()
    return counted
