from __future__ import annotations

from pathlib import Path

from tests.conftest import make_app


def test_healthz_answers_200_when_the_database_answers(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "quiz.db"
    app = make_app(f"sqlite:///{missing}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_a_page_answers_503_with_a_clear_page_when_the_database_is_away(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'missing' / 'quiz.db'}")
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert b"not answering" in response.data
