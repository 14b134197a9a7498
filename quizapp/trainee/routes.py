"""Trainee pages: home, practice, assigned quizzes, answering, submitting, results, history."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.access import require_roles
from quizapp.arrival import request_arrival
from quizapp.domain.mastery import MASTERY_RULE
from quizapp.form_choices import SelectChoice
from quizapp.models import Attempt, AttemptStatus, Role, utcnow
from quizapp.presenters import keep_given_answer, practice_notes
from quizapp.queries import pick_lists
from quizapp.queries.case_pages import published_cases
from quizapp.queries.case_scores import trainee_step_scores
from quizapp.queries.review import attempt_page, result_page, review_page
from quizapp.queries.trainee_home import recent_attempts, topic_rows
from quizapp.services import attempt_builder, attempts
from quizapp.services.errors import (
    AttemptClosed,
    Conflict,
    InvalidInput,
    NotAllowed,
    NotFound,
    StalePage,
)
from quizapp.services.quiz_access import assigned_quizzes, quiz_for_trainee
from quizapp.trainee.forms import PracticeForm

bp = Blueprint("trainee", __name__, template_folder="templates")
require_roles(bp, Role.TRAINEE)


def _owned(attempt_id: int, *, full: bool = False) -> Attempt:
    return attempts.owned_attempt(current_user, attempt_id, full=full)


@bp.get("/me")
def home() -> str:
    return render_template(
        "trainee/home.html",
        banks=topic_rows(current_user),
        quizzes=assigned_quizzes(current_user),
        attempts=recent_attempts(current_user),
        step_scores=trainee_step_scores(current_user.id),
        mastery_rule=MASTERY_RULE,
        now=utcnow(),
    )


@bp.route("/practice", methods=["GET", "POST"])
def practice() -> str | Response:
    form = PracticeForm()
    form.topics.choices = [SelectChoice(t.id, t.title) for t in pick_lists.topics()]
    if request.method == "GET":
        form.token.data = secrets.token_urlsafe(16)
        wanted = request.args.getlist("topic", type=int)
        form.topics.data = wanted or None
    if form.validate_on_submit():
        try:
            attempt = attempt_builder.start_practice(
                current_user,
                form.topics.data or [],
                form.length.data or 0,
                form.mode.data or "tutor",
                token=form.token.data or None,
            )
        except (InvalidInput, Conflict) as exc:
            form.topics.errors = [*form.topics.errors, str(exc)]
        else:
            for note in practice_notes(attempt.settings):
                flash(note, "info")
            return redirect(url_for("trainee.question", attempt_id=attempt.id, position=1))
    return render_template("trainee/practice.html", form=form, cases=published_cases())


@bp.get("/quizzes/<int:quiz_id>")
def quiz(quiz_id: int) -> str:
    view = quiz_for_trainee(current_user, quiz_id)
    return render_template(
        "trainee/quiz.html", view=view, token=secrets.token_urlsafe(16), now=utcnow()
    )


@bp.post("/quizzes/<int:quiz_id>/start")
def start_quiz(quiz_id: int) -> Response:
    try:
        attempt = attempt_builder.start_assigned(
            current_user, quiz_id, token=request.form.get("token") or None
        )
    except (NotAllowed, Conflict) as exc:
        flash(str(exc), "error")
        return redirect(url_for("trainee.quiz", quiz_id=quiz_id))
    return redirect(url_for("trainee.resume", attempt_id=attempt.id))


@bp.get("/attempts")
def history() -> str:
    return render_template("trainee/history.html", attempts=recent_attempts(current_user, None))


@bp.get("/attempts/<int:attempt_id>")
def resume(attempt_id: int) -> Response:
    attempt = _owned(attempt_id, full=True)
    if attempt.status is AttemptStatus.SUBMITTED:
        return redirect(url_for("trainee.result", attempt_id=attempt.id))
    unanswered = [i.position for i in attempt.items if i.response is None]
    if not unanswered:
        return redirect(url_for("trainee.review", attempt_id=attempt.id))
    return redirect(url_for("trainee.question", attempt_id=attempt.id, position=unanswered[0]))


@bp.get("/attempts/<int:attempt_id>/q/<int:position>")
def question(attempt_id: int, position: int) -> str | Response:
    attempt = _owned(attempt_id, full=True)
    if attempt.status is AttemptStatus.SUBMITTED:
        return redirect(url_for("trainee.result", attempt_id=attempt.id))
    if attempts.is_overdue(attempt, utcnow()):
        return render_template("trainee/time_up.html", attempt=attempt)
    page = attempt_page(attempt, position)
    if page is None:
        abort(404)
    return render_template("trainee/question.html", **page)


@bp.post("/attempts/<int:attempt_id>/q/<int:position>")
def answer(attempt_id: int, position: int) -> str | Response | tuple[str, int]:
    fields = request.form.to_dict(flat=False)
    try:
        seen = int(request.form.get("seq", "-1"))
    except ValueError:
        seen = -1
    try:
        saved = attempts.save_answer(
            current_user, attempt_id, position, seen, fields, now=request_arrival()
        )
    except AttemptClosed as exc:
        flash(str(exc), "error")
        return redirect(url_for("trainee.result", attempt_id=attempt_id))
    except StalePage as exc:
        flash(str(exc), "error")
        return redirect(url_for("trainee.question", attempt_id=attempt_id, position=position))
    except InvalidInput as exc:
        attempt = _owned(attempt_id, full=True)
        page = attempt_page(attempt, position)
        if page is None:
            abort(404)
        keep_given_answer(page["item"], fields)  # a refused answer stays filled in to fix
        return render_template("trainee/question.html", error=str(exc), **page), 422
    if saved.mode == "tutor":
        return redirect(url_for("trainee.question", attempt_id=attempt_id, position=position))
    if position < saved.total:
        return redirect(url_for("trainee.question", attempt_id=attempt_id, position=position + 1))
    return redirect(url_for("trainee.review", attempt_id=attempt_id))


@bp.get("/attempts/<int:attempt_id>/review")
def review(attempt_id: int) -> str | Response:
    attempt = _owned(attempt_id, full=True)
    if attempt.status is AttemptStatus.SUBMITTED:
        return redirect(url_for("trainee.result", attempt_id=attempt.id))
    return render_template("trainee/review.html", now=utcnow(), **review_page(attempt))


@bp.post("/attempts/<int:attempt_id>/submit")
def submit(attempt_id: int) -> Response:
    try:
        seen = int(request.form.get("seq", ""))
    except ValueError:
        seen = None
    if request.form.get("confirm") != "yes":  # the confirm step (routes_study.confirm_submit)
        _owned(attempt_id)  # another trainee's attempt is a 404 all the same
        flash("Nothing was submitted yet: check the summary below and confirm.", "error")
        return redirect(url_for("trainee.confirm_submit", attempt_id=attempt_id))
    try:
        attempts.submit(current_user, attempt_id, seen, now=request_arrival())
    except AttemptClosed as exc:
        flash(str(exc), "info")
    except StalePage as exc:
        flash(str(exc), "error")
        return redirect(url_for("trainee.review", attempt_id=attempt_id))
    return redirect(url_for("trainee.result", attempt_id=attempt_id))


@bp.get("/attempts/<int:attempt_id>/result")
def result(attempt_id: int) -> str | Response:
    attempt = _owned(attempt_id, full=True)
    if attempt.status is not AttemptStatus.SUBMITTED:
        if attempts.is_overdue(attempt, utcnow()):
            return render_template("trainee/time_up.html", attempt=attempt)
        return redirect(url_for("trainee.resume", attempt_id=attempt.id))
    return render_template("trainee/result.html", **result_page(attempt, utcnow()))


def answer_after_csrf_failure() -> tuple[str, int] | None:
    """The answer post failed its CSRF check: show the question again with the answer given,
    so nothing the trainee chose is lost, and ask them to send it again. None when the page
    cannot be shown (not this trainee's attempt): the caller shows the plain CSRF page."""
    args = request.view_args or {}
    if not current_user.is_authenticated or current_user.role is not Role.TRAINEE:
        return None
    try:
        attempt = attempts.owned_attempt(current_user, int(args.get("attempt_id", 0)), full=True)
    except NotFound:
        return None
    page = attempt_page(attempt, int(args.get("position", 0)))
    if page is None:
        return None
    keep_given_answer(page["item"], request.form.to_dict(flat=False))
    message = (
        "Your answer was not saved: the page's security token had expired. It is filled in "
        "below; check it and send it again."
    )
    return render_template("trainee/question.html", error=message, **page), 400


from quizapp.trainee import routes_cases, routes_study  # noqa: E402, F401  (their routes join bp)
