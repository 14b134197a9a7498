"""Error pages: plain words, the right status, and a 503 when the database is away."""

from __future__ import annotations

from flask import Flask, render_template
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from quizapp.extensions import db


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        return render_template("error.html", error=error), error.code or 500

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError) -> tuple[str, int]:
        # Connection refused, server gone, or SQLite still locked after the busy timeout.
        db.session.rollback()
        app.logger.warning("database unavailable: %s", error)
        return render_template("unavailable.html"), 503
