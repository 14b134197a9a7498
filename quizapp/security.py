"""Response headers, idle sign-out, and the audit of refused access."""

from __future__ import annotations

import time

from flask import Flask, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from quizapp.services import audit
from quizapp.services.sign_in import sign_out_idle

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def register(app: Flask) -> None:
    @app.before_request
    def audit_origin() -> None:
        # Where this request's commands come from, for their audit rows (services never read
        # the request). Back to "cli" at teardown, so a later command in this thread is not
        # taken for this address.
        audit.origin.set(request.remote_addr or "")

    @app.teardown_request
    def forget_audit_origin(_error: BaseException | None) -> None:
        audit.origin.set(audit.CLI_ORIGIN)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if app.config["ENV_NAME"] == "production":
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if "_user_id" in session:  # signed in; the session, not the database (may be away)
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.before_request
    def idle_timeout() -> Response | None:
        if request.endpoint in ("static", "health.healthz") or not current_user.is_authenticated:
            return None
        now = int(time.time())
        limit = app.config["IDLE_TIMEOUT_MINUTES"] * 60
        seen = session.get("seen")
        if isinstance(seen, int) and now - seen > limit:
            sign_out_idle(current_user)  # the server forgets it too: copies stop working
            session.clear()
            logout_user()  # after clearing: it leaves the note that clears the remember-me cookie
            flash(
                f"You were signed out after {app.config['IDLE_TIMEOUT_MINUTES']} minutes "
                "without activity. Please sign in again.",
                "info",
            )
            return redirect(
                url_for("auth.login", next=request.full_path if request.method == "GET" else None)
            )
        session["seen"] = now
        session.permanent = True
        return None
