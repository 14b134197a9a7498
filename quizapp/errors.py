"""Error pages: plain words, the right status, a 503 when the database is away, a 429 that
says when to try again, and a CSRF failure on a quiz page that gives the answer back."""

from __future__ import annotations

import contextlib
import math
import time

from flask import Flask, g, render_template, request
from flask_login import AnonymousUserMixin, current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, TooManyRequests

from quizapp.extensions import db, limiter
from quizapp.services import audit


def _audit(action: str, **details: object) -> None:
    try:
        actor = current_user.id if current_user.is_authenticated else None
        audit.record(action, actor_id=actor, object_type="url", object_key=request.path, **details)
        db.session.commit()
    except Exception:
        _rollback()


def _rollback() -> None:
    """End whatever transaction failed, so the handler does not hit PendingRollbackError;
    guarded, because with the database gone the rollback itself can fail."""
    with contextlib.suppress(Exception):
        db.session.rollback()


def _error_page(template: str, **context: object) -> str:
    """Render an error template (they extend error_base.html) without asking the database.

    Flask-Login's context processor loads the user for every template; when that load is what
    failed, the page would fail again (a bare 500 from gunicorn), so pin "signed out" here.
    """
    if "_login_user" not in g:
        g._login_user = AnonymousUserMixin()
    return render_template(template, **context)


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        _rollback()
        if error.code == 403:
            _audit("access.refused", method=request.method)
        return _error_page("error.html", error=error), error.code or 500

    @app.errorhandler(TooManyRequests)
    def too_many(error: TooManyRequests):  # type: ignore[no-untyped-def]
        _rollback()
        current = limiter.current_limit
        wait = max(1, math.ceil(current.reset_at - time.time())) if current else 60
        _audit("ratelimit.hit", limit=str(current.limit) if current else "")
        minutes = math.ceil(wait / 60)
        page = _error_page("too_many.html", minutes=minutes)
        return page, 429, {"Retry-After": str(wait)}

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError):  # type: ignore[no-untyped-def]
        _rollback()
        _audit("csrf.refused", reason=error.description)
        if request.endpoint == "trainee.answer":
            from quizapp.trainee.routes import answer_after_csrf_failure

            page = answer_after_csrf_failure()
            if page is not None:
                return page
        return render_template("csrf.html"), 400

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError) -> tuple[str, int]:
        # Connection refused, server gone, or SQLite still locked after the busy timeout.
        _rollback()
        app.logger.warning("database unavailable: %s", error)
        return _error_page("unavailable.html"), 503
