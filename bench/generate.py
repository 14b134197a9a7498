"""Generate a realistic data set through the app's own tables: units, trainees, one annual
competency quiz of 20 questions, attempts, answers, and the per-topic records.

    python -m bench.generate --responses 100000 --database sqlite:///bench.db
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import insert, select

from quizapp import create_app
from quizapp.config import normalise_database_url, project_root
from quizapp.domain.mastery import EMPTY, add_marks
from quizapp.domain.stats_sums import accumulate
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    ItemSums,
    QuestionEntry,
    QuestionStatus,
    QuestionVersion,
    Quiz,
    QuizAssignment,
    Response,
    Role,
    TopicScore,
    Unit,
    UnitMembership,
    User,
    utcnow,
)

QUESTIONS_PER_ATTEMPT = 20
ATTEMPTS_PER_TRAINEE = 5
TRAINEES_PER_UNIT = 100
CHUNK = 20_000


def make_app(url: str) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
        }
    )


def reset(url: str) -> None:
    url = normalise_database_url(url)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


def _bulk(table, rows: list[dict]) -> None:  # type: ignore[no-untyped-def]
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start : start + CHUNK])


def _item_sums(quiz_id: int, chosen, attempts: list[dict], answers: list[dict]) -> None:  # type: ignore[no-untyped-def]
    """The running sums the submissions would have left (computed once, in bulk)."""
    marks = [
        [answers[a * QUESTIONS_PER_ATTEMPT + p]["mark"] for p in range(QUESTIONS_PER_ATTEMPT)]
        for a in range(len(attempts))
    ]
    quiz, slots = accumulate(marks, [1.0] * QUESTIONS_PER_ATTEMPT)
    zero = {"sx": 0.0, "sxx": 0.0, "sxt": 0.0, "st3": 0.0, "st4": 0.0, "max_mark": 1.0}
    rows = [
        {
            **zero,
            "quiz_id": quiz_id,
            "key": "quiz",
            "n": quiz.n,
            "st": quiz.st,
            "stt": quiz.stt,
            "st3": quiz.st3,
            "st4": quiz.st4,
            "x_hist": {},
            "rest_hist": {},
            "choices": {},
        }
    ]
    for position, (version, sums) in enumerate(zip(chosen, slots, strict=True), start=1):
        counts: dict[str, int] = {}
        for a in range(len(attempts)):
            answer = answers[a * QUESTIONS_PER_ATTEMPT + position - 1]["answer"]
            counts[answer] = counts.get(answer, 0) + 1
        common = {
            **zero,
            "n": sums.n,
            "sx": sums.sx,
            "sxx": sums.sxx,
            "sxt": sums.sxt,
            "st": sums.st,
            "stt": sums.stt,
            "max_mark": 1.0,
            "x_hist": sums.x_hist,
            "rest_hist": sums.rest_hist,
        }
        rows.append({"quiz_id": quiz_id, "key": f"slot:{position}", **common, "choices": {}})
        rows.append(
            {"quiz_id": quiz_id, "key": f"version:{version.id}", **common, "choices": counts}
        )
    _bulk(ItemSums.__table__, rows)


def generate(url: str, responses: int, seed: int = 1) -> dict[str, int]:
    """A fresh database with about `responses` answers. Returns ids the benchmarks use."""
    rng = random.Random(seed)
    reset(url)
    app = make_app(url)
    started = time.perf_counter()
    with app.app_context():
        upgrade(directory=str(project_root() / "migrations"))
        result = app.test_cli_runner().invoke(args=["bank", "load"])
        assert result.exit_code == 0, result.output
        versions = db.session.execute(
            select(QuestionVersion.id, QuestionEntry.topic_id, QuestionEntry.uid)
            .join(
                QuestionEntry,
                (QuestionEntry.id == QuestionVersion.entry_id)
                & (QuestionEntry.current_version == QuestionVersion.number),
            )
            .where(
                QuestionEntry.status == QuestionStatus.PUBLISHED, QuestionVersion.type == "single"
            )
            .order_by(QuestionEntry.uid)
        ).all()
        chosen = rng.sample(list(versions), QUESTIONS_PER_ATTEMPT)
        now = utcnow()
        quiz = Quiz(
            title="Annual IV competency",
            selection={"fixed": [v.uid for v in chosen]},
            mode="exam",
            pass_mark=75,
            is_competency=True,
            validity_months=12,
        )
        db.session.add(quiz)
        trainees = max(1, responses // (QUESTIONS_PER_ATTEMPT * ATTEMPTS_PER_TRAINEE))
        units = max(1, trainees // TRAINEES_PER_UNIT)
        unit_rows = [Unit(name=f"Ward {n:04d}") for n in range(units)]
        db.session.add_all(unit_rows)
        manager = User(
            email="manager@bench.example",
            name="Bench Manager",
            role=Role.MANAGER,
            password_hash="x",
        )
        instructor = User(
            email="instructor@bench.example",
            name="Bench Instructor",
            role=Role.INSTRUCTOR,
            password_hash="x",
        )
        db.session.add_all([manager, instructor])
        db.session.flush()
        db.session.add(UnitMembership(unit_id=unit_rows[0].id, user_id=manager.id, is_manager=True))
        for unit in unit_rows:
            db.session.add(
                QuizAssignment(quiz_id=quiz.id, unit_id=unit.id, due_at=now + timedelta(days=30))
            )
        _bulk(
            User.__table__,
            [
                {
                    "email": f"t{n}@bench.example",
                    "name": f"Trainee {n}",
                    "role": Role.TRAINEE,
                    "password_hash": "x",
                    "active": True,
                    "session_version": 1,
                    "created_at": now,
                }
                for n in range(trainees)
            ],
        )
        user_ids = db.session.scalars(
            select(User.id).where(User.email.like("t%@bench.example")).order_by(User.id)
        ).all()
        _bulk(
            UnitMembership.__table__,
            [
                {
                    "unit_id": unit_rows[i // TRAINEES_PER_UNIT % units].id,
                    "user_id": uid,
                    "is_manager": False,
                    "created_at": now,
                }
                for i, uid in enumerate(user_ids)
            ],
        )
        attempts, items, answers, scores = [], [], [], []
        attempt_id = item_id = 0
        for uid in user_ids:
            skill = rng.uniform(0.4, 0.95)
            records: dict[int, object] = {}
            for number in range(1, ATTEMPTS_PER_TRAINEE + 1):
                attempt_id += 1
                when = now - timedelta(days=rng.randint(0, 84), minutes=rng.randint(0, 600))
                marks = []
                for position, version in enumerate(chosen, start=1):
                    item_id += 1
                    mark = 1.0 if rng.random() < skill else 0.0
                    marks.append(mark)
                    items.append(
                        {
                            "id": item_id,
                            "attempt_id": attempt_id,
                            "position": position,
                            "version_id": version.id,
                            "topic_id": version.topic_id,
                            "choice_order": [],
                            "max_mark": 1.0,
                        }
                    )
                    answers.append(
                        {
                            "attempt_id": attempt_id,
                            "item_id": item_id,
                            "answer": "a" if mark else rng.choice("bcd"),
                            "mark": mark,
                            "answered_at": when,
                        }
                    )
                    records[version.topic_id] = add_marks(
                        records.get(version.topic_id, EMPTY), [mark]
                    )  # type: ignore[arg-type]
                score = sum(marks)
                attempts.append(
                    {
                        "id": attempt_id,
                        "user_id": uid,
                        "quiz_id": quiz.id,
                        "number": number,
                        "kind": "assigned",
                        "mode": "exam",
                        "status": AttemptStatus.SUBMITTED,
                        "seq": QUESTIONS_PER_ATTEMPT,
                        "settings": {"pass_mark": 75},
                        "started_at": when,
                        "submitted_at": when + timedelta(minutes=15),
                        "score": score,
                        "max_score": float(QUESTIONS_PER_ATTEMPT),
                        "percent": 100 * score / QUESTIONS_PER_ATTEMPT,
                        "passed": 100 * score / QUESTIONS_PER_ATTEMPT >= 75,
                        "auto_submitted": False,
                    }
                )
            for topic_id, record in records.items():
                scores.append(
                    {
                        "user_id": uid,
                        "topic_id": topic_id,
                        "answered": record.answered,  # type: ignore[attr-defined]
                        "marks": record.marks,
                        "recent": list(record.recent),  # type: ignore[attr-defined]
                        "recent_score": record.recent_score,
                        "mastered": record.mastered,  # type: ignore[attr-defined]
                        "updated_at": now,
                    }
                )
        _bulk(Attempt.__table__, attempts)
        _bulk(AttemptItem.__table__, items)
        _bulk(Response.__table__, answers)
        _bulk(TopicScore.__table__, scores)
        _item_sums(quiz.id, chosen, attempts, answers)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy import text

            for table in ("attempts", "attempt_items", "responses"):
                db.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}))"
                    )
                )
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))
        else:
            db.session.execute(select(1))
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
        ids = {
            "unit_id": unit_rows[0].id,
            "quiz_id": quiz.id,
            "manager_id": manager.id,
            "instructor_id": instructor.id,
            "responses": len(answers),
            "trainees": trainees,
            "seconds": round(time.perf_counter() - started, 1),
        }
        db.engine.dispose()
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument(
        "--database", default=f"sqlite:///{Path(tempfile.gettempdir()) / 'quizapp-bench.db'}"
    )
    args = parser.parse_args()
    print(generate(args.database, args.responses))


if __name__ == "__main__":
    main()

__all__ = ["generate", "shutil"]
