"""OIDC settings are checked when the app is made: a half-configured provider or an http
issuer in production refuses to start, saying what to change. And the claims-to-profile
step of the adapter, which needs no provider."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.config import ConfigError, load_config
from quizapp.sso.oidc import OidcFailure, OidcSettings, groups_from_claim, profile_from_claims

GOOD = {
    "OIDC_ISSUER": "https://login.microsoftonline.com/0000-tenant/v2.0",
    "OIDC_CLIENT_ID": "client",
    "OIDC_CLIENT_SECRET": "secret",
}


def config(env: str = "testing", **values: object) -> dict[str, object]:
    overrides: dict[str, object] = {"ENV_NAME": env, "SECRET_KEY": "s" * 40}
    if env == "production":
        overrides["QUIZAPP_BASE_URL"] = "https://quiz.hospital.example"
    overrides.update(values)
    return load_config("/tmp", overrides)


def test_defaults_when_nothing_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_PROVIDER_NAME"):
        monkeypatch.delenv(name, raising=False)
    loaded = config()
    assert loaded["OIDC_ISSUER"] == ""
    assert loaded["OIDC_PROVIDER_NAME"] == "your organisation"
    assert loaded["OIDC_SCOPES"] == "openid email profile"
    assert loaded["OIDC_GROUPS_CLAIM"] == "groups"


def test_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("OIDC_PROVIDER_NAME", " Contoso Health ")
    monkeypatch.setenv("OIDC_GROUPS_CLAIM", "roles")
    loaded = config("production")
    assert loaded["OIDC_ISSUER"] == GOOD["OIDC_ISSUER"]
    assert (loaded["OIDC_PROVIDER_NAME"], loaded["OIDC_GROUPS_CLAIM"]) == (
        "Contoso Health",
        "roles",
    )


@pytest.mark.parametrize(
    ("env", "values", "words"),
    [
        ("production", {"OIDC_ISSUER": GOOD["OIDC_ISSUER"]}, "OIDC_CLIENT_ID and OIDC_CLIENT_"),
        ("testing", {**GOOD, "OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"),
        ("testing", {"OIDC_CLIENT_ID": "c", "OIDC_CLIENT_SECRET": "s"}, "OIDC_ISSUER is not"),
        ("production", {**GOOD, "OIDC_ISSUER": "http://idp.hospital.example"}, "must be an https"),
        ("production", {**GOOD, "OIDC_ISSUER": "http://127.0.0.1:9000"}, "must be an https"),
        ("development", {**GOOD, "OIDC_ISSUER": "http://idp.hospital.example"}, "on loopback"),
        ("testing", {**GOOD, "OIDC_ISSUER": "idp.hospital.example"}, "is not a URL"),
        ("testing", {**GOOD, "OIDC_SCOPES": "email profile"}, "must include 'openid'"),
        ("testing", {**GOOD, "OIDC_CA_FILE": "/nonexistent/ca.pem"}, "not a readable file"),
        ("testing", {**GOOD, "OIDC_GROUPS_CLAIM": "groups; drop"}, "not a claim name"),
        ("production", {**GOOD, "QUIZAPP_BASE_URL": ""}, "QUIZAPP_BASE_URL is needed"),
        ("testing", {**GOOD, "OIDC_EMAILS_VERIFIED": "yes"}, "OIDC_EMAILS_VERIFIED='yes' must"),
    ],
)  # fmt: skip
def test_bad_combinations_refuse_to_start(env: str, values: dict[str, str], words: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(words)):
        config(env, **values)


def test_http_on_loopback_outside_production(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    values = {**GOOD, "OIDC_ISSUER": "http://127.0.0.1:9000", "OIDC_CA_FILE": str(ca)}
    loaded = config("development", **values)
    assert loaded["OIDC_ISSUER"] == "http://127.0.0.1:9000"


CLAIMS = {"iss": "https://idp.example", "sub": "abc", "email": "kim@hospital.example"}


def test_profile_from_claims() -> None:
    profile = profile_from_claims(
        {**CLAIMS, "email_verified": True, "name": " Kim Lee ", "roles": ["ICU", "ICU", "Staff"]},
        "roles",
    )
    assert profile.subject == "https://idp.example|abc"
    assert (profile.email, profile.email_verified, profile.name) == (
        "kim@hospital.example",
        True,
        "Kim Lee",
    )
    assert profile.groups == ("ICU", "Staff")
    assert profile.source == "oidc"


@pytest.mark.parametrize(
    ("value", "groups"),
    [
        (["a", "b"], ("a", "b")),
        ("ICU Nurses", ("ICU Nurses",)),  # one string is one group, spaces and all
        ("CN=ICU,OU=Groups,DC=h", ("CN=ICU,OU=Groups,DC=h",)),
        (None, ()),
        ({"a": 1}, ()),
        (["ok", {"nested": 1}, "", 7], ("ok", "7")),
    ],
)
def test_groups_claim_shapes(value: object, groups: tuple[str, ...]) -> None:
    assert groups_from_claim(value) == groups


@pytest.mark.parametrize("verified", [False, "true", 1, None])
def test_only_a_true_email_verified_counts(verified: object) -> None:
    assert profile_from_claims({**CLAIMS, "email_verified": verified}, "groups").email_verified is (
        False
    )


def test_a_site_can_say_every_address_is_its_own() -> None:
    """Entra ID sends no email_verified; a single-tenant site vouches for its addresses."""
    assert profile_from_claims(CLAIMS, "groups", emails_verified=True).email_verified is True
    assert profile_from_claims(CLAIMS, "groups").email_verified is False
    vouched = OidcSettings.from_config(config("testing", **GOOD, OIDC_EMAILS_VERIFIED="1"))
    assert vouched.emails_verified is True
    assert OidcSettings.from_config(config("testing", **GOOD)).emails_verified is False


def test_no_email_claim_is_refused() -> None:
    with pytest.raises(OidcFailure) as refused:
        profile_from_claims({"iss": "https://idp.example", "sub": "abc"}, "groups")
    assert refused.value.reason == "no_email" and refused.value.status == 403
