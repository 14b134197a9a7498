"""The quiz builder: questions per topic or a fixed list, settings, assignment to units."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from quizapp.database import begin_write
from quizapp.domain.local_time import local_to_utc
from quizapp.extensions import db
from quizapp.form_choices import SelectChoice
from quizapp.instructor.blueprint import bp
from quizapp.instructor.forms import QuizForm
from quizapp.models import Bank, Quiz, QuizAssignment, Topic, Unit
from quizapp.services import audit
from quizapp.services.errors import InvalidInput
from quizapp.services.item_analysis import quiz_report
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
    rows = db.session.scalars(
        select(Quiz)
        .options(selectinload(Quiz.assignments).selectinload(QuizAssignment.unit))
        .order_by(Quiz.id.desc())
    ).all()
    return render_template("instructor/quizzes.html", quizzes=rows)


@bp.route("/quizzes/new", methods=["GET", "POST"])
def new_quiz() -> str | Response | tuple[str, int]:
    form = QuizForm()
    form.units.choices = [
        SelectChoice(u.id, u.name) for u in db.session.scalars(select(Unit).order_by(Unit.name))
    ]
    topics = db.session.execute(
        select(Topic, Bank.title).join(Bank).order_by(Bank.position, Topic.position)
    ).all()
    counts = {t.key: request.form.get(f"count-{t.key}", "") for t, _ in topics}
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
                )
            except InvalidInput as exc:
                count_error = str(exc)
            else:
                for unit_id in form.units.data or []:
                    assign_quiz(quiz.id, unit_id, _utc(form.due_at.data))
                begin_write()
                audit.record(
                    "quiz.created",
                    actor_id=current_user.id,
                    object_type="quiz",
                    object_key=str(quiz.id),
                    units=form.units.data or [],
                )
                db.session.commit()
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
    found = db.session.scalar(
        select(Quiz)
        .where(Quiz.id == quiz_id)
        .options(selectinload(Quiz.assignments).selectinload(QuizAssignment.unit))
    )
    if found is None:
        abort(404)
    units = db.session.scalars(select(Unit).order_by(Unit.name)).all()
    return render_template("instructor/quiz.html", quiz=found, units=units)


@bp.post("/quizzes/<int:quiz_id>/assign")
def assign(quiz_id: int) -> Response:
    if db.session.get(Quiz, quiz_id) is None:
        abort(404)
    unit_id = request.form.get("unit_id", type=int)
    due = request.form.get("due_at", "")
    try:
        due_at = _utc(datetime.fromisoformat(due)) if due else None
        assign_quiz(quiz_id, unit_id or 0, due_at)
    except (InvalidInput, ValueError) as exc:
        flash(f"Not assigned: {exc}", "error")
    else:
        begin_write()
        audit.record(
            "quiz.assigned",
            actor_id=current_user.id,
            object_type="quiz",
            object_key=str(quiz_id),
            unit=unit_id,
        )
        db.session.commit()
        flash("Assigned.", "info")
    return redirect(url_for("instructor.quiz", quiz_id=quiz_id))


@bp.get("/quizzes/<int:quiz_id>/stats")
def quiz_stats(quiz_id: int) -> str:
    found = db.session.get(Quiz, quiz_id)
    if found is None:
        abort(404)
    return render_template("instructor/quiz_stats.html", quiz=found, report=quiz_report(quiz_id))
