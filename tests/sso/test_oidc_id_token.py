"""The ID token at the callback: its signature, issuer, audience, expiry and nonce are each
checked, against a real provider whose token endpoint a test turns into a tampering proxy
(tests/oidc/provider.mjs). Every refusal shows the refusal page and leaves an audit row."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import User
from tests.sso.oidc_flow import (  # noqa: F401 - the *_fixture names are fixtures
    CALLBACK,
    NOW,
    assert_refused,
    callback,
    client_fixture,
    oidc_app_fixture,
    provider_fixture,
    refusals,
    sign_in,
    start,
)
from tests.sso.oidc_provider import TestProvider, sign_in_at_provider


def test_a_nonce_other_than_ours_is_refused(oidc_app: Flask, client: FlaskClient) -> None:
    authorize = start(client)
    with client.session_transaction() as session:
        pending = dict(session["oidc_pending"])
        pending["nonce"] = "not-the-nonce-sent-to-the-provider"
        session["oidc_pending"] = pending
    assert_refused(callback(client, sign_in_at_provider(authorize, "ann")), 400, "refused")
    with oidc_app.app_context():
        assert refusals() == [("oidc", "id_token_claims")]
        assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize(
    ("mode", "claims", "reason"),
    [
        ("forge", {"email": "admin@hospital.example"}, "id_token_signature"),
        ("foreign", {}, "id_token_signature"),
        ("none", {}, "id_token_signature"),
        ("drop", {}, "id_token_missing"),
        ("resign", {"exp": NOW - 600, "iat": NOW - 4200}, "id_token_claims"),
        ("resign", {"aud": "another-client"}, "id_token_claims"),
        ("resign", {"iss": "http://127.0.0.1:1"}, "id_token_claims"),
        ("resign", {"nonce": "replayed-from-another-sign-in"}, "id_token_claims"),
        ("resign", {"nonce": None}, "id_token_claims"),
    ],
    ids=["forged-claims", "foreign-key", "alg-none", "no-id-token", "expired",
         "wrong-audience", "wrong-issuer", "wrong-nonce", "no-nonce"],
)  # fmt: skip
def test_a_bad_id_token_is_refused(
    oidc_app: Flask,
    client: FlaskClient,
    provider: TestProvider,
    mode,
    claims,
    reason,  # type: ignore[no-untyped-def]
) -> None:
    provider.tamper(mode, **claims)
    assert_refused(sign_in(client), 400, "did not come from")
    assert client.get("/me").status_code == 302
    with oidc_app.app_context():
        assert refusals() == [("oidc", reason)]
        assert db.session.scalar(select(User)) is None


def test_a_validly_resigned_token_still_signs_in(
    oidc_app: Flask, client: FlaskClient, provider: TestProvider
) -> None:
    """The tampering proxy's own control: re-signed with the provider's key, unchanged
    claims pass, so the refusals above are about the claims and keys, not the proxy."""
    provider.tamper("resign")
    assert sign_in(client).headers["Location"] == "/"
