"""The quiz builder: questions per topic or a fixed list, settings, assignment to units."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.domain.local_time import local_to_utc
from quizapp.extensions import db
from quizapp.form_choices import SelectChoice
from quizapp.instructor.blueprint import bp
from quizapp.instructor.forms import QuizForm
from quizapp.models import Quiz
from quizapp.queries import author, pick_lists
from quizapp.queries.item_analysis import quiz_report
from quizapp.services.errors import InvalidInput
from quizapp.services.quizzes import assign_quiz, create_quiz, fixed_list_clashes
from quizapp.templating import viewer_zone


def _utc(value: datetime | None) -> datetime | None:
    """A date and time the instructor typed, meant in their own zone, as UTC for storage."""
    return local_to_utc(value, viewer_zone()) if value is not None else None


def _warn_clashes(quiz: Quiz) -> None:
    """A fixed list is the instructor's choice: saved, with a warning on clashing pairs."""
    clashes = fixed_list_clashes(list(quiz.selection.get("fixed") or []))
    if clashes:
        flash(
            "Warning: these questions give each other away in one quiz: "
            + "; ".join(clashes)
            + ". Consider replacing one of each pair.",
            "warning",
        )


@bp.get("/quizzes")
def quizzes() -> str:
    return render_template("instructor/quizzes.html", quizzes=author.quizzes_with_units())


@bp.route("/quizzes/new", methods=["GET", "POST"])
def new_quiz() -> str | Response | tuple[str, int]:
    form = QuizForm()
    form.units.choices = [SelectChoice(u.id, u.name) for u in pick_lists.units()]
    topics = pick_lists.topics()
    counts = {t.key: request.form.get(f"count-{t.key}", "") for t in topics}
    count_error = ""
    if form.validate_on_submit():
        selection: dict[str, Any]
        if form.selection.data == "fixed":
            selection = {"fixed": [x.strip() for x in (form.fixed.data or "").split() if x.strip()]}
        else:
            try:
                selection = {
                    "per_topic": {k: int(v) for k, v in counts.items() if v.strip() and int(v) > 0}
                }
            except ValueError:
                selection, count_error = {}, "Counts per topic are whole numbers."
        if not count_error:
            try:
                quiz = create_quiz(
                    form.title.data or "",
                    selection,
                    description=form.description.data or "",
                    mode=form.mode.data or "exam",
                    time_limit_minutes=form.time_limit_minutes.data,
                    pass_mark=float(form.pass_mark.data or 0),
                    attempts_allowed=form.attempts_allowed.data,
                    grading=form.grading.data or "highest",
                    review_shows=form.review_shows.data or "full",
                    review_when=form.review_when.data or "immediately",
                    open_at=_utc(form.open_at.data),
                    close_at=_utc(form.close_at.data),
                    created_by_id=current_user.id,
                    is_competency=bool(form.is_competency.data),
                    validity_months=form.validity_months.data,
                    unit_ids=form.units.data or [],
                    due_at=_utc(form.due_at.data),
                )
            except InvalidInput as exc:
                count_error = str(exc)
            else:
                flash(f"Quiz “{quiz.title}” saved.", "info")
                _warn_clashes(quiz)
                return redirect(url_for("instructor.quiz", quiz_id=quiz.id))
    page = render_template(
        "instructor/quiz_form.html",
        form=form,
        topics=topics,
        counts=counts,
        count_error=count_error,
    )
    return (page, 422) if request.method == "POST" else page


@bp.get("/quizzes/<int:quiz_id>")
def quiz(quiz_id: int) -> str:
    found = db.one_or_404(author.quiz_with_units(quiz_id))
    return render_template("instructor/quiz.html", quiz=found, units=pick_lists.units())


@bp.post("/quizzes/<int:quiz_id>/assign")
def assign(quiz_id: int) -> Response:
    db.get_or_404(Quiz, quiz_id)
    unit_id = request.form.get("unit_id", type=int)
    due = request.form.get("due_at", "")
    try:
        due_at = _utc(datetime.fromisoformat(due)) if due else None
        assign_quiz(quiz_id, unit_id or 0, due_at, actor_id=current_user.id)
    except (InvalidInput, ValueError) as exc:
        flash(f"Not assigned: {exc}", "error")
    else:
        flash("Assigned.", "info")
    return redirect(url_for("instructor.quiz", quiz_id=quiz_id))


@bp.get("/quizzes/<int:quiz_id>/stats")
def quiz_stats(quiz_id: int) -> str:
    found = db.get_or_404(Quiz, quiz_id)
    return render_template("instructor/quiz_stats.html", quiz=found, report=quiz_report(quiz_id))
