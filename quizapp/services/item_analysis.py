"""Item analysis for one quiz: per slot, per question version, and per choice (distractors).

Marks come from the database in one query and choice counts in another (grouped in SQL); the
statistics are the pure functions in quizapp.domain.stats.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, cast, func, select

from quizapp.domain.stats import (
    Flag,
    QuestionStats,
    QuizStats,
    flags_for,
    item_statistics,
    version_statistics,
)
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    QuestionEntry,
    QuestionVersion,
    Response,
)


@dataclass
class ChoiceCount:
    id: str
    text: str
    correct: bool
    count: int
    share: float


@dataclass
class VersionReport:
    version_id: int
    uid: str
    number: int
    type: str
    stem: str
    responses: int
    stats: QuestionStats
    choices: list[ChoiceCount] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


@dataclass
class QuizReport:
    quiz: QuizStats
    versions: list[VersionReport]


def _marks(quiz_id: int) -> list[Any]:
    return db.session.execute(
        select(
            AttemptItem.attempt_id,
            AttemptItem.position,
            AttemptItem.version_id,
            AttemptItem.max_mark,
            Response.mark,
        )
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(Attempt.quiz_id == quiz_id, Attempt.status == AttemptStatus.SUBMITTED)
        .order_by(AttemptItem.attempt_id, AttemptItem.position)
    ).all()


def quiz_report(quiz_id: int) -> QuizReport:
    rows = _marks(quiz_id)
    by_attempt: dict[int, dict[int, float]] = {}
    slot_max: dict[int, float] = {}
    version_marks: dict[int, list[tuple[int, float]]] = {}
    version_max: dict[int, float] = {}
    for attempt_id, position, version_id, max_mark, mark in rows:
        by_attempt.setdefault(attempt_id, {})[position] = float(mark or 0.0)
        slot_max[position] = max(slot_max.get(position, 0.0), float(max_mark))
        version_marks.setdefault(version_id, []).append((attempt_id, float(mark or 0.0)))
        version_max[version_id] = float(max_mark)
    slots = sorted(slot_max)
    matrix = [[marks.get(p, 0.0) for p in slots] for marks in by_attempt.values()]
    quiz_stats = item_statistics(matrix, [slot_max[p] for p in slots])
    totals = {a: sum(marks.values()) for a, marks in by_attempt.items()}
    versions = _versions(list(version_marks))
    counts = _choice_counts(quiz_id)
    reports = []
    for version_id, pairs in version_marks.items():
        version, uid = versions[version_id]
        stats = version_statistics([(m, totals[a]) for a, m in pairs], version_max[version_id])
        choices = _choices(version, counts.get(version_id, {}), len(pairs))
        shares = {c.text: c.share for c in choices if not c.correct}
        reports.append(
            VersionReport(
                version_id=version_id,
                uid=uid,
                number=version.number,
                type=version.type,
                stem=version.stem,
                responses=len(pairs),
                stats=stats,
                choices=choices,
                flags=flags_for(stats, shares, len(pairs)),
            )
        )
    reports.sort(key=lambda r: (r.uid, r.number))
    return QuizReport(quiz_stats, reports)


def _versions(ids: list[int]) -> dict[int, tuple[QuestionVersion, str]]:
    rows = db.session.execute(
        select(QuestionVersion, QuestionEntry.uid)
        .join(QuestionEntry, QuestionEntry.id == QuestionVersion.entry_id)
        .where(QuestionVersion.id.in_(ids))
    )
    return {version.id: (version, uid) for version, uid in rows}


def _choice_counts(quiz_id: int) -> dict[int, dict[str, int]]:
    """Per version: how many responses gave each answer (answers grouped as JSON text)."""
    answer_text = cast(Response.answer, String)
    rows = db.session.execute(
        select(AttemptItem.version_id, answer_text, func.count())
        .join(Response, Response.item_id == AttemptItem.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.quiz_id == quiz_id, Attempt.status == AttemptStatus.SUBMITTED)
        .group_by(AttemptItem.version_id, answer_text)
    )
    result: dict[int, dict[str, int]] = {}
    for version_id, raw, count in rows:
        try:
            answer = json.loads(raw) if raw is not None else None
        except ValueError:
            continue
        chosen = [answer] if isinstance(answer, str) else answer if isinstance(answer, list) else []
        per_version = result.setdefault(version_id, {})
        for choice_id in chosen:
            if isinstance(choice_id, str):
                per_version[choice_id] = per_version.get(choice_id, 0) + count
    return result


def _choices(version: QuestionVersion, counts: dict[str, int], responses: int) -> list[ChoiceCount]:
    if version.type not in ("single", "multiple"):
        return []
    return [
        ChoiceCount(
            id=c["id"],
            text=c["text"],
            correct=bool(c["correct"]),
            count=counts.get(c["id"], 0),
            share=100.0 * counts.get(c["id"], 0) / responses if responses else 0.0,
        )
        for c in version.data["choices"]
    ]
