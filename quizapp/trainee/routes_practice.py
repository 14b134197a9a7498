"""Trainee routes for unfinished practice: discard it, after a confirm page (no script needed).

Ending a tutor practice is the ordinary submit route ("End practice" on its pages)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.services import practice
from quizapp.services.errors import AttemptClosed, InvalidInput, NotAllowed
from quizapp.trainee.routes import bp

REFUSAL_STATUS = {"not_allowed": 403, "closed": 409}


@bp.get("/attempts/<int:attempt_id>/discard")
def discard_confirm(attempt_id: int) -> tuple[str, int]:
    preview = practice.discard_preview(current_user, attempt_id)
    status = REFUSAL_STATUS.get(preview.refused_as, 200)
    return render_template("trainee/discard.html", preview=preview), status


@bp.post("/attempts/<int:attempt_id>/discard")
def discard(attempt_id: int) -> Response:
    try:
        practice.discard(current_user, attempt_id, confirmed=request.form.get("confirm") == "yes")
    except InvalidInput as exc:
        flash(str(exc), "error")
        return redirect(url_for("trainee.discard_confirm", attempt_id=attempt_id))
    except NotAllowed as exc:
        flash(str(exc), "error")
        return redirect(url_for("trainee.resume", attempt_id=attempt_id))
    except AttemptClosed as exc:
        flash(str(exc), "info")
        return redirect(url_for("trainee.home"))
    flash("The practice was discarded.", "info")
    return redirect(url_for("trainee.home"))
