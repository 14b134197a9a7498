"""OpenID Connect sign-in (authorization code flow with PKCE S256, state and nonce), built on
Authlib: its OAuth 2 client makes the authorization URL and the code challenge and redeems
the code; joserfc checks the ID token's signature against the provider's published keys;
Authlib's CodeIDToken checks iss, aud, exp, iat, nonce, azp and at_hash.

Why the flow is spelt out here rather than left to Authlib's Flask registry: that registry
skips ID token validation when a token response has no ID token, trusts a leeway of two
minutes, and keeps its state under its own session keys; here every check is one visible
step, refused with a reason the audit log records and a message a nurse can read.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from quizapp.services.directory_sign_in import DirectoryProfile
from quizapp.sso import oidc_discovery
from quizapp.sso.oidc_discovery import DiscoveryFailed

SOURCE = "oidc"
LEEWAY_SECONDS = 60  # clock difference allowed between us and the provider
PENDING_MAX_SECONDS = 600  # a sign-in not finished within ten minutes starts again
TOKEN_TIMEOUT_SECONDS = 10
MAX_CLAIM_CHARS = 500
MAX_GROUPS = 500

TRY_AGAIN = "Please go back to the sign-in page and try again."
_UNREACHABLE = (
    "The sign-in service of your organisation could not be reached, so you cannot sign in "
    f"with it just now. {TRY_AGAIN}"
)


class OidcFailure(Exception):
    """The sign-in cannot go on. `reason` is the audit code, str() the message for the person,
    `status` the HTTP status of the page that says so."""

    def __init__(self, reason: str, message: str, status: int = 400, detail: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status
        self.detail = detail[:200]


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    groups_claim: str
    verify: str | bool
    # OIDC_EMAILS_VERIFIED=1: the provider only hands out addresses the organisation owns
    # (a single-tenant Entra ID, which sends no email_verified claim)
    emails_verified: bool = False  # requests' verify: a CA bundle path, or True for the system's

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> OidcSettings:
        return cls(
            issuer=config["OIDC_ISSUER"],
            client_id=config["OIDC_CLIENT_ID"],
            client_secret=config["OIDC_CLIENT_SECRET"],
            scopes=config["OIDC_SCOPES"],
            groups_claim=config["OIDC_GROUPS_CLAIM"],
            verify=config["OIDC_CA_FILE"] or True,
            emails_verified=config["OIDC_EMAILS_VERIFIED"] == "1",
        )


def _metadata(settings: OidcSettings) -> dict[str, Any]:
    try:
        return oidc_discovery.provider_metadata(settings.issuer, settings.verify)
    except DiscoveryFailed as exc:
        raise OidcFailure("provider_unreachable", _UNREACHABLE, detail=str(exc)) from exc


def _client(settings: OidcSettings, redirect_uri: str) -> OAuth2Session:
    client = OAuth2Session(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scope=settings.scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    )
    client.verify = settings.verify
    return client


def start(settings: OidcSettings, redirect_uri: str) -> tuple[str, dict[str, Any]]:
    """The provider's authorization URL, and what the session must keep until the callback
    (state, nonce and the PKCE verifier: never sent anywhere but in the token request)."""
    metadata = _metadata(settings)
    pending = {
        "state": generate_token(32),
        "nonce": generate_token(32),
        "verifier": generate_token(64),
        "started": int(time.time()),
    }
    with _client(settings, redirect_uri) as client:
        url, _state = client.create_authorization_url(
            metadata["authorization_endpoint"],
            state=pending["state"],
            nonce=pending["nonce"],
            code_verifier=pending["verifier"],
        )
    return url, pending


def finish(
    settings: OidcSettings,
    pending: Mapping[str, Any] | None,
    answer: Mapping[str, str],
    redirect_uri: str,
) -> DirectoryProfile:
    """Check the provider's answer at the callback against `pending` (from start), redeem the
    code, validate the ID token, and return who signed in. OidcFailure on any problem."""
    if answer.get("error"):
        code = answer["error"][:60]
        message = (
            "You cancelled signing in, or your organisation's sign-in service did not let you in."
            if code == "access_denied"
            else "Your organisation's sign-in service answered with an error."
        )
        raise OidcFailure(
            f"provider_{code}" if code == "access_denied" else "provider_error",
            f"{message} {TRY_AGAIN}",
            status=403,
            detail=f"{code}: {answer.get('error_description', '')}",
        )
    _check_state(pending, answer.get("state", ""))
    assert pending is not None  # _check_state refuses a missing one
    if answer.get("iss") and answer["iss"] != settings.issuer:  # RFC 9207: no mix-up
        raise OidcFailure("issuer_mismatch", _NOT_FROM_PROVIDER, detail=answer["iss"][:100])
    if not answer.get("code"):
        raise OidcFailure("no_code", _NOT_FROM_PROVIDER)
    metadata = _metadata(settings)
    token = _redeem(settings, metadata, answer["code"], pending["verifier"], redirect_uri)
    claims = validate_id_token(settings, metadata, token, pending["nonce"])
    return profile_from_claims(claims, settings.groups_claim, settings.emails_verified)


_NOT_FROM_PROVIDER = (
    "This sign-in answer did not come from your organisation's sign-in service as we "
    f"expected, so it was refused. {TRY_AGAIN}"
)


def _check_state(pending: Mapping[str, Any] | None, state: str) -> None:
    """The state is this browser's own, unused and fresh: else a forged or replayed answer
    (login CSRF) or a second tab."""
    if not pending or not isinstance(pending.get("state"), str):
        raise OidcFailure("state_missing", _NOT_FROM_PROVIDER, detail="no sign-in was started")
    if not hmac.compare_digest(pending["state"].encode(), state.encode()):
        raise OidcFailure("state_mismatch", _NOT_FROM_PROVIDER)
    if time.time() - float(pending.get("started", 0)) > PENDING_MAX_SECONDS:
        raise OidcFailure("state_expired", "That sign-in took too long. " + TRY_AGAIN)


def _redeem(
    settings: OidcSettings, metadata: dict[str, Any], code: str, verifier: str, redirect_uri: str
) -> dict[str, Any]:
    try:
        with _client(settings, redirect_uri) as client:
            token = client.fetch_token(
                metadata["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                code_verifier=verifier,
                timeout=TOKEN_TIMEOUT_SECONDS,
            )
    except (AuthlibBaseError, requests.RequestException, ValueError) as exc:
        raise OidcFailure(
            "token_request_failed",
            "Your organisation's sign-in service did not confirm this sign-in. " + TRY_AGAIN,
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc
    return dict(token)


def validate_id_token(
    settings: OidcSettings, metadata: dict[str, Any], token: Mapping[str, Any], nonce: str
) -> dict[str, Any]:
    """The ID token's claims once its signature (a key from the issuer's JWKS, an algorithm
    the issuer announces, never "none") and its iss, aud, exp, iat and nonce are right."""
    raw = token.get("id_token")
    if not isinstance(raw, str) or not raw:
        raise OidcFailure("id_token_missing", _NOT_FROM_PROVIDER)
    algorithms = [
        alg
        for alg in metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        if isinstance(alg, str) and alg.lower() != "none" and not alg.startswith("HS")
    ]
    try:
        decoded = _decode(settings, raw, algorithms)
    except DiscoveryFailed as exc:  # the keys could not be fetched again
        raise OidcFailure("provider_unreachable", _UNREACHABLE, detail=str(exc)) from exc
    except (JoseError, ValueError) as exc:
        raise OidcFailure(
            "id_token_signature", _NOT_FROM_PROVIDER, detail=type(exc).__name__
        ) from exc
    claims = CodeIDToken(
        decoded.claims,
        decoded.header,
        {"iss": {"essential": True, "values": [settings.issuer]}},
        {
            "nonce": nonce,
            "client_id": settings.client_id,
            "access_token": token.get("access_token"),
        },
    )
    try:
        claims.validate(now=int(time.time()), leeway=LEEWAY_SECONDS)
    except Exception as exc:  # its error classes moved between Authlib versions: any = refused
        raise OidcFailure(
            "id_token_claims", _NOT_FROM_PROVIDER, detail=f"{type(exc).__name__}: {exc}"
        ) from exc
    return dict(claims)


def _decode(settings: OidcSettings, raw: str, algorithms: list[str]) -> Any:
    keys = KeySet.import_key_set(
        cast(Any, oidc_discovery.signing_keys(settings.issuer, settings.verify))
    )
    try:
        return jwt.decode(raw, keys, algorithms=algorithms)
    except InvalidKeyIdError:  # the provider may have rotated its keys since we fetched them
        fresh = oidc_discovery.signing_keys(settings.issuer, settings.verify, refresh=True)
        return jwt.decode(raw, KeySet.import_key_set(cast(Any, fresh)), algorithms=algorithms)


def profile_from_claims(
    claims: Mapping[str, Any], groups_claim: str, emails_verified: bool = False
) -> DirectoryProfile:
    """Who the validated claims describe. The e-mail counts as verified when the provider
    says so (`email_verified` true) or the site says all its addresses are (`emails_verified`).
    The subject is "iss|sub" (sub is unique only within its issuer); groups come as a list,
    or as one string when the provider sends a single value (never split: a group name may
    hold spaces and an LDAP DN commas)."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        raise OidcFailure(
            "no_email",
            "Your organisation's sign-in service did not tell us your e-mail address, which "
            "this site needs to know who you are. Ask your IT team to release the email claim.",
            status=403,
        )
    name = claims.get("name")
    return DirectoryProfile(
        source=SOURCE,
        subject=f"{claims['iss']}|{claims['sub']}"[:MAX_CLAIM_CHARS],
        email=email.strip(),
        email_verified=emails_verified or claims.get("email_verified") is True,
        name=(name.strip() if isinstance(name, str) and name.strip() else email)[:200],
        groups=groups_from_claim(claims.get(groups_claim)),
    )


def groups_from_claim(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        items: list[Any] = [value]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        items = []
    groups = [str(item).strip()[:MAX_CLAIM_CHARS] for item in items if isinstance(item, str | int)]
    return tuple(dict.fromkeys(g for g in groups if g))[:MAX_GROUPS]
