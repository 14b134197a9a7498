"""Request and import limits, export file names and restore checks (issue 12)."""

from __future__ import annotations

import re
from io import BytesIO

import pytest

from quizapp.extensions import db
from quizapp.models import QuestionEntry, Role
from quizapp.request_limits import UPLOAD_ENDPOINTS
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.integration.quiz_helpers import load_small_bank, start_practice, topic_id, trainee
from tests.integration.test_instructor import single_form


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *_: object) -> bytes:
        raise AssertionError("the body was read")

    readline = readlines = read


@pytest.fixture
def instructor(app, client, auth, tmp_path):  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    with app.app_context():
        UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
    auth.login("educator@ward.example", DEFAULT_PASSWORD)


def test_a_1_gb_login_post_is_refused_before_its_body_is_read(csrf_app) -> None:
    response = csrf_app.test_client().post(
        "/login",
        environ_overrides={
            "wsgi.input": UnreadableBody(),
            "CONTENT_LENGTH": str(1024**3),
            "CONTENT_TYPE": "multipart/form-data; boundary=x",
        },
    )
    assert response.status_code == 413
    page = response.data.decode()
    assert "larger than this page accepts (256 KB)" in page
    assert "nothing was saved" in page


def test_only_upload_routes_take_more_than_the_form_limit(app) -> None:
    assert set(app.view_functions) >= UPLOAD_ENDPOINTS  # a renamed route would lose its limit
    body = b"email=a%40b.example&password=" + b"x" * (300 * 1024)
    response = app.test_client().post(
        "/login", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413


def test_a_480_kb_answer_is_refused(app, client, auth, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    trainee(app, "learner@ward.example")
    auth.login("learner@ward.example", DEFAULT_PASSWORD)
    attempt_id = start_practice(client, [topic_id(app, "routes/intravenous")], length=5)
    response = client.post(f"/attempts/{attempt_id}/q/1", data={"answer": "x" * 480_000})
    assert response.status_code in (400, 413)
    assert len(response.data) < 100_000


def _import(client, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        "/author/import",
        data={"file": (BytesIO(data), name), "format": "auto", "dry_run": "y"},
        content_type="multipart/form-data",
    )


def test_an_oversize_import_file_is_refused_naming_it(app, client, instructor) -> None:
    gift = b"Q {=a ~b}\n\n" * (2 * 1024 * 1024 // 11 + 1)  # just over 2 MB
    response = _import(client, "big.gift", gift)
    assert response.status_code == 422
    assert "big.gift: the file is larger than 2 MB." in response.data.decode()


def test_a_5_mb_gift_of_answers_is_refused_by_the_request_limit(app, client, instructor) -> None:
    response = _import(client, "huge.gift", b"Q {=a" + b"~a" * 2_500_000 + b"}\n")
    assert response.status_code == 413
    assert "A question file can be at most 2 MB" in response.data.decode()


def test_an_import_over_the_question_limit_is_refused_naming_the_file(app, client, instructor):
    app.config["IMPORT_MAX_QUESTIONS"] = 3
    gift = "".join(f"::Q{n}:: Stem {n} {{=a ~b}}\n\n" for n in range(4)).encode()
    response = _import(client, "four.gift", gift)
    assert response.status_code == 422
    assert "four.gift:7: the file holds more than 3 questions" in response.data.decode()


def test_the_cli_refuses_an_oversize_file_naming_it(app, runner, tmp_path) -> None:
    path = tmp_path / "big.gift"
    path.write_bytes(b"Q {=a ~b}\n\n" * 200_000)
    result = runner.invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}: the file is 2.1 MB; at most 2 MB is imported" in result.output


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        ("a\r\nSet-Cookie: x=1", "attachment; filename=questions-a-Set-Cookie-x-1.gift.txt"),
        ('say "hi"', "attachment; filename=questions-say-hi.gift.txt"),
        ("", "attachment; filename=questions-all.gift.txt"),
    ],
)
def test_export_file_names_give_a_safe_header(app, client, instructor, topic, expected) -> None:
    response = client.get("/author/export", query_string={"format": "gift", "topic": topic})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == expected
    assert not any(c.startswith("x=") for c in response.headers.getlist("Set-Cookie"))


def test_a_non_ascii_topic_gives_an_rfc_8187_file_name(app, client, instructor) -> None:
    response = client.get("/author/export", query_string={"format": "yaml", "topic": "sécu"})
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''questions-s%C3%A9cu.yaml" in disposition
    disposition.encode("latin-1")


def test_restoring_a_version_without_a_rationale_is_refused(app, client, instructor) -> None:
    response = client.post("/author/questions/new", data=single_form(rationale=""))
    entry_id = int(re.search(r"/questions/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        # A draft save now updates the draft in place; a version kept in the history without a
        # rationale is one written before that (migration 0020 froze every earlier version).
        db.session.get(QuestionEntry, entry_id).current.frozen = True
        db.session.commit()
    client.post(f"/author/questions/{entry_id}/edit", data=single_form(note="Rationale"))
    client.post(f"/author/questions/{entry_id}/status", data={"status": "published"})
    response = client.post(f"/author/questions/{entry_id}/restore/1", follow_redirects=True)
    page = response.data.decode()
    assert "Version 1 not restored: A published question needs a rationale." in page
    with app.app_context():
        entry = db.session.get(QuestionEntry, entry_id)
        assert entry.current_version == 2 and entry.current.rationale
        assert entry.status.value == "published"
