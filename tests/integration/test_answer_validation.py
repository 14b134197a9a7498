"""Answers posted through the quiz page are checked against the question version: anything
else is refused with the page and a message, nothing stored and the attempt's seq unchanged."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Response
from tests.integration.quiz_helpers import (
    item_at,
    load_small_bank,
    seq_of,
    start_practice,
    topic_id,
    trainee,
)

# Over the field cap (1,000 characters) but under the request-size limit, so the type refuses it.
LONG = "x" * 5000
BIG = "x" * (480 * 1024)  # over the request-size limit: refused before the form is read


def _positions(app, attempt_id: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {item_at(app, attempt_id, p)[0]: p for p in range(1, 7)}


def _stored(app, attempt_id: int) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        seq = db.session.get(Attempt, attempt_id).seq
        count = db.session.scalar(
            select(func.count()).select_from(Response).where(Response.attempt_id == attempt_id)
        )
        size = db.session.scalar(
            select(func.coalesce(func.sum(func.length(func.cast(Response.answer, db.Text))), 0))
        )
        return seq, count, size


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("single", {"answer": LONG}, "too long"),
        ("single", {"answer": "not-a-choice"}, "choice this question does not have"),
        ("multiple", {"answer": ["a", "zz"]}, "choice this question does not have"),
        ("multiple", {"answer": ["a", LONG]}, "too long"),
        ("matching", {"pair-1": "Subcutaneous", "pair-99": "Intrathecal"}, "matching item"),
        ("matching", {"pair-1": "Orally"}, "match this question does not have"),
        ("short_answer", {"answer": LONG}, "too long"),
        ("numeric", {"answer": LONG}, "too long"),
    ],
)
def test_an_answer_outside_the_question_is_refused_and_not_stored(
    app, client, auth, tmp_path, kind, fields, message
) -> None:
    load_small_bank(app, tmp_path)
    _, email, password = trainee(app)
    auth.login(email, password)
    attempt_id = start_practice(client, [topic_id(app, "routes/intravenous")], 6, "exam")
    position = _positions(app, attempt_id)[kind]
    page = client.get(f"/attempts/{attempt_id}/q/{position}")
    before = _stored(app, attempt_id)
    response = client.post(
        f"/attempts/{attempt_id}/q/{position}", data={**fields, "seq": seq_of(page.data)}
    )
    assert response.status_code in (400, 422)
    html = response.data.decode()
    assert message in html and "Nothing was saved" in html
    assert len(response.data) < 100_000  # the page does not echo the value back
    assert _stored(app, attempt_id) == before == (0, 0, 0)
    # The question still takes a proper answer afterwards.
    good = {"single": {"answer": "b"}, "multiple": {"answer": ["a"]}}.get(kind)
    if good:
        ok = client.post(f"/attempts/{attempt_id}/q/{position}", data={**good, "seq": before[0]})
        assert ok.status_code == 302 and _stored(app, attempt_id)[:2] == (1, 1)


@pytest.mark.parametrize("kind", ["single", "short_answer"])
def test_a_480_kb_answer_is_refused_before_it_is_read(app, client, auth, tmp_path, kind) -> None:
    load_small_bank(app, tmp_path)
    _, email, password = trainee(app)
    auth.login(email, password)
    attempt_id = start_practice(client, [topic_id(app, "routes/intravenous")], 6, "exam")
    position = _positions(app, attempt_id)[kind]
    page = client.get(f"/attempts/{attempt_id}/q/{position}")
    before = _stored(app, attempt_id)
    response = client.post(
        f"/attempts/{attempt_id}/q/{position}", data={"answer": BIG, "seq": seq_of(page.data)}
    )
    assert response.status_code == 413
    assert "nothing was saved" in response.data.decode()
    assert _stored(app, attempt_id) == before == (0, 0, 0)
