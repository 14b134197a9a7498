"""Error pages: plain words, the right status, a 503 when the database is away, a 429 that
says when to try again, and a CSRF failure on a quiz page that gives the answer back.

Every handler rolls the session back first: after a failed statement (say an IntegrityError)
the session refuses all work until then (PendingRollbackError), and the page itself, or the
signed-in user it shows, may need the database."""

from __future__ import annotations

import contextlib
import math

from flask import Flask, current_app, g, render_template, request
from flask_login import AnonymousUserMixin, current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug import exceptions as http
from werkzeug.exceptions import HTTPException, TooManyRequests

from quizapp.extensions import db
from quizapp.services import audit, errors

# The one mapping of service errors to HTTP. Most specific first: StalePage and AttemptClosed
# are Conflicts. A view that shows the error beside a form field catches it itself (that is
# validation, not mapping); anything else a command refuses ends here.
SERVICE_STATUS: tuple[tuple[type[errors.ServiceError], type[HTTPException]], ...] = (
    (errors.NotFound, http.NotFound),
    (errors.NotAllowed, http.Forbidden),
    (errors.Conflict, http.Conflict),
    (errors.InvalidInput, http.UnprocessableEntity),
)


def http_error_for(error: errors.ServiceError) -> HTTPException:
    """The HTTP error a service error becomes (its message is the page's description)."""
    for service_error, http_error in SERVICE_STATUS:
        if isinstance(error, service_error):
            return http_error(str(error) or None)
    return http.BadRequest(str(error) or None)


def _audit(action: str, **details: object) -> None:
    """Record the refusal as its own unit of work (the request's work was rolled back first);
    it never raises, so a database failure here never breaks the error page."""
    try:
        actor = current_user.id if current_user.is_authenticated else None
    except Exception:  # loading the user is what failed (the database is away)
        _rollback()
        actor = None
    audit.record_refusal_now(
        action,
        actor_id=actor,
        ip=request.remote_addr or "",
        object_type="url",
        object_key=request.path,
        **details,
    )


def _rollback() -> None:
    """End whatever transaction failed, so the handler does not hit PendingRollbackError;
    guarded, because with the database gone the rollback itself can fail."""
    with contextlib.suppress(Exception):
        db.session.rollback()


def _too_large() -> str:
    from quizapp.request_limits import UPLOAD_ENDPOINTS
    from quizapp.uploads import size_text

    most = size_text(request.max_content_length or 0)
    message = f"What you sent is larger than this page accepts ({most}); nothing was saved."
    if request.endpoint in UPLOAD_ENDPOINTS:
        files = size_text(current_app.config["IMPORT_MAX_BYTES"])
        message += f" A question file can be at most {files}: split a larger one."
    return message


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
        if error.code == 413:
            error.description = _too_large()
        # A refusal with its own reason (a service's NotAllowed: "no attempts left") says it;
        # only a bare 403 (a role's page) gets the general words.
        own_reason = error.description != type(error).description
        return _error_page("error.html", error=error, own_reason=own_reason), error.code or 500

    @app.errorhandler(TooManyRequests)
    def too_many(error: TooManyRequests) -> tuple[str, int, dict[str, str]]:
        _rollback()
        retry = error.retry_after if isinstance(error.retry_after, int) else 60
        wait = max(1, retry)
        _audit("ratelimit.hit", wait=wait)
        page = _error_page("too_many.html", seconds=wait, minutes=math.ceil(wait / 60))
        return page, 429, {"Retry-After": str(wait)}

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> tuple[str, int]:
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

    @app.errorhandler(IntegrityError)
    def integrity_conflict(error: IntegrityError) -> tuple[str, int]:
        # A race that no view maps to its own page yet: nothing was saved, say so, not a 500.
        _rollback()
        app.logger.warning("integrity conflict on %s: %s", request.path, error.orig)
        page = http.Conflict(
            "Someone changed this at the same moment, so nothing was saved. Go back and try again."
        )
        return _error_page("error.html", error=page), 409

    @app.errorhandler(errors.ServiceError)
    def service_refused(error: errors.ServiceError) -> tuple[str, int]:
        # The command rolled its unit of work back; the page says why, with its status.
        return http_error(http_error_for(error))
