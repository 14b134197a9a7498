"""With the app as configured for production (the `csrf_app` fixture overrides nothing
about CSRF): every state-changing request without a valid token gets the CSRF refusal (400),
and a CSRF failure on a quiz page gives the trainee's answer back."""

from __future__ import annotations

import re

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.integration.quiz_helpers import fields_for, item_at, load_small_bank, topic_id

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _token(client, path: str) -> str:  # type: ignore[no-untyped-def]
    match = TOKEN.search(client.get(path).data.decode())
    assert match, path
    return match.group(1)


def _build(rule, values) -> str:  # type: ignore[no-untyped-def]
    from flask import url_for

    return url_for(rule.endpoint, **values)


def test_every_post_without_a_token_gets_400(csrf_app) -> None:
    with csrf_app.app_context():
        UserFactory(email="admin@ward.example", role="admin")
    client = csrf_app.test_client()
    login = client.post(
        "/login",
        data={
            "email": "admin@ward.example",
            "password": DEFAULT_PASSWORD,
            "csrf_token": _token(client, "/login"),
        },
    )
    assert login.status_code == 302
    rules = [r for r in csrf_app.url_map.iter_rules() if "POST" in (r.methods or set())]
    assert len(rules) >= 15
    with csrf_app.test_request_context():
        paths = [
            (
                r.endpoint,
                _build(
                    r,
                    {
                        a: ("x" if a in ("slug", "key", "token", "table") else 1)
                        for a in r.arguments
                    },
                ),
            )
            for r in rules
        ]
    for endpoint, path in paths:
        for data in ({}, {"csrf_token": "forged"}):
            response = client.post(path, data=data)
            assert response.status_code == 400, (endpoint, path, response.status_code)
            # the CSRF refusal itself, not a 400 of the view's own (a form it could not read)
            assert b"Its security token was missing" in response.data, (endpoint, path)


def test_login_with_a_valid_token_works_and_without_fails(csrf_app) -> None:
    with csrf_app.app_context():
        UserFactory(email="nurse@ward.example")
    client = csrf_app.test_client()
    no_token = client.post(
        "/login", data={"email": "nurse@ward.example", "password": DEFAULT_PASSWORD}
    )
    assert no_token.status_code == 400 and b"security token" in no_token.data
    ok = client.post(
        "/login",
        data={
            "email": "nurse@ward.example",
            "password": DEFAULT_PASSWORD,
            "csrf_token": _token(client, "/login"),
        },
    )
    assert ok.status_code == 302


def test_a_csrf_failure_on_a_quiz_page_keeps_the_answer(csrf_app, tmp_path) -> None:
    load_small_bank(csrf_app, tmp_path)
    with csrf_app.app_context():
        UserFactory(email="nurse@ward.example")
    client = csrf_app.test_client()
    client.post(
        "/login",
        data={
            "email": "nurse@ward.example",
            "password": DEFAULT_PASSWORD,
            "csrf_token": _token(client, "/login"),
        },
    )
    page = client.get("/practice").data.decode()
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    started = client.post(
        "/practice",
        data={
            "topics": [topic_id(csrf_app, "routes/intravenous")],
            "length": 5,
            "mode": "exam",
            "token": token,
            "csrf_token": TOKEN.search(page).group(1),
        },
    )
    attempt_id = int(re.search(r"/attempts/(\d+)/", started.headers["Location"]).group(1))
    for position in range(1, 6):
        qtype, data = item_at(csrf_app, attempt_id, position)
        if qtype in ("single", "numeric", "short_answer"):
            break
    fields = fields_for(qtype, data, True)
    question = client.get(f"/attempts/{attempt_id}/q/{position}").data.decode()
    seq = re.search(r'name="seq" value="(\d+)"', question).group(1)
    response = client.post(
        f"/attempts/{attempt_id}/q/{position}", data={**fields, "seq": seq, "csrf_token": "expired"}
    )
    assert response.status_code == 400
    html = response.data.decode()
    assert "Your answer was not saved" in html and 'role="alert"' in html
    value = str(fields["answer"])
    if qtype == "single":
        assert re.search(rf'value="{value}"[^>]*checked', html)
    else:
        assert f'value="{value}"' in html
