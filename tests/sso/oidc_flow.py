"""The OIDC flow driven without a browser: a provider per test module, an app configured
for it with unit ICU mapped from the group ICU-Nurses, and helpers that start a sign-in,
walk the provider's login form and bring its answer back to the app."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.config import DEV_BASE_URL
from quizapp.extensions import db
from quizapp.models import AuditEvent, DirectoryGroupMapping, Role, UnitMembership, User
from tests.conftest import make_app
from tests.factories import UnitFactory
from tests.sso.oidc_provider import TestProvider, running_provider, sign_in_at_provider

CALLBACK = DEV_BASE_URL + "/login/oidc/callback"  # QUIZAPP_BASE_URL in tests
NURSES = "ICU-Nurses"
NOW = int(time.time())


@pytest.fixture(scope="module", name="provider")
def provider_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestProvider]:
    with running_provider(tmp_path_factory.mktemp("oidc"), [CALLBACK]) as running:
        yield running


@pytest.fixture(name="oidc_app")
def oidc_app_fixture(database_url: str, provider: TestProvider) -> Iterator[Flask]:
    provider.tamper(None)
    provider.add_account("ann", email="ann.byrne@hospital.example", groups=[NURSES, "Staff"])
    app = make_app(database_url, **provider.app_config())
    with app.app_context():
        unit = UnitFactory(name="ICU")
        db.session.add(
            DirectoryGroupMapping(
                source="oidc", group=NURSES, group_key=NURSES.casefold(),
                role=Role.TRAINEE, unit_id=unit.id,
            )
        )  # fmt: skip
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(name="client")
def client_fixture(oidc_app: Flask) -> FlaskClient:
    return oidc_app.test_client()


def start(client: FlaskClient, query: str = "") -> str:
    answer = client.get("/login/oidc" + query)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    return answer.headers["Location"]


def callback(client: FlaskClient, url: str):  # type: ignore[no-untyped-def]
    assert url.startswith(CALLBACK), url
    return client.get(url[len(DEV_BASE_URL) :])


def sign_in(client: FlaskClient, login: str = "ann", query: str = ""):  # type: ignore[no-untyped-def]
    return callback(client, sign_in_at_provider(start(client, query), login))


def refusals() -> list[tuple[str, str]]:
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "login.directory_refused")
    ).all()
    return [(row.object_key, row.details.get("reason", "")) for row in rows]


def assert_refused(answer, status: int, words: str) -> None:  # type: ignore[no-untyped-def]
    page = answer.get_data(as_text=True)
    assert answer.status_code == status, page[:800]
    assert words in page
    assert 'href="/login"' in page  # the way back to sign in
    assert '<form action="/logout"' not in page


def memberships(email: str) -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(UnitMembership.source, User.email)
        .join(User, User.id == UnitMembership.user_id)
        .where(User.email == email)
    ).all()
    return [(row[0], row[1]) for row in rows]
