"""What the SSO admin tests share: an app with single sign-on "configured" (the OIDC keys set
after the app is made, as the page and the switch read them, so the OIDC helper's start-up
checks of a real provider do not apply), an admin signed in, and audit reads."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AuditEvent, Role, User
from tests.conftest import make_app
from tests.factories import DEFAULT_PASSWORD, UserFactory

ADMIN_EMAIL = "admin@ward.example"
NURSES = "CN=ICU-Nurses,OU=Groups,DC=hospital,DC=org"
PROVIDER = "Hospital Entra ID"


def configure_oidc(app: Flask) -> None:
    app.config["OIDC_ISSUER"] = "https://login.hospital.example/tenant/v2.0"
    app.config["OIDC_PROVIDER_NAME"] = PROVIDER


@pytest.fixture
def sso_app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url, QUIZAPP_BASE_URL="https://quiz.example")
    configure_oidc(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def sign_in(client: FlaskClient, email: str) -> None:
    page = client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD})
    assert page.status_code == 302, page.get_data(as_text=True)


@pytest.fixture
def admin_client(sso_app: Flask) -> FlaskClient:
    with sso_app.app_context():
        UserFactory(email=ADMIN_EMAIL, name="Ada Admin", role=Role.ADMIN)
    client = sso_app.test_client()
    sign_in(client, ADMIN_EMAIL)
    return client


def admin_id(app: Flask) -> int:
    with app.app_context():
        found = db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL))
        assert found is not None
        return found


def audit_rows(app: Flask, action: str) -> list[tuple[int | None, str, dict[str, Any]]]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()
        return [(row.actor_id, row.object_key, dict(row.details)) for row in rows]


def error_beside(page: str, field_id: str) -> str:
    """The error text shown under a field (the `field` macro's <p id="<field>-error">)."""
    found = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1).strip()) if found else ""
