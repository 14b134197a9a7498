"""Sign in with the organisation's OpenID Connect provider: /login/oidc sends the browser
there, /login/oidc/callback takes its answer. Both 404 when no provider is configured.

Why the session is cleared at the callback before sign-in: anything planted in the session
before (a fixed session id, another flow's leftovers) must not survive into the signed-in
one. The state, nonce and PKCE verifier live in the session only between the two requests,
and are taken out (one use) as the callback starts.
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user
from werkzeug.wrappers import Response

from quizapp.auth.routes import _safe_next, bp
from quizapp.links import absolute_url
from quizapp.services.directory_sign_in import (
    DirectoryRefused,
    record_directory_failure,
    sign_in_from_directory,
)
from quizapp.sso.oidc import SOURCE, OidcFailure, OidcSettings, finish, start
from quizapp.sso.oidc_config import oidc_enabled

PENDING_KEY = "oidc_pending"
ANSWER_FIELDS = ("code", "state", "iss", "error", "error_description")
MAX_ANSWER_CHARS = 4096


def _settings() -> OidcSettings:
    if not oidc_enabled(current_app.config):
        abort(404)
    return OidcSettings.from_config(current_app.config)


def _refused(title: str, message: str, status: int) -> tuple[str, int]:
    return render_template("auth/sso_refused.html", title=title, message=message), status


def _failed(failure: OidcFailure, ip: str) -> tuple[str, int]:
    record_directory_failure(SOURCE, failure.reason, ip, failure.detail)
    return _refused("Sign-in refused", str(failure), failure.status)


@bp.get("/login/oidc")
def oidc_login() -> Response | tuple[str, int]:
    """Start the flow: no state changes but this browser's session (a GET is enough)."""
    settings = _settings()
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")) or url_for("public.index"))
    try:
        url, pending = start(settings, absolute_url("auth.oidc_callback"))
    except OidcFailure as failure:
        return _failed(failure, request.remote_addr or "")
    pending["next"] = _safe_next(request.args.get("next")) or ""
    session[PENDING_KEY] = pending
    return redirect(url)


@bp.get("/login/oidc/callback")
def oidc_callback() -> Response | tuple[str, int]:
    settings = _settings()
    ip = request.remote_addr or ""
    pending = session.pop(PENDING_KEY, None)
    answer = {k: request.args.get(k, "")[:MAX_ANSWER_CHARS] for k in ANSWER_FIELDS}
    try:
        profile = finish(settings, pending, answer, absolute_url("auth.oidc_callback"))
    except OidcFailure as failure:
        return _failed(failure, ip)
    session.clear()  # a fresh session at sign-in (no fixation)
    try:
        user = sign_in_from_directory(profile, ip, current_app.config["REMEMBER_COOKIE_DURATION"])
    except DirectoryRefused as refusal:  # audited by the service
        return _refused("You cannot sign in here", str(refusal), 403)
    login_user(user, remember=False)
    return redirect(_safe_next(pending.get("next")) or url_for("public.index"))
