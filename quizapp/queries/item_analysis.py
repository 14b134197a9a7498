"""Item analysis for one quiz: per slot, per question version, and per choice (distractors).

Read from the running sums each submission keeps (quizapp.services.item_sums), so a report
costs the same with ten attempts or a million answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from quizapp.domain.stats_model import Flag, QuestionStats, QuizStats, flags_for
from quizapp.domain.stats_sums import question_from_sums, quiz_from_sums
from quizapp.domain.types import get_type
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, AttemptStatus, QuestionEntry, QuestionVersion
from quizapp.services.item_sums import load_sums


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
    # The questions each slot (position) held in the submitted attempts, most used first: one
    # id for a fixed list, several for a slot drawn at random from a topic.
    slot_questions: dict[int, list[str]] = field(default_factory=dict)


def quiz_report(quiz_id: int, quiz_version: int = 1) -> QuizReport:
    """One quiz version's report from its running sums (each version has its own, so slots
    of two selections never mix): two queries, whatever the number of attempts."""
    quiz_sums, slots, versions = load_sums(quiz_id, quiz_version)
    quiz_stats = quiz_from_sums(quiz_sums, [slots[p] for p in sorted(slots)])
    rows = _versions(list(versions))
    reports = []
    for version_id, (sums, counts) in versions.items():
        if version_id not in rows:
            continue
        version, uid = rows[version_id]
        stats = question_from_sums(0, sums)
        choices = _choices(version, counts, sums.n)
        shares = {c.text: c.share for c in choices if not c.correct}
        reports.append(
            VersionReport(
                version_id=version_id,
                uid=uid,
                number=version.number,
                type=version.type,
                stem=version.stem,
                responses=sums.n,
                stats=stats,
                choices=choices,
                flags=flags_for(stats, shares, sums.n),
            )
        )
    reports.sort(key=lambda r: (r.uid, r.number))
    return QuizReport(quiz_stats, reports, slot_questions(quiz_id, quiz_version))


def slot_questions(quiz_id: int, quiz_version: int) -> dict[int, list[str]]:
    """Which questions filled each slot of this quiz version's submitted attempts (one query)."""
    uses = func.count(AttemptItem.id)
    rows = db.session.execute(
        select(AttemptItem.position, QuestionEntry.uid, uses)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .join(QuestionEntry, QuestionEntry.id == QuestionVersion.entry_id)
        .where(
            Attempt.quiz_id == quiz_id,
            func.coalesce(Attempt.quiz_version, 1) == quiz_version,
            Attempt.status == AttemptStatus.SUBMITTED,
        )
        .group_by(AttemptItem.position, QuestionEntry.uid)
        .order_by(AttemptItem.position, uses.desc(), QuestionEntry.uid)
    )
    slots: dict[int, list[str]] = {}
    for position, uid, _count in rows:
        slots.setdefault(position, []).append(uid)
    return slots


def _versions(ids: list[int]) -> dict[int, tuple[QuestionVersion, str]]:
    rows = db.session.execute(
        select(QuestionVersion, QuestionEntry.uid)
        .join(QuestionEntry, QuestionEntry.id == QuestionVersion.entry_id)
        .where(QuestionVersion.id.in_(ids))
    )
    return {version.id: (version, uid) for version, uid in rows}


def _choices(version: QuestionVersion, counts: dict[str, int], responses: int) -> list[ChoiceCount]:
    return [
        ChoiceCount(
            id=c["id"],
            text=c["text"],
            correct=bool(c["correct"]),
            count=counts.get(c["id"], 0),
            share=100.0 * counts.get(c["id"], 0) / responses if responses else 0.0,
        )
        for c in get_type(version.type).counted_choices(version.data)
    ]
