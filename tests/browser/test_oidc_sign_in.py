"""In a browser, phone and desktop, against a real OpenID Connect provider (panva
oidc-provider on loopback, tests/oidc): "Sign in with Hospital ID" on our sign-in page, the
provider's own login form, and back on the trainee home in the unit the groups claim maps
to. A changed `state` in the callback URL and a tampered ID token are each refused with the
refusal page and an audit row. Our pages pass axe and have no sideways scroll on a phone."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Page, Route, expect
from sqlalchemy import select
from werkzeug.serving import make_server

from quizapp.extensions import db
from quizapp.models import AuditEvent, DirectoryGroupMapping, Role, Unit, User
from tests.browser.checks import check_page
from tests.browser.conftest import screenshot
from tests.conftest import make_app
from tests.sso.oidc_provider import PASSWORD, TestProvider, running_provider

NURSES = "ICU-Nurses"
QUIZ = "ICU line care check"


@dataclass
class OidcLive:
    url: str
    app: Flask
    provider: TestProvider

    def refusal_reasons(self) -> list[str]:
        with self.app.app_context():
            rows = db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "login.directory_refused")
            ).all()
            return [row.details.get("reason", "") for row in rows]


def _seed(app: Flask) -> None:
    """Unit ICU and the admin's mapping: members of ICU-Nurses are trainees in ICU."""
    with app.app_context():
        unit = Unit(name="ICU")
        db.session.add(unit)
        db.session.flush()
        db.session.add(
            DirectoryGroupMapping(
                source="oidc", group=NURSES, group_key=NURSES.casefold(),
                role=Role.TRAINEE, unit_id=unit.id,
            )
        )  # fmt: skip
        db.session.commit()


@pytest.fixture
def icu_quiz(oidc_live: OidcLive) -> str:
    """The bank, and a quiz assigned to ICU only: seen on the home of ICU's trainees."""
    from quizapp.services.quizzes import assign_quiz, create_quiz

    app = oidc_live.app
    assert app.test_cli_runner().invoke(args=["bank", "load"]).exit_code == 0
    with app.app_context():
        unit_id = db.session.scalar(select(Unit.id).where(Unit.name == "ICU"))
        assert unit_id is not None
        quiz = create_quiz(QUIZ, {"per_topic": {"routes/intravenous": 3}}, mode="exam")
        assign_quiz(quiz.id, unit_id)
    return QUIZ


@pytest.fixture
def oidc_live(tmp_path: Path, database_url: str) -> Iterator[OidcLive]:
    holder: dict[str, Callable[..., Any]] = {}
    server = make_server("127.0.0.1", 0, lambda env, start: holder["app"](env, start), True)
    base = f"http://127.0.0.1:{server.server_port}"
    with running_provider(tmp_path, [base + "/login/oidc/callback"]) as provider:
        provider.add_account(
            "ann", email="ann.byrne@hospital.example", name="Ann Byrne", groups=[NURSES]
        )
        app = make_app(
            database_url,  # a copy of the migrated template (tests/conftest.py)
            WTF_CSRF_ENABLED=True,
            TESTING=False,
            ENV_NAME="development",
            QUIZAPP_BASE_URL=base,
            **provider.app_config(),
        )
        _seed(app)
        holder["app"] = app
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield OidcLive(base, app, provider)
        finally:
            server.shutdown()
            with app.app_context():
                db.engine.dispose()


def _to_provider_login(page: Page, live: OidcLive, shot: str = "") -> None:
    page.goto(live.url + "/login")
    check_page(page)
    if shot:
        screenshot(page, shot)
    button = page.get_by_role("link", name="Sign in with Hospital ID")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("h1")).to_have_text("Test identity provider: sign in")
    assert page.url.startswith(live.provider.issuer + "/interaction/")


def _log_in_at_provider(page: Page, login: str = "ann", password: str = PASSWORD) -> None:
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(password)
    page.click("#submit")
    page.wait_for_load_state()


def _expect_refused(page: Page, words: str) -> None:
    expect(page.locator("h1")).to_have_text("Sign-in refused")
    expect(page.locator("main")).to_contain_text(words)
    expect(page.get_by_role("link", name="Back to sign in")).to_be_visible()
    expect(page.locator("form[action$='/logout']")).to_have_count(0)
    check_page(page)


def test_sign_in_through_the_provider_lands_in_the_unit(
    oidc_live: OidcLive, icu_quiz: str, page: Page
) -> None:
    _to_provider_login(page, oidc_live, shot="sign-in-with-oidc")
    _log_in_at_provider(page, "ann", "not the password")
    expect(page.locator("#login-error")).to_contain_text("do not match")
    _log_in_at_provider(page)
    expect(page.locator("h1")).to_have_text("My training")
    assert page.url == oidc_live.url + "/me"
    expect(page.get_by_role("link", name=icu_quiz)).to_be_visible()  # assigned to ICU only
    expect(page.locator("form[action$='/logout']")).to_have_count(1)
    check_page(page)
    screenshot(page, "oidc-signed-in")
    with oidc_live.app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ann.byrne@hospital.example"))
        assert user is not None and user.role is Role.TRAINEE and user.name == "Ann Byrne"
        assert [(m.unit.name, m.source) for m in user.memberships] == [("ICU", "directory")]
    assert oidc_live.refusal_reasons() == []


def test_a_changed_state_is_refused(oidc_live: OidcLive, page: Page) -> None:
    """The provider's answer is held before it reaches the app (the login form's post and
    the provider's redirects are replayed with the browser's own cookies), then opened with
    one character of its state changed."""
    callbacks: list[str] = []
    app_callback = oidc_live.url + "/login/oidc/callback?"

    def hold(route: Route) -> None:
        answer = route.fetch(max_redirects=0)
        url = urljoin(route.request.url, answer.headers["location"])
        for _ in range(10):
            if url.startswith(app_callback):
                break
            answer = page.context.request.get(url, max_redirects=0)
            url = urljoin(url, answer.headers["location"])
        callbacks.append(url)
        route.fulfill(status=200, content_type="text/plain", body="held by the test")

    def is_login_post(url: str) -> bool:
        return url.startswith(oidc_live.provider.issuer) and url.endswith("/login")

    page.route(is_login_post, hold)
    _to_provider_login(page, oidc_live)
    _log_in_at_provider(page)
    expect(page.locator("body")).to_have_text("held by the test")
    assert len(callbacks) == 1, callbacks
    parts = urlsplit(callbacks[0])
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert query["code"] and query["state"]
    query["state"] = "x" + query["state"][1:]
    page.unroute(is_login_post)
    page.goto(f"{oidc_live.url}{parts.path}?{urlencode(query)}")
    _expect_refused(page, "did not come from your organisation")
    screenshot(page, "oidc-refused")
    assert oidc_live.refusal_reasons() == ["state_mismatch"]
    page.goto(oidc_live.url + "/me")
    expect(page.locator("h1")).to_have_text("Sign in")  # not signed in


def test_a_tampered_id_token_is_refused(oidc_live: OidcLive, page: Page) -> None:
    """The provider's token answer is changed on its way (its signature kept): the groups
    claim now names a managers group."""
    oidc_live.provider.tamper("forge", groups=[NURSES, "ICU-Managers"], name="Mallory")
    _to_provider_login(page, oidc_live)
    _log_in_at_provider(page)
    _expect_refused(page, "did not come from your organisation")
    assert oidc_live.refusal_reasons() == ["id_token_signature"]
    with oidc_live.app.app_context():
        assert db.session.scalar(select(User).where(User.email.like("ann%"))) is None
