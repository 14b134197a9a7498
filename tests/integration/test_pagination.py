"""The one pagination (queries.pagination.page_of): whole rows when asked, pages clamped to
1 .. the last, two queries a page; and the pages that use it (audit log, question list)."""

from __future__ import annotations

import re

from sqlalchemy import event, select

from quizapp.extensions import db
from quizapp.models import AuditEvent, Role
from quizapp.queries.pagination import page_of
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.integration.quiz_helpers import load_small_bank


def _events(app, n: int) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        for i in range(n):
            db.session.add(AuditEvent(action=f"test.{i:02d}", object_key=str(i), ip="10.0.0.1"))
        db.session.commit()


def _by_id():  # type: ignore[no-untyped-def]
    return select(AuditEvent).where(AuditEvent.action.like("test.%")).order_by(AuditEvent.id)


def test_pages_are_cut_and_past_the_end_is_the_last_page(app) -> None:
    _events(app, 7)
    with app.app_context():
        third = page_of(_by_id(), 3, 3)
        assert (third.page, third.pages, third.total) == (3, 3, 7)
        assert [e.action for e in third.items] == ["test.06"]
        beyond = page_of(_by_id(), 40, 3)
        assert beyond.page == 3 and [e.action for e in beyond.items] == ["test.06"]
        before = page_of(_by_id(), 0, 3)
        assert before.page == 1 and [e.action for e in before.items] == [
            "test.00",
            "test.01",
            "test.02",
        ]


def test_rows_keep_every_column_and_scalars_the_first(app) -> None:
    _events(app, 2)
    with app.app_context():
        statement = (
            select(AuditEvent.action, AuditEvent.object_key)
            .where(AuditEvent.action.like("test.%"))
            .order_by(AuditEvent.id)
        )
        assert [tuple(r) for r in page_of(statement, 1, 5, rows=True).items] == [
            ("test.00", "0"),
            ("test.01", "1"),
        ]
        assert page_of(statement, 1, 5).items == ["test.00", "test.01"]


def test_an_empty_list_is_page_one(app) -> None:
    with app.app_context():
        empty = page_of(_by_id(), 2, 3)
        assert (empty.page, empty.pages, empty.total, empty.items) == (1, 0, 0, [])


def test_a_page_is_two_queries(app) -> None:
    _events(app, 7)
    with app.app_context():
        seen: list[str] = []

        def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            if statement.lstrip().upper().startswith("SELECT"):
                seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            page_of(_by_id(), 2, 3)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert len(seen) == 2


def test_the_question_list_past_its_end_shows_its_last_page(app, client, auth, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        UserFactory(email="pages@ward.example", role=Role.INSTRUCTOR)
    auth.login("pages@ward.example", DEFAULT_PASSWORD)
    html = client.get("/author/questions?page=99").data.decode()
    shown = re.search(r"Page (\d+) of (\d+)", html)
    assert shown is not None and shown.group(1) == shown.group(2)
    assert 'href="/author/questions/' in html  # rows, not an empty page
    assert "Next →" not in html


def test_the_audit_log_past_its_end_shows_its_last_page(app) -> None:
    with app.app_context():
        UserFactory(email="pages-admin@ward.example", role=Role.ADMIN)
    client = app.test_client()
    client.post("/login", data={"email": "pages-admin@ward.example", "password": DEFAULT_PASSWORD})
    _events(app, 60)
    html = client.get("/admin/audit?page=9").data.decode()
    assert "Page 2 of 2" in html and html.count("<tr><td>") == 11  # 60 events + the sign-in
