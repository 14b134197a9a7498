"""Item sums count only a version's own choice ids, and `rebuild-stats` cleans what was counted
before that and runs in batches that leave the database writable."""

from __future__ import annotations

from sqlalchemy import select, update

from quizapp.extensions import db
from quizapp.models import AttemptItem, ItemSums, QuestionVersion, Response, User
from quizapp.services import attempt_builder, attempts
from quizapp.services.quizzes import assign_quiz, create_quiz
from quizapp.services.stats_rebuild import rebuild
from tests.conftest import make_app
from tests.factories import MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import load_small_bank

PICKS = {"single": ["b"], "multiple": ["a", "c"]}  # a valid answer for each question


def _quiz(app, tmp_path, trainees: int = 1) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit = UnitFactory()
        quiz = create_quiz("Choices", {"fixed": ["t-single", "t-multiple"]}, pass_mark=50)
        assign_quiz(quiz.id, unit.id)
        users = [UserFactory(email=f"g{n}@ward.example") for n in range(trainees)]
        for user in users:
            MembershipFactory(unit=unit, user=user)
        return quiz.id, [u.id for u in users]


def _items(attempt_id: int) -> list[AttemptItem]:
    return db.session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)).all()


def _take(user_id: int, quiz_id: int, submit: bool = True) -> int:
    """One attempt answered validly (inside an app context); returns its id."""
    user = db.session.get(User, user_id)
    attempt = attempt_builder.start_assigned(user, quiz_id)
    attempt_id = attempt.id
    for item in _items(attempt_id):
        seq = attempt.seq
        attempts.save_answer(
            user, attempt_id, item.position, seq, {"answer": PICKS[item.version.type]}
        )
        db.session.refresh(attempt)
    if submit:
        attempts.submit(user, attempt_id, None)
    return attempt_id


def _choice_keys(quiz_id: int) -> dict[str, set[str]]:
    rows = db.session.scalars(
        select(ItemSums).where(ItemSums.quiz_id == quiz_id, ItemSums.key.like("version:%"))
    )
    return {row.key: set(row.choices) for row in rows}


def _own_ids(quiz_id: int) -> dict[str, set[str]]:
    ids = {}
    for key in _choice_keys(quiz_id):
        version = db.session.get(QuestionVersion, int(key.split(":")[1]))
        ids[key] = {c["id"] for c in version.data["choices"]}
    return ids


def _rows(quiz_id: int) -> dict[str, tuple]:
    db.session.expire_all()
    return {
        r.key: (
            r.n,
            r.sx,
            r.sxx,
            r.sxt,
            r.st,
            r.stt,
            r.st3,
            r.st4,
            r.x_hist,
            r.rest_hist,
            r.choices,
        )
        for r in db.session.scalars(select(ItemSums).where(ItemSums.quiz_id == quiz_id))
    }


def test_garbage_posts_never_become_choice_keys(app, client, auth, tmp_path) -> None:
    quiz_id, (user_id,) = _quiz(app, tmp_path)
    auth.login("g0@ward.example", "correct-horse-battery")
    with app.app_context():
        for n in range(30):
            attempt = attempt_builder.start_assigned(db.session.get(User, user_id), quiz_id)
            attempt_id, seq = attempt.id, attempt.seq
            for item in _items(attempt_id):
                garbage = {"answer": [f"junk-{n}-{item.position}", "z" * 5000]}
                page = client.post(
                    f"/attempts/{attempt_id}/q/{item.position}", data={**garbage, "seq": seq}
                )
                assert page.status_code == 422 and b"Nothing was saved" in page.data
            db.session.expire_all()
            assert db.session.get(type(attempt), attempt_id).seq == seq
            assert not db.session.scalars(
                select(Response).where(Response.attempt_id == attempt_id)
            ).all()
            # Garbage saved before validation existed still reaches the sums at submit.
            for item in _items(attempt_id):
                db.session.add(
                    Response(
                        attempt_id=attempt_id, item_id=item.id, answer=["b", f"old-{n}"], mark=0.0
                    )
                )
            db.session.commit()
            attempts.submit(db.session.get(User, user_id), attempt_id, None)
        keys, own = _choice_keys(quiz_id), _own_ids(quiz_id)
        assert keys and all(keys[k] <= own[k] for k in keys), keys
        assert sum(row[0] for k, row in _rows(quiz_id).items() if k == "quiz") == 30


def test_rebuild_drops_garbage_already_counted(app, runner, tmp_path) -> None:
    quiz_id, user_ids = _quiz(app, tmp_path, trainees=3)
    with app.app_context():
        for user_id in user_ids:
            _take(user_id, quiz_id)
        clean = _rows(quiz_id)
        # What the old code stored: every submitted string a key, and one of them huge.
        for row in db.session.scalars(select(ItemSums).where(ItemSums.key.like("version:%"))):
            row.choices = {**row.choices, "x" * 20_000: 3, "<script>": 1}
        db.session.execute(update(Response).values(answer=["b", "a", "never-a-choice"]))
        db.session.commit()
    result = runner.invoke(args=["attempts", "rebuild-stats"])
    assert result.exit_code == 0 and "from 3 submitted attempt(s)" in result.output
    with app.app_context():
        keys, own = _choice_keys(quiz_id), _own_ids(quiz_id)
        assert all(keys[k] <= own[k] for k in keys) and keys
        rebuilt = _rows(quiz_id)
        marks_only = {k: v[:10] for k, v in rebuilt.items()}
        assert marks_only == {k: v[:10] for k, v in clean.items()}


def test_rebuild_leaves_the_database_writable_and_counts_late_submissions(
    app, database_url, tmp_path
) -> None:
    quiz_id, user_ids = _quiz(app, tmp_path, trainees=5)
    with app.app_context():
        late_id = _take(user_ids[0], quiz_id, submit=False)  # the lowest id, submitted mid-rebuild
        for user_id in user_ids[1:]:
            _take(user_id, quiz_id)
    # Another worker with a short busy timeout: if the rebuild held the write lock, it would fail.
    other = make_app(database_url, SQLITE_BUSY_TIMEOUT_MS=100)
    calls: list[int] = []

    def write_from_another_connection() -> None:
        calls.append(1)
        if len(calls) == 2:  # after the second batch, past the late attempt's id
            with other.app_context():
                attempts.submit(db.session.get(User, user_ids[0]), late_id, None)
                db.session.remove()

    with app.app_context():
        assert rebuild(batch_size=1, between=write_from_another_connection) == 5
        assert len(calls) >= 5
        during = _rows(quiz_id)
        assert during["quiz"][0] == 5
        rebuild()  # a recomputation with nothing running alongside
        assert _rows(quiz_id) == during
    with other.app_context():
        db.engine.dispose()
