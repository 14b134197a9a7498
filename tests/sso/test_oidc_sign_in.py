"""OpenID Connect sign-in against a real provider (panva oidc-provider on loopback), without a
browser: the provider's login form is walked with plain HTTP, the app is the Flask test
client. Each refusal must show the refusal page and leave an audit row with its reason."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import (
    AuditEvent,
    DirectoryIdentity,
    Role,
    User,
)
from quizapp.sso import oidc_discovery
from tests.conftest import make_app
from tests.factories import UserFactory
from tests.sso.oidc_flow import (  # noqa: F401 - the *_fixture names are fixtures
    CALLBACK,
    NURSES,
    assert_refused,
    callback,
    client_fixture,
    memberships,
    oidc_app_fixture,
    provider_fixture,
    refusals,
    sign_in,
    start,
)
from tests.sso.oidc_provider import TestProvider, sign_in_at_provider


def test_sign_in_makes_the_account_with_the_unit_of_its_group(
    oidc_app: Flask, client: FlaskClient, provider: TestProvider
) -> None:
    with client.session_transaction() as session:
        session["planted"] = "by someone before sign-in"
    authorize = start(client)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["nonce"] and query["state"] and query["scope"] == ["openid email profile"]
    with client.session_transaction() as session:
        pending = session["oidc_pending"]
        assert pending["verifier"] not in authorize  # the PKCE verifier never leaves the app
    answer = callback(client, sign_in_at_provider(authorize, "ann"))
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/me"
    assert client.get("/me").status_code == 200
    with client.session_transaction() as session:
        assert "planted" not in session and "oidc_pending" not in session
    with oidc_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ann.byrne@hospital.example"))
        assert user is not None and user.role is Role.TRAINEE and user.name == "Ann"
        assert [m.unit.name for m in user.memberships] == ["ICU"]
        identity = db.session.scalar(select(DirectoryIdentity))
        assert identity is not None
        assert (identity.source, identity.subject) == ("oidc", f"{provider.issuer}|ann")
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login.directory"))
        assert event is not None and event.details["groups"] == [NURSES]
        assert refusals() == []


def test_groups_claim_as_one_string(oidc_app: Flask, client: FlaskClient, provider) -> None:  # type: ignore[no-untyped-def]
    provider.add_account("bea", email="bea@hospital.example", groups=NURSES)
    assert sign_in(client, "bea").headers["Location"] == "/"
    with oidc_app.app_context():
        assert memberships("bea@hospital.example") == [("directory", "bea@hospital.example")]


def test_no_mapped_group_is_refused(oidc_app: Flask, client: FlaskClient, provider) -> None:  # type: ignore[no-untyped-def]
    provider.add_account("cal", email="cal@hospital.example", groups=["Catering"])
    assert_refused(sign_in(client, "cal"), 403, "not in any group that gives access")
    assert client.get("/me").status_code == 302  # not signed in
    with oidc_app.app_context():
        assert refusals() == [("cal@hospital.example", "no_role")]


def test_unverified_email_does_not_take_over_a_local_account(
    oidc_app: Flask, client: FlaskClient, provider: TestProvider
) -> None:
    with oidc_app.app_context():
        UserFactory(email="dana@hospital.example", role=Role.ADMIN)
        db.session.commit()
    provider.add_account("dana", email="dana@hospital.example", email_verified=False, groups=[])
    assert_refused(sign_in(client, "dana"), 403, "not verified")
    assert client.get("/admin/").status_code in (302, 401)
    with oidc_app.app_context():
        assert db.session.scalar(select(DirectoryIdentity)) is None
        assert refusals() == [("dana@hospital.example", "email_unverified")]


def test_a_changed_state_is_refused(oidc_app: Flask, client: FlaskClient) -> None:
    back = sign_in_at_provider(start(client), "ann")
    parts = urlsplit(back)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = query["state"][:-2] + ("AA" if not query["state"].endswith("AA") else "BB")
    assert_refused(callback(client, f"{CALLBACK}?{urlencode(query)}"), 400, "did not come from")
    with oidc_app.app_context():
        assert refusals() == [("oidc", "state_mismatch")]
        assert db.session.scalar(select(User)) is None


def test_an_answer_without_a_started_sign_in_is_refused(
    oidc_app: Flask, client: FlaskClient
) -> None:
    """Login CSRF: someone else's valid answer, opened in a browser that started nothing."""
    back = sign_in_at_provider(start(oidc_app.test_client()), "ann")
    assert_refused(callback(client, back), 400, "did not come from")
    with oidc_app.app_context():
        assert refusals() == [("oidc", "state_missing")]


def test_the_answer_works_once(oidc_app: Flask, client: FlaskClient) -> None:
    back = sign_in_at_provider(start(client), "ann")
    assert callback(client, back).headers["Location"] == "/"
    client.post("/logout")
    assert_refused(callback(client, back), 400, "did not come from")


def test_cancelling_at_the_provider(oidc_app: Flask, client: FlaskClient) -> None:
    back = sign_in_at_provider(start(client), "ann", cancel=True)
    assert "error=access_denied" in back
    assert_refused(callback(client, back), 403, "You cancelled signing in")
    with oidc_app.app_context():
        assert refusals() == [("oidc", "provider_access_denied")]


def test_next_is_kept_when_it_is_a_path_here(oidc_app: Flask, client: FlaskClient) -> None:
    assert sign_in(client, query="?next=/practice").headers["Location"] == "/practice"
    client.post("/logout")
    other = oidc_app.test_client()
    assert sign_in(other, query="?next=//evil.example/x").headers["Location"] == "/"


def test_provider_unreachable(database_url: str, provider: TestProvider) -> None:
    from tests.sso.oidc_provider import free_port

    app = make_app(
        database_url, **provider.app_config(OIDC_ISSUER=f"http://127.0.0.1:{free_port()}")
    )
    client = app.test_client()
    assert_refused(client.get("/login/oidc"), 400, "could not be reached")
    began = time.monotonic()
    assert_refused(client.get("/login/oidc"), 400, "could not be reached")
    assert time.monotonic() - began < 1  # not asked again at once
    with pytest.raises(oidc_discovery.DiscoveryFailed, match="not asked again yet"):
        oidc_discovery.provider_metadata(app.config["OIDC_ISSUER"])
    with app.app_context():
        assert refusals() == [("oidc", "provider_unreachable")]
        assert db.session.scalar(select(AuditEvent.count)) == 2  # one row, counted twice
        db.engine.dispose()


def test_the_sign_in_page_has_the_button(client: FlaskClient) -> None:
    page = client.get("/login?next=/practice").get_data(as_text=True)
    assert (
        'href="/login/oidc?next=/practice"' in page or 'href="/login/oidc?next=%2Fpractice"' in page
    )
    assert "Sign in with Hospital ID" in page


def test_not_configured_no_button_and_404(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert "Sign in with" not in page and "/login/oidc" not in page
    assert client.get("/login/oidc").status_code == 404
    assert client.get("/login/oidc/callback?code=x&state=y").status_code == 404


def test_a_discovery_document_for_another_issuer_is_refused(
    database_url: str, provider: TestProvider
) -> None:
    """The provider at localhost calls itself 127.0.0.1: its document is not for the issuer
    configured, so neither are its keys."""
    issuer = provider.issuer.replace("127.0.0.1", "localhost")
    app = make_app(database_url, **provider.app_config(OIDC_ISSUER=issuer))
    assert_refused(app.test_client().get("/login/oidc"), 400, "could not be reached")
    with app.app_context():
        assert refusals() == [("oidc", "provider_unreachable")]
        db.engine.dispose()


def test_a_sign_in_left_too_long_is_refused(oidc_app: Flask, client: FlaskClient) -> None:
    authorize = start(client)
    with client.session_transaction() as session:
        pending = dict(session["oidc_pending"])
        pending["started"] -= 11 * 60
        session["oidc_pending"] = pending
    assert_refused(callback(client, sign_in_at_provider(authorize, "ann")), 400, "took too long")
    with oidc_app.app_context():
        assert refusals() == [("oidc", "state_expired")]


def test_an_answer_naming_another_issuer_is_refused(oidc_app: Flask, client: FlaskClient) -> None:
    """RFC 9207: the provider names itself in its answer, so one provider's answer cannot be
    passed off as another's (mix-up)."""
    back = sign_in_at_provider(start(client), "ann")
    query = {key: values[0] for key, values in parse_qs(urlsplit(back).query).items()}
    assert query["iss"] == oidc_app.config["OIDC_ISSUER"]
    query["iss"] = "https://evil.example"
    assert_refused(callback(client, f"{CALLBACK}?{urlencode(query)}"), 400, "did not come from")
    with oidc_app.app_context():
        assert refusals() == [("oidc", "issuer_mismatch")]
        assert db.session.scalar(select(User)) is None


def test_a_code_redeemed_without_its_verifier_is_refused(
    oidc_app: Flask, client: FlaskClient
) -> None:
    """PKCE at work: a stolen code is useless without the verifier kept in the browser's
    session (here another one), and the provider's refusal gives the clear page."""
    authorize = start(client)
    with client.session_transaction() as session:
        pending = dict(session["oidc_pending"])
        pending["verifier"] = "another-verifier-" + "x" * 50
        session["oidc_pending"] = pending
    answer = callback(client, sign_in_at_provider(authorize, "ann"))
    assert_refused(answer, 400, "did not confirm this sign-in")
    with oidc_app.app_context():
        assert refusals() == [("oidc", "token_request_failed")]
        assert db.session.scalar(select(User)) is None
