"""Secure item pools: mark a question or a whole topic exam-only (never drawn into practice)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.instructor.blueprint import bp
from quizapp.instructor.forms import StatusForm
from quizapp.queries import pick_lists
from quizapp.services.item_pools import set_question_exam_only, set_topic_exam_only


def _wanted() -> bool:
    """The posted switch ("exam_only" = "1" or "0"); a forged or stale form is a 400."""
    if not StatusForm().validate_on_submit():
        abort(400)
    value = request.form.get("exam_only", "")
    if value not in ("0", "1"):
        abort(400)
    return value == "1"


@bp.post("/questions/<int:entry_id>/pool")
def question_pool(entry_id: int) -> Response:
    exam_only = _wanted()
    set_question_exam_only(entry_id, exam_only, current_user.id)
    flash(
        "Kept for quizzes: practice will not draw this question."
        if exam_only
        else "Practice may draw this question again.",
        "info",
    )
    return redirect(url_for("instructor.question", entry_id=entry_id))


@bp.get("/topics")
def topics() -> str:
    return render_template("instructor/topics.html", rows=pick_lists.topics(), form=StatusForm())


@bp.post("/topics/<int:topic_id>/pool")
def topic_pool(topic_id: int) -> Response:
    exam_only = _wanted()
    topic = set_topic_exam_only(topic_id, exam_only, current_user.id)
    flash(
        f"“{topic.title}” is kept for quizzes: practice will not draw its questions."
        if exam_only
        else f"Practice may draw questions of “{topic.title}” again.",
        "info",
    )
    return redirect(url_for("instructor.topics"))
