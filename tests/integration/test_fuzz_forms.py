"""Arbitrary form input to the main forms: never a 500, never a partial write."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Response, Role
from quizapp.services import attempt_builder
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import load_small_bank, start_practice, topic_id
from tests.integration.snapshot import snapshot

FIELD = st.one_of(st.text(max_size=40), st.lists(st.text(max_size=10), max_size=3))
FORM = st.dictionaries(
    st.sampled_from(
        [
            "email",
            "password",
            "answer",
            "seq",
            "pair-1",
            "pair-2",
            "topics",
            "length",
            "mode",
            "type",
            "stem",
            "rationale",
            "value",
            "tolerance",
            "unit",
            "accepted",
            "choices-0-text",
            "choices-0-correct",
            "pairs-0-prompt",
            "cites",
            "topic",
            "difficulty",
            "token",
            "status",
            "x",
        ]
    ),
    FIELD,
    max_size=8,
)
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _state(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        state = snapshot()
    state.pop("audit_events")
    return state


@FUZZ
@given(FORM)
def test_login_form(app, client, form) -> None:
    response = client.post("/login", data=form)
    assert response.status_code in (200, 302, 400, 429)


def test_trainee_and_author_forms(app, client, auth, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        UserFactory(email="t@fuzz.example")
        UserFactory(email="i@fuzz.example", role=Role.INSTRUCTOR)
    auth.login("t@fuzz.example", DEFAULT_PASSWORD)
    attempt_id = start_practice(
        client, [topic_id(app, "routes/intravenous")], length=5, mode="exam"
    )

    @FUZZ
    @given(FORM, st.integers(1, 6))
    def answer(form, position) -> None:  # type: ignore[no-untyped-def]
        before = _state(app)
        response = client.post(f"/attempts/{attempt_id}/q/{position}", data=form)
        assert response.status_code in (302, 400, 404, 422), response.status_code
        if response.status_code != 302 or f"/q/{position}" in response.headers["Location"]:
            assert _state(app) == before  # refused: nothing written

    @FUZZ
    @given(FORM)
    def practice(form) -> None:  # type: ignore[no-untyped-def]
        response = client.post("/practice", data=form)
        assert response.status_code in (200, 302, 400)

    answer()
    practice()
    auth.logout()
    auth.login("i@fuzz.example", DEFAULT_PASSWORD)

    @FUZZ
    @given(FORM)
    def new_question(form) -> None:  # type: ignore[no-untyped-def]
        before = _state(app)
        response = client.post("/author/questions/new", data=form)
        assert response.status_code in (200, 302, 400, 422), response.status_code
        if response.status_code != 302:
            assert _state(app) == before

    new_question()


EVERY_TYPE = ["t-single", "t-multiple", "t-true-false", "t-matching", "t-numeric", "t-short"]
JUNK = st.text(max_size=12)


def _answer_fields(qtype: str, data: dict):  # type: ignore[no-untyped-def]
    """Answer fields for one question: mostly its real ids, sometimes junk or nothing."""
    if qtype in ("single", "multiple"):
        ids = [c["id"] for c in data["choices"]]
        one = st.one_of(st.sampled_from(ids), JUNK)
        value = one if qtype == "single" else st.lists(one, max_size=4)
        return st.dictionaries(st.just("answer"), value, max_size=1)
    if qtype == "true_false":
        return st.dictionaries(
            st.just("answer"), st.one_of(st.sampled_from(["true", "false"]), JUNK), max_size=1
        )
    if qtype == "matching":
        answers = [p["answer"] for p in data["pairs"]]
        return st.fixed_dictionaries(
            {},
            optional={
                f"pair-{p['id']}": st.one_of(st.sampled_from(answers), JUNK) for p in data["pairs"]
            },
        )
    numbers = st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: f"{x:g}")
    return st.dictionaries(st.just("answer"), st.one_of(numbers, JUNK), max_size=1)


def test_answers_with_a_valid_seq_reach_the_service(app, client, auth, tmp_path) -> None:
    """Fuzzed answers sent with the attempt's current seq to a real question: each one is
    either saved (302 to the next page, seq up by one, a mark from 0 to 1 at that position) or
    refused as invalid (422 and nothing written); enough of them are saved."""
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit = UnitFactory()
        user = UserFactory(email="fuzz@ward.example")
        MembershipFactory(unit=unit, user=user)
        quiz = create_quiz("Fuzz", {"fixed": EVERY_TYPE})
        assign_quiz(quiz.id, unit.id)
        attempt_id = attempt_builder.start_assigned(user, quiz.id).id
        items = {
            i.position: (i.version.type, i.version.data)
            for i in db.session.get(Attempt, attempt_id).items
        }
    assert [items[p][0] for p in range(1, 7)] == [
        "single",
        "multiple",
        "true_false",
        "matching",
        "numeric",
        "short_answer",
    ]
    auth.login("fuzz@ward.example", DEFAULT_PASSWORD)
    outcomes = {"saved": 0, "refused": 0}

    # Derandomised: "enough are saved" is then a property of one fixed sequence of draws, not
    # luck (random draws saved 9 of 40 in one PostgreSQL run).
    @settings(FUZZ, max_examples=60, derandomize=True)
    @given(st.integers(1, 6), st.data())
    def answer(position, draw) -> None:  # type: ignore[no-untyped-def]
        fields = draw.draw(_answer_fields(*items[position]))
        with app.app_context():
            seq = db.session.get(Attempt, attempt_id).seq
        before = _state(app)
        response = client.post(
            f"/attempts/{attempt_id}/q/{position}", data={**fields, "seq": str(seq)}
        )
        with app.app_context():
            new_seq = db.session.get(Attempt, attempt_id).seq
            mark = db.session.scalar(
                select(Response.mark)
                .join(AttemptItem, AttemptItem.id == Response.item_id)
                .where(AttemptItem.attempt_id == attempt_id, AttemptItem.position == position)
            )
        if response.status_code == 302:
            nxt = f"/q/{position + 1}" if position < 6 else "/review"
            assert response.headers["Location"] == f"/attempts/{attempt_id}{nxt}"
            assert new_seq == seq + 1
            assert mark is not None and 0.0 <= mark <= 1.0
            outcomes["saved"] += 1
        else:
            assert response.status_code == 422, (fields, response.status_code)
            assert new_seq == seq and _state(app) == before
            outcomes["refused"] += 1

    answer()
    assert outcomes["saved"] >= 10, outcomes
