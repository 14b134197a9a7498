"""Study tools on the trainee blueprint: flag a question, strike out a choice, the confirm step
before submitting, and "practise the ones I got wrong".

Flag and strike are buttons inside the answer form: without JavaScript the form posts here,
the change is saved and the question is shown again with the answer the trainee had chosen
but not yet sent (neither touches `seq`, so that form stays valid). study.js posts the same
form with fetch and `Accept: application/json`, and gets the saved state back instead.
"""

from __future__ import annotations

import secrets

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.arrival import request_arrival
from quizapp.models import AttemptStatus
from quizapp.presenters import keep_given_answer, practice_notes
from quizapp.queries.review import attempt_page, review_page
from quizapp.services import attempts, retry, study
from quizapp.services.errors import AttemptClosed, Conflict, InvalidInput, NotAllowed
from quizapp.trainee.routes import bp

View = str | Response | tuple[str, int] | tuple[Response, int]


@bp.app_template_global()
def start_token() -> str:
    """A fresh token for a start form (each form its own: a double click starts once)."""
    return secrets.token_urlsafe(16)


def _wants_json() -> bool:
    return request.headers.get("Accept", "") == "application/json"


def _question_again(
    attempt_id: int, position: int, *, error: str | None = None, status: int = 200
) -> str | tuple[str, int]:
    """The question page once more, with the answer posted but not sent kept."""
    attempt = attempts.owned_attempt(current_user, attempt_id, full=True)
    page = attempt_page(attempt, position)
    if page is None:
        abort(404)
    if not page["locked"]:
        keep_given_answer(page["item"], request.form.to_dict(flat=False))
    html = render_template("trainee/question.html", error=error, **page)
    return (html, status) if status != 200 else html


def _refused(attempt_id: int, position: int, exc: Exception, status: int) -> View:
    if _wants_json():
        return jsonify(error=str(exc)), status
    if isinstance(exc, AttemptClosed):
        flash(str(exc), "error")
        return redirect(url_for("trainee.result", attempt_id=attempt_id))
    return _question_again(attempt_id, position, error=str(exc), status=status)


@bp.post("/attempts/<int:attempt_id>/q/<int:position>/flag")
def flag(attempt_id: int, position: int) -> View:
    wanted = request.form.get("flag", "1") == "1"
    try:
        saved = study.set_flag(current_user, attempt_id, position, wanted, now=request_arrival())
    except AttemptClosed as exc:
        return _refused(attempt_id, position, exc, 409)
    if _wants_json():
        return jsonify(flagged=saved)
    return _question_again(attempt_id, position)


@bp.post("/attempts/<int:attempt_id>/q/<int:position>/strike")
def strike(attempt_id: int, position: int) -> View:
    on, off = request.form.get("strike_on"), request.form.get("strike_off")
    choice_id, wanted = (on, True) if on is not None else (off or "", False)
    try:
        saved = study.set_struck(
            current_user, attempt_id, position, choice_id, wanted, now=request_arrival()
        )
    except AttemptClosed as exc:
        return _refused(attempt_id, position, exc, 409)
    except InvalidInput as exc:
        return _refused(attempt_id, position, exc, 422)
    if _wants_json():
        return jsonify(struck=saved)
    return _question_again(attempt_id, position)


@bp.get("/attempts/<int:attempt_id>/confirm")
def confirm_submit(attempt_id: int) -> str | Response:
    attempt = attempts.owned_attempt(current_user, attempt_id, full=True)
    if attempt.status is not AttemptStatus.IN_PROGRESS:
        return redirect(url_for("trainee.result", attempt_id=attempt.id))
    # The seq of the review page this came from, so the stale-page guard spans both pages.
    seq = request.args.get("seq", type=int)
    return render_template(
        "trainee/confirm_submit.html",
        seq=attempt.seq if seq is None else seq,
        **review_page(attempt),
    )


@bp.post("/attempts/<int:attempt_id>/retry")
def retry_attempt(attempt_id: int) -> Response:
    try:
        started = retry.start_retry(
            current_user, attempt_id, token=request.form.get("token") or None
        )
    except (InvalidInput, Conflict, NotAllowed) as exc:
        flash(str(exc), "error")
        return redirect(url_for("trainee.result", attempt_id=attempt_id))
    _say_left_out(started.settings)
    return redirect(url_for("trainee.question", attempt_id=started.id, position=1))


@bp.post("/topics/<int:topic_id>/retry")
def retry_topic(topic_id: int) -> Response:
    try:
        started = retry.start_topic_retry(
            current_user, topic_id, token=request.form.get("token") or None
        )
    except (InvalidInput, Conflict) as exc:
        flash(str(exc), "error")
        return redirect(url_for("trainee.home"))
    _say_left_out(started.settings)
    return redirect(url_for("trainee.question", attempt_id=started.id, position=1))


def _say_left_out(settings: dict[str, object]) -> None:
    """A flash naming what a practice left out of what was asked (nothing when it gave all)."""
    for message in practice_notes(settings):
        flash(message, "info")
