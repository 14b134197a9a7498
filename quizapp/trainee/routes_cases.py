"""Trainee routes for case studies: start one as tutor practice (from the practice page)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.services.case_practice import start_case_practice
from quizapp.services.errors import Conflict, InvalidInput
from quizapp.trainee.routes import bp


@bp.post("/practice/cases/<string:case_key>")
def start_case(case_key: str) -> Response:
    try:
        attempt = start_case_practice(
            current_user, case_key[:64], token=(request.form.get("token") or "")[:64] or None
        )
    except (InvalidInput, Conflict) as exc:
        flash(str(exc), "error")
        return redirect(url_for("trainee.practice") + "#cases")
    return redirect(url_for("trainee.question", attempt_id=attempt.id, position=1))
