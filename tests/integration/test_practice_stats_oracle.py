"""Stats stay exact under mixed use (issue 16): tutor practice answered partly then ended,
tutor practice discarded, exam practice submitted, exam practice discarded, assigned quizzes
(exam and tutor mode) submitted, stale practice closed by the command, practice left open.
Every TopicScore row, and each quiz's item statistics, must equal what independent oracles
(tests/oracles/) compute from the raw `responses` rows."""

from __future__ import annotations

import dataclasses
import math
import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, AttemptStatus, Response, TopicScore, User, utcnow
from quizapp.queries.item_analysis import quiz_report
from quizapp.services import attempt_builder, attempts, practice
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import fields_for, load_small_bank, topic_id
from tests.oracles.stats_oracle import item_statistics
from tests.oracles.topic_oracle import RawAnswer, expected_records


class Clock:
    """Distinct, increasing times in the past (so the stale-practice rule sees them as old)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def tick(self) -> datetime:
        self.now += timedelta(seconds=7)
        return self.now


def _answer_some(user: User, attempt_id: int, count: int, rng: random.Random, clock: Clock):  # type: ignore[no-untyped-def]
    items = db.session.scalars(
        select(AttemptItem)
        .where(AttemptItem.attempt_id == attempt_id)
        .order_by(AttemptItem.position)
    ).all()
    for item in items[:count]:
        fields = fields_for(item.version.type, item.version.data, rng.random() < 0.7)
        fields = {k: v if isinstance(v, list) else [v] for k, v in fields.items()}
        seq = db.session.scalar(select(Attempt.seq).where(Attempt.id == attempt_id))
        attempts.save_answer(user, attempt_id, item.position, seq, fields, now=clock.tick())
    return items


def _practice(user, iv, mode, answered, rng, clock):  # type: ignore[no-untyped-def]
    attempt = attempt_builder.start_practice(user, [iv], 5, mode, rng=rng)
    _answer_some(user, attempt.id, answered, rng, clock)
    return attempt.id


def _backdate(attempt_id: int, when: datetime) -> None:
    db.session.execute(update(Attempt).where(Attempt.id == attempt_id).values(started_at=when))
    db.session.commit()  # test set-up: an attempt started long ago


def _play(app, tmp_path) -> tuple[list[int], dict[str, int]]:  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    iv = topic_id(app, "routes/intravenous")
    rng = random.Random(16)
    clock = Clock(utcnow() - timedelta(days=10))
    ids: dict[str, int] = {}
    with app.app_context():
        unit = UnitFactory()
        exam_quiz = create_quiz("Exam quiz", {"per_topic": {"routes/intravenous": 4}}, pass_mark=50)
        tutor_quiz = create_quiz(
            "Tutor quiz", {"per_topic": {"routes/intravenous": 3}}, mode="tutor", pass_mark=50
        )
        for quiz in (exam_quiz, tutor_quiz):
            assign_quiz(quiz.id, unit.id)
        users = [UserFactory(email=f"n{n}@ward.example") for n in range(3)]
        for user in users:
            MembershipFactory(unit=unit, user=user)
        for n, user in enumerate(users):
            ended = _practice(user, iv, "tutor", 3 + n % 2, rng, clock)
            attempts.submit(user, ended, None, now=clock.tick())
            practice.discard(user, _practice(user, iv, "tutor", 2, rng, clock), confirmed=True)
            exam = _practice(user, iv, "exam", 5, rng, clock)
            _answer_some(user, exam, 2, rng, clock)  # exam mode: changed answers
            attempts.submit(user, exam, None, now=clock.tick())
            practice.discard(user, _practice(user, iv, "exam", 3, rng, clock), confirmed=True)
            for quiz, answered in ((exam_quiz, 3 + n % 2), (tutor_quiz, 3)):
                attempt = attempt_builder.start_assigned(user, quiz.id, rng=rng)
                _answer_some(user, attempt.id, answered, rng, clock)
                # a tutor practice answered while the quiz is open: counted before the quiz
                interleaved = _practice(user, iv, "tutor", 1, rng, clock)
                attempts.submit(user, interleaved, None, now=clock.tick())
                attempts.submit(user, attempt.id, None, now=clock.tick())
            for mode, answered in (("tutor", 2), ("exam", 3), ("exam", 0)):
                stale = _practice(user, iv, mode, answered, rng, clock)
                _backdate(stale, clock.now - timedelta(hours=1) - timedelta(minutes=answered))
                ids[f"stale-{n}-{mode}-{answered}"] = stale
            ids[f"open-tutor-{n}"] = _practice(user, iv, "tutor", 2, rng, utcnow_clock())
            ids[f"open-exam-{n}"] = _practice(user, iv, "exam", 2, rng, utcnow_clock())
        return [exam_quiz.id, tutor_quiz.id], ids


def utcnow_clock() -> Clock:
    return Clock(utcnow() - timedelta(minutes=5))


def _raw_answers() -> list[RawAnswer]:
    rows = db.session.execute(
        select(
            Attempt.user_id,
            Attempt.id,
            Attempt.kind,
            Attempt.mode,
            Attempt.status,
            Attempt.submitted_at,
            AttemptItem.topic_id,
            AttemptItem.position,
            Response.mark,
            Response.answered_at,
        )
        .join(AttemptItem, AttemptItem.id == Response.item_id)
        .join(Attempt, Attempt.id == Response.attempt_id)
    ).all()
    return [RawAnswer(*row[:4], str(row[4].value), *row[5:]) for row in rows]


def _close(a: Any, b: Any) -> bool:
    if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
        return type(a) is type(b) and _close(dataclasses.astuple(a), dataclasses.astuple(b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return bool(a == b)


def test_topic_records_and_item_statistics_equal_a_recomputation(app, runner, tmp_path) -> None:
    quiz_ids, ids = _play(app, tmp_path)
    result = runner.invoke(args=["attempts", "close-overdue"])
    assert result.exit_code == 0, result.output
    assert "Submitted 0 overdue attempt(s)." in result.output
    assert "Closed 9 stale practice attempt(s)." in result.output  # 3 trainees x 3
    with app.app_context():
        statuses = dict(db.session.execute(select(Attempt.id, Attempt.status)).all())
        assert {statuses[v] for k, v in ids.items() if k.startswith("stale")} == {
            AttemptStatus.SUBMITTED
        }
        assert {statuses[v] for k, v in ids.items() if k.startswith("open")} == {
            AttemptStatus.IN_PROGRESS
        }
        assert list(statuses.values()).count(AttemptStatus.DISCARDED) == 6
        expected = expected_records(_raw_answers())
        stored = {
            (row.user_id, row.topic_id): (
                row.answered,
                row.marks,
                list(row.recent),
                row.recent_score,
                row.mastered,
            )
            for row in db.session.scalars(select(TopicScore))
        }
        assert sorted(stored) == sorted(expected)
        for key, record in expected.items():
            assert _close(stored[key], dataclasses.astuple(record)), (key, stored[key], record)
        assert {r.mastered for r in expected.values()} == {True, False}  # both exercised
        for quiz_id in quiz_ids:
            _check_item_statistics(quiz_id)
    again = runner.invoke(args=["attempts", "close-stale-practice"])
    assert "Closed 0 stale practice attempt(s)." in again.output  # idempotent


def _check_item_statistics(quiz_id: int) -> None:
    """The quiz's report equals the oracle over its submitted attempts' raw marks."""
    items = db.session.execute(
        select(Attempt.id, AttemptItem.position, AttemptItem.max_mark, Response.mark)
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(Attempt.quiz_id == quiz_id, Attempt.status == AttemptStatus.SUBMITTED)
        .order_by(Attempt.id, AttemptItem.position)
    ).all()
    matrix: dict[int, list[float]] = {}
    max_marks: dict[int, float] = {}
    for attempt_id, position, max_mark, mark in items:
        matrix.setdefault(attempt_id, []).append((mark or 0.0) * max_mark)
        max_marks[position] = max_mark
    assert len(matrix) == 3
    expected = item_statistics(list(matrix.values()), [max_marks[p] for p in sorted(max_marks)])
    report = quiz_report(quiz_id)
    assert _close(report.quiz, expected), (report.quiz, expected)
    assert sum(v.responses for v in report.versions) == len(items)
