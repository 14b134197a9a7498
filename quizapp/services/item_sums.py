"""Keep a quiz's item-analysis sums up to date, inside the submitting transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from quizapp.database import require_unit_of_work
from quizapp.domain.stats_sums import ItemSums as Sums, QuizSums
from quizapp.domain.types import get_type
from quizapp.extensions import db
from quizapp.models import ItemSums, QuestionVersion


@dataclass(frozen=True)
class MarkedItem:
    position: int
    version_id: int
    mark: float  # 0..1 fraction of the item's maximum
    max_mark: float
    answer: Any


def counted_keys(version_ids: Iterable[int], cache: dict | None = None) -> Callable:
    """A function (version id, answer) -> the version's own choice ids the answer picked.

    Only these become keys of `item_sums.choices`: a string a client invented never does.
    Loads the versions' type and data in one query (those not already in `cache`).
    """
    cache = {} if cache is None else cache
    missing = set(version_ids) - set(cache)
    if missing:
        rows = db.session.execute(
            select(QuestionVersion.id, QuestionVersion.type, QuestionVersion.data).where(
                QuestionVersion.id.in_(missing)
            )
        )
        cache.update({vid: (get_type(kind), data) for vid, kind, data in rows})

    def keys(version_id: int, answer: Any) -> list[str]:
        if version_id not in cache:
            return []
        qtype, data = cache[version_id]
        return qtype.choice_keys(data, answer)

    return keys


def _ensure_rows(quiz_id: int, quiz_version: int, keys: list[str]) -> dict[str, ItemSums]:
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(ItemSums)
        .values(
            [
                {
                    "quiz_id": quiz_id,
                    "quiz_version": quiz_version,
                    "key": key,
                    "x_hist": {},
                    "rest_hist": {},
                    "choices": {},
                }
                for key in keys
            ]
        )
        .on_conflict_do_nothing(index_elements=["quiz_id", "quiz_version", "key"])
    )
    rows = db.session.scalars(
        select(ItemSums)
        .where(
            ItemSums.quiz_id == quiz_id,
            ItemSums.quiz_version == quiz_version,
            ItemSums.key.in_(keys),
        )
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


def record_submission(quiz_id: int, items: Sequence[MarkedItem], quiz_version: int) -> None:
    """Add one submitted attempt to its quiz version's sums (unanswered items count as 0),
    inside the submission's unit of work; the version is the one the attempt was built from."""
    require_unit_of_work("record_submission")
    total = sum(i.mark * i.max_mark for i in items)
    keys = (
        ["quiz"]
        + [f"slot:{i.position}" for i in items]
        + [f"version:{i.version_id}" for i in items]
    )
    rows = _ensure_rows(quiz_id, quiz_version, list(dict.fromkeys(keys)))
    known = counted_keys(i.version_id for i in items)
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
        for choice in known(item.version_id, item.answer):
            choices[choice] = choices.get(choice, 0) + 1
        version_row.choices = choices


def load_sums(
    quiz_id: int, quiz_version: int = 1
) -> tuple[QuizSums, dict[int, Sums], dict[int, tuple[Sums, dict[str, int]]]]:
    """(quiz sums, slot position -> sums, version id -> (sums, choice counts)) of one quiz
    version. One query."""
    quiz = QuizSums()
    slots: dict[int, Sums] = {}
    versions: dict[int, tuple[Sums, dict[str, int]]] = {}
    for row in db.session.scalars(
        select(ItemSums).where(ItemSums.quiz_id == quiz_id, ItemSums.quiz_version == quiz_version)
    ):
        kind, _, ident = row.key.partition(":")
        if kind == "quiz":
            quiz = QuizSums(row.n, row.st, row.stt, row.st3, row.st4)
        elif kind == "slot":
            slots[int(ident)] = _to_domain(row)
        elif kind == "version":
            versions[int(ident)] = (_to_domain(row), dict(row.choices or {}))
    return quiz, slots, versions
