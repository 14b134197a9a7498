"""Questions in bulk: the list's ticked questions (confirm reviewed, publish, retire, retag)
and the review queue of questions flagged by a changed source section."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.instructor.blueprint import bp
from quizapp.instructor.forms import BulkForm, StatusForm
from quizapp.queries.review_queue import flagged_questions
from quizapp.services import question_review
from quizapp.services.errors import InvalidInput

BACK = {"list": "instructor.questions", "queue": "instructor.review_queue"}
DONE = {
    "confirm": "confirmed as still correct",
    "publish": "published",
    "retire": "retired",
    "add_tag": "tagged",
    "remove_tag": "untagged",
}


def _ids() -> list[int]:
    """The ticked ids (at most the service's limit plus one, so it can refuse a longer list)."""
    raw = request.form.getlist("ids")[: question_review.MAX_IDS + 1]
    try:
        return [int(value) for value in raw]
    except ValueError:
        abort(400)


@bp.post("/questions/bulk")
def bulk_questions() -> Response:
    form = BulkForm()
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        abort(400)  # the action and the tag are checked by the service, with a message
    back = url_for(BACK.get(request.form.get("back", ""), BACK["list"]))
    action = form.action.data or ""
    try:
        result = question_review.bulk_action(_ids(), action, current_user.id, form.tag.data or "")
    except InvalidInput as exc:
        flash(str(exc), "error")
        return redirect(back)
    if result.done:
        flash(f"{len(result.done)} question(s) {DONE[action]}: {', '.join(result.done)}.", "info")
    if result.skipped:
        why = "; ".join(f"{uid}: {reason}" for uid, reason in result.skipped)
        flash(f"{len(result.skipped)} left as they were ({why}).", "error")
    return redirect(back)


@bp.get("/questions/review")
def review_queue() -> str:
    questions, total = flagged_questions()
    return render_template(
        "instructor/question_review.html",
        questions=questions,
        total=total,
        form=StatusForm(),
        bulk_form=BulkForm(formdata=None),
    )
