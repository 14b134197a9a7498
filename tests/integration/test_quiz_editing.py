"""Changing a saved quiz: edit, versions, close, reopen, archive, duplicate, delete; the
builder's picker and totals; who may do it; the audit rows; query counts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    AuditEvent,
    ItemSums,
    QuestionEntry,
    QuestionStatus,
    Quiz,
    Response,
    Role,
    Unit,
)
from quizapp.queries.item_analysis import quiz_report
from quizapp.services import attempt_builder, attempts, stats_rebuild
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import answer, attempt_uids, fields_for, load_small_bank
from tests.integration.test_manager_dashboard import count_queries

SETTINGS = {
    "mode": "exam",
    "pass_mark": "80",
    "grading": "highest",
    "review_shows": "full",
    "review_when": "immediately",
}


@pytest.fixture
def world(app, client, auth, tmp_path):  # type: ignore[no-untyped-def]
    """The small bank, an instructor signed in, a unit with a trainee, and a fixed-list quiz
    assigned to it."""
    load_small_bank(app, tmp_path)
    with app.app_context():
        UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
        unit = UnitFactory(name="Ward 7")
        nurse = UserFactory(email="nurse@ward.example")
        MembershipFactory(unit=unit, user=nurse)
        quiz = create_quiz("Line check", {"fixed": ["t-single", "t-true-false"]}, pass_mark=50)
        assign_quiz(quiz.id, unit.id)
        ids = {"quiz": quiz.id, "unit": unit.id, "nurse": nurse.id}
    auth.logout()
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    return ids


def _edit_form(**overrides: object) -> dict[str, object]:
    form: dict[str, object] = {
        "title": "Line check",
        "selection": "fixed",
        "picked": ["t-single", "t-true-false"],
        **SETTINGS,
        "pass_mark": "50",
    }
    form.update(overrides)
    return form


def _take(app, quiz_id: int, user_id: int, right: bool = True, submit: bool = True) -> int:  # type: ignore[no-untyped-def]
    """Start (and answer and submit) the trainee's attempt at the quiz; its id."""
    with app.app_context():
        from quizapp.models import User

        user = db.session.get(User, user_id)
        attempt = attempt_builder.start_assigned(user, quiz_id)
        if submit:
            items = db.session.scalars(
                select(AttemptItem).where(AttemptItem.attempt_id == attempt.id)
            ).all()
            for item in items:
                fields = fields_for(item.version.type, item.version.data, right)
                fields = {k: v if isinstance(v, list) else [v] for k, v in fields.items()}
                attempts.save_answer(user, attempt.id, item.position, attempt.seq, fields)
                db.session.refresh(attempt)
            attempts.submit(user, attempt.id, None)
        return attempt.id


def _audit(app, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def test_settings_are_edited_in_place_with_an_audit_row(app, client, world) -> None:
    quiz_id = world["quiz"]
    page = client.get(f"/author/quizzes/{quiz_id}/edit").data.decode()
    assert 'value="Line check"' in page and 'id="pick-t-single"' in page
    response = client.post(
        f"/author/quizzes/{quiz_id}/edit",
        data=_edit_form(title="Line check two", pass_mark="70", attempts_allowed="2"),
    )
    assert response.status_code == 302, response.data.decode()[:2000]
    with app.app_context():
        quiz = db.session.get(Quiz, quiz_id)
        assert (quiz.title, quiz.pass_mark, quiz.attempts_allowed) == ("Line check two", 70, 2)
        assert quiz.version == 1
    [row] = _audit(app, "quiz.edited")
    assert row.object_key == str(quiz_id)
    assert row.details["changed"]["pass_mark"] == [50.0, 70.0]
    assert row.details["changed"]["title"] == ["Line check", "Line check two"]
    assert "selection" not in row.details["changed"]
    assert _audit(app, "quiz.selection_changed") == []


def test_the_selection_changes_in_place_while_nobody_attempted(app, client, world) -> None:
    quiz_id = world["quiz"]
    response = client.post(
        f"/author/quizzes/{quiz_id}/edit", data=_edit_form(picked=["t-multiple"])
    )
    assert response.status_code == 302
    with app.app_context():
        quiz = db.session.get(Quiz, quiz_id)
        assert quiz.selection == {"fixed": ["t-multiple"]} and quiz.version == 1
    [row] = _audit(app, "quiz.selection_changed")
    assert row.details["new_version"] is False


def test_a_selection_change_after_attempts_makes_a_new_version(app, client, world) -> None:
    quiz_id, nurse = world["quiz"], world["nurse"]
    with app.app_context():
        other = UserFactory(email="second@ward.example")
        MembershipFactory(unit=db.session.get(Unit, world["unit"]), user=other)
        other_id = other.id
    finished = _take(app, quiz_id, nurse)
    started = _take(app, quiz_id, other_id, submit=False)
    page = client.get(f"/author/quizzes/{quiz_id}/edit").data.decode()
    assert "Changing the questions makes version 2" in page
    response = client.post(
        f"/author/quizzes/{quiz_id}/edit",
        data=_edit_form(selection="fixed", picked=[], fixed="t-multiple t-numeric"),
    )
    assert response.status_code == 302, response.data.decode()[:2000]
    with app.app_context():
        quiz = db.session.get(Quiz, quiz_id)
        assert quiz.version == 2 and quiz.selection == {"fixed": ["t-multiple", "t-numeric"]}
        assert quiz.earlier_selections[0]["selection"] == {"fixed": ["t-single", "t-true-false"]}
    # the started and the finished attempt keep their items; a new attempt gets the new ones
    assert attempt_uids(app, finished) == ["t-single", "t-true-false"]
    assert attempt_uids(app, started) == ["t-single", "t-true-false"]
    with app.app_context():
        from quizapp.models import User

        attempts.submit(db.session.get(User, other_id), started, None)
        third = UserFactory(email="third@ward.example")
        MembershipFactory(unit=db.session.get(Unit, world["unit"]), user=third)
        third_id = third.id
    fresh = _take(app, quiz_id, third_id)
    assert attempt_uids(app, fresh) == ["t-multiple", "t-numeric"]
    with app.app_context():
        versions = dict(
            db.session.execute(
                select(Attempt.id, Attempt.quiz_version).where(
                    Attempt.id.in_([finished, started, fresh])
                )
            ).all()
        )
        assert versions == {finished: 1, started: 1, fresh: 2}
        # item statistics per version: the attempt started before the change counts in v1
        first, second = quiz_report(quiz_id, 1), quiz_report(quiz_id, 2)
        assert first.quiz.attempts == 2 and second.quiz.attempts == 1
        assert {v.uid for v in first.versions} == {"t-single", "t-true-false"}
        assert {v.uid for v in second.versions} == {"t-multiple", "t-numeric"}
        # and a rebuild from the stored answers keeps them apart the same way
        before = _sums(quiz_id)
        stats_rebuild.rebuild(quiz_id)
        assert _sums(quiz_id) == before
    [row] = _audit(app, "quiz.selection_changed")
    assert row.details["new_version"] is True and row.details["version"] == 2
    stats = client.get(f"/author/quizzes/{quiz_id}/stats").data.decode()
    assert "Showing quiz version 2 (current)" in stats
    assert "t-numeric" in stats and "t-single v" not in stats
    earlier = client.get(f"/author/quizzes/{quiz_id}/stats?version=1").data.decode()
    assert "Showing quiz version 1." in earlier and "Questions of version 1: t-single" in earlier
    assert "t-numeric" not in earlier
    assert client.get(f"/author/quizzes/{quiz_id}/stats?version=3").status_code == 404


def _sums(quiz_id: int) -> list[tuple[int, str, int, float]]:
    rows = db.session.execute(
        select(ItemSums.quiz_version, ItemSums.key, ItemSums.n, ItemSums.sx)
        .where(ItemSums.quiz_id == quiz_id)
        .order_by(ItemSums.quiz_version, ItemSums.key)
    ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_close_reopen_archive_as_the_trainee_sees_them(app, client, auth, world) -> None:
    quiz_id = world["quiz"]
    assert client.post(f"/author/quizzes/{quiz_id}/close").status_code == 302
    assert client.post(f"/author/quizzes/{quiz_id}/close").status_code == 409
    assert len(_audit(app, "quiz.closed")) == 1
    past = client.post(f"/author/quizzes/{quiz_id}/reopen", data={"close_at": "2001-01-01T10:00"})
    assert past.status_code == 422 and b"must be in the future" in past.data
    auth.logout()
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    closed = client.get(f"/quizzes/{quiz_id}").data.decode()
    assert "This quiz has closed." in closed
    auth.logout()
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    assert client.post(f"/author/quizzes/{quiz_id}/reopen", data={}).status_code == 302
    with app.app_context():
        assert db.session.get(Quiz, quiz_id).close_at is None
    assert client.post(f"/author/quizzes/{quiz_id}/archive").status_code == 302
    assert "Line check" not in client.get("/author/quizzes").data.decode()
    assert "Line check" in client.get("/author/quizzes?archived=1").data.decode()
    auth.logout()
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    assert "Line check" not in client.get("/me").data.decode()
    assert client.get(f"/quizzes/{quiz_id}").status_code == 404
    auth.logout()
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    assert client.post(f"/author/quizzes/{quiz_id}/unarchive").status_code == 302
    assert [len(_audit(app, a)) for a in ("quiz.reopened", "quiz.archived", "quiz.unarchived")] == [
        1,
        1,
        1,
    ]
    auth.logout()
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    assert "Line check" in client.get("/me").data.decode()


def test_duplicate_copies_settings_and_selection_without_units(app, client, world) -> None:
    quiz_id = world["quiz"]
    _take(app, quiz_id, world["nurse"])
    response = client.post(f"/author/quizzes/{quiz_id}/duplicate")
    assert response.status_code == 302
    copy_id = int(re.search(r"/author/quizzes/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        source, copy = db.session.get(Quiz, quiz_id), db.session.get(Quiz, copy_id)
        assert copy.title == "Copy of Line check" and copy.selection == source.selection
        assert (copy.pass_mark, copy.mode, copy.version) == (50, source.mode, 1)
        assert copy.assignments == []
        assert (
            db.session.scalar(
                select(func.count()).select_from(Attempt).where(Attempt.quiz_id == copy_id)
            )
            == 0
        )
    [row] = _audit(app, "quiz.duplicated")
    assert row.object_key == str(copy_id) and row.details["source"] == quiz_id


def test_delete_is_refused_once_attempts_exist(app, client, world) -> None:
    quiz_id = world["quiz"]
    _take(app, quiz_id, world["nurse"], submit=False)
    page = client.get(f"/author/quizzes/{quiz_id}/delete").data.decode()
    assert "Archive instead" in page
    refused = client.post(f"/author/quizzes/{quiz_id}/delete", data={"confirm": "yes"})
    assert refused.status_code == 409 and b"Archive it instead" in refused.data
    with app.app_context():
        assert db.session.get(Quiz, quiz_id) is not None
    assert _audit(app, "quiz.deleted") == []


def test_delete_needs_the_confirmation_and_then_deletes(app, client, world) -> None:
    quiz_id = world["quiz"]
    assert client.post(f"/author/quizzes/{quiz_id}/delete", data={}).status_code == 422
    with app.app_context():
        assert db.session.get(Quiz, quiz_id) is not None
    done = client.post(f"/author/quizzes/{quiz_id}/delete", data={"confirm": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/author/quizzes")
    with app.app_context():
        assert db.session.get(Quiz, quiz_id) is None
    [row] = _audit(app, "quiz.deleted")
    assert row.details["title"] == "Line check"


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.MANAGER])
def test_trainees_and_managers_cannot_change_a_quiz(app, client, auth, world, role) -> None:
    quiz_id = world["quiz"]
    with app.app_context():
        UserFactory(email="someone@ward.example", role=role)
    auth.logout()
    auth.login("someone@ward.example", DEFAULT_PASSWORD)
    assert client.get(f"/author/quizzes/{quiz_id}/edit").status_code == 403
    assert client.get(f"/author/quizzes/{quiz_id}/delete").status_code == 403
    for action in ("edit", "close", "reopen", "archive", "unarchive", "duplicate", "delete"):
        data = _edit_form(title="Taken") if action == "edit" else {"confirm": "yes"}
        assert client.post(f"/author/quizzes/{quiz_id}/{action}", data=data).status_code == 403
    with app.app_context():
        quiz = db.session.get(Quiz, quiz_id)
        assert (quiz.title, quiz.close_at, quiz.archived_at) == ("Line check", None, None)
        assert db.session.scalar(select(func.count()).select_from(Quiz)) == 1


def test_a_missing_quiz_is_a_404_for_every_action(client, world) -> None:
    for action in ("edit", "close", "reopen", "archive", "unarchive", "duplicate", "delete"):
        assert client.post(f"/author/quizzes/999/{action}", data={}).status_code == 404, action
    assert client.get("/author/quizzes/999/edit").status_code == 404
    assert client.get("/author/quizzes/999/stats").status_code == 404


def test_the_builder_shows_counts_picks_and_every_error_at_once(app, client, world) -> None:
    with app.app_context():  # a retired question is not available
        entry = db.session.scalar(select(QuestionEntry).where(QuestionEntry.uid == "t-short"))
        entry.status = QuestionStatus.RETIRED
        db.session.commit()
    page = client.get("/author/quizzes/new").data.decode()
    # without script both parts show; the one not chosen says when it is used
    assert 'class="field selection-part" id="part-per_topic"' in page
    assert 'class="field selection-part unchosen" id="part-fixed"' in page
    assert "Used when “A fixed list” is chosen above" in page
    assert re.search(
        r'id="count-routes/intravenous"[^>]*>\s*</td>\s*<td class="available">5 available', page
    )
    found = client.post(
        "/author/quizzes/new",
        data={"title": "", "selection": "fixed", "search": "replaces lost fluid", "find": "Search"},
    )
    html = found.data.decode()
    assert found.status_code == 200 and 'id="found-t-single"' in html
    assert 'id="found-t-multiple"' not in html and "Give the quiz a title" not in html
    assert "Pick at least one" not in html and "Not saved" not in html
    bad = client.post(
        "/author/quizzes/new",
        data={
            **SETTINGS,
            "title": "",
            "selection": "per_topic",
            "count-routes/intravenous": "two",
            "pass_mark": "120",
            "description": "Kept as typed",
        },
    )
    html = bad.data.decode()
    assert bad.status_code == 422
    assert 'id="title-error"' in html and 'id="pass_mark-error"' in html
    assert 'id="count-routes/intravenous-error"' in html and "A whole number from 0 to 50" in html
    assert "Kept as typed" in html and 'value="two"' in html
    total = client.post(
        "/author/quizzes/new",
        data={**SETTINGS, "title": "", "count-routes/intravenous": "4"},
    ).data.decode()
    assert re.search(r'<output id="topic-total"[^>]*>4</output>', total)
    missing = client.post(
        "/author/quizzes/new",
        data={**SETTINGS, "title": "Ids", "selection": "fixed", "fixed": "t-single nope-1"},
    )
    assert missing.status_code == 422 and b"no published question: nope-1" in missing.data
    # the known id became a ticked box; the unknown one stays typed, beside its error
    html = missing.data.decode()
    assert re.search(r'name="picked" value="t-single" id="pick-t-single" checked', html)
    assert re.search(r'<textarea[^>]*name="fixed"[^>]*>\s*nope-1</textarea>', html)
    # a fixed list does not use the counts, so a mistyped count does not hold it back
    saved = client.post(
        "/author/quizzes/new",
        data={
            **SETTINGS,
            "title": "Ids",
            "selection": "fixed",
            "picked": ["t-numeric"],
            "fixed": "t-single",
            "count-routes/intravenous": "two",
        },
    )
    assert saved.status_code == 302
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.title == "Ids"))
        assert quiz.selection == {"fixed": ["t-numeric", "t-single"]}


def test_query_counts_do_not_grow_with_quizzes_or_attempts(app, client, world) -> None:
    quiz_id = world["quiz"]
    pages = [
        "/author/quizzes",
        f"/author/quizzes/{quiz_id}",
        f"/author/quizzes/{quiz_id}/edit",
        "/author/quizzes/new",
    ]

    def counts() -> list[int]:
        out = []
        for url in pages:
            with count_queries(app) as counter:
                assert client.get(url).status_code == 200, url
            out.append(counter["n"])
        return out

    before = counts()
    with app.app_context():
        for n in range(6):
            quiz = create_quiz(f"More {n}", {"per_topic": {"routes/intravenous": 2}})
            assign_quiz(quiz.id, world["unit"])
            assign_quiz(quiz_id, UnitFactory(name=f"Ward extra {n}").id)
        for n in range(3):
            user = UserFactory(email=f"extra{n}@ward.example")
            MembershipFactory(unit=db.session.get(Unit, world["unit"]), user=user)
    with app.app_context():
        from quizapp.models import User

        extra = db.session.scalars(select(User.id).where(User.email.like("extra%"))).all()
    for user_id in extra:
        _take(app, quiz_id, user_id)
    assert counts() == before


def test_an_attempt_started_before_closing_can_still_be_finished(app, client, auth, world) -> None:
    quiz_id = world["quiz"]
    started = _take(app, quiz_id, world["nurse"], submit=False)
    assert client.post(f"/author/quizzes/{quiz_id}/close").status_code == 302
    auth.logout()
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    page = client.get(f"/quizzes/{quiz_id}").data.decode()
    assert "Resume my attempt" in page
    answered = answer(client, app, started, 1)
    assert answered.status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Response).where(Response.attempt_id == started)
            )
            == 1
        )
    done = client.post(f"/attempts/{started}/submit", data={"confirm": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/result")
    with app.app_context():
        assert db.session.get(Attempt, started).submitted_at is not None


def test_an_attempt_from_before_versions_counts_as_version_one(app, client, world) -> None:
    quiz_id = world["quiz"]
    attempt_id = _take(app, quiz_id, world["nurse"])
    with app.app_context():
        db.session.get(Attempt, attempt_id).quiz_version = None
        db.session.commit()
    response = client.post(f"/author/quizzes/{quiz_id}/edit", data=_edit_form(picked=["t-short"]))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Quiz, quiz_id).version == 2
