"""Arbitrary form input to the main forms: never a 500, never a partial write."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from quizapp.models import Role
from tests.factories import DEFAULT_PASSWORD, UserFactory
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
