"""Changing a saved quiz: edit (a new quiz version when the selection changes after attempts),
close now, reopen, archive and bring back, duplicate, delete (only without attempts). Every
change is a POST; delete has a confirmation page. What a change does to attempts already made
is said on the pages and in services/quiz_editing.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.instructor.blueprint import bp
from quizapp.instructor.forms import ConfirmForm, QuizSettingsForm, ReopenForm
from quizapp.instructor.quiz_routes import (
    local,
    quiz_page_view,
    render_builder,
    settings_from,
    utc,
    warn_after_save,
)
from quizapp.instructor.quiz_selection import builder_view, from_selection, read_selection
from quizapp.models import Quiz
from quizapp.queries.quiz_builder import QuizRow, quiz_page
from quizapp.services import quiz_editing
from quizapp.services.errors import InvalidInput


def _row(quiz_id: int) -> QuizRow:
    row = quiz_page(quiz_id)
    if row is None:
        abort(404)
    return row


def _prefill(form: QuizSettingsForm, quiz: Quiz) -> None:
    for name in quiz_editing.QuizSettings.__dataclass_fields__:
        getattr(form, name).data = getattr(quiz, name)
    form.open_at.data, form.close_at.data = local(quiz.open_at), local(quiz.close_at)
    form.validity_months.data = quiz.validity_months or 12
    form.selection.data = "fixed" if "fixed" in quiz.selection else "per_topic"


@bp.route("/quizzes/<int:quiz_id>/edit", methods=["GET", "POST"])
def edit_quiz(quiz_id: int) -> str | Response | tuple[str, int]:
    row = _row(quiz_id)
    quiz = row.quiz
    used = (row.attempts.by_version or {}).get(quiz.version, 0)
    form = QuizSettingsForm()
    if request.method != "POST":
        _prefill(form, quiz)
        return render_builder(form, from_selection(quiz.selection), quiz=quiz, attempts=used)
    searching = bool(form.find.data)  # a search for the picker: nothing saved or checked
    chosen = read_selection(
        request.form, form.selection.data or "", form.fixed.data or "", check=not searching
    )
    if searching:
        return render_builder(form, chosen, quiz=quiz, attempts=used)
    form_error = ""
    if form.validate_on_submit() and chosen.valid:
        version = quiz.version
        try:
            saved = quiz_editing.update_quiz(
                quiz_id, settings_from(form), chosen.selection(), actor_id=current_user.id
            )
        except InvalidInput as exc:
            form_error = str(exc)
        else:
            flash(f"Quiz “{saved.title}” saved.", "info")
            if saved.version != version:
                flash(
                    f"The questions changed after attempts were made, so this is now version "
                    f"{saved.version}: new attempts use it; attempts already started keep "
                    "their questions.",
                    "info",
                )
            warn_after_save(saved, builder_view(chosen))
            return redirect(url_for("instructor.quiz", quiz_id=quiz_id))
    return render_builder(form, chosen, quiz=quiz, attempts=used, form_error=form_error), 422


@bp.post("/quizzes/<int:quiz_id>/close")
def close_quiz(quiz_id: int) -> Response:
    quiz_editing.close_quiz(quiz_id, actor_id=current_user.id)
    flash(
        "Quiz closed: no new attempt can start. Attempts already started can still be "
        "finished until their own deadline.",
        "info",
    )
    return redirect(url_for("instructor.quiz", quiz_id=quiz_id))


@bp.post("/quizzes/<int:quiz_id>/reopen")
def reopen_quiz(quiz_id: int) -> Response | tuple[str, int]:
    form = ReopenForm()
    if form.validate():
        try:
            quiz_editing.reopen_quiz(quiz_id, utc(form.close_at.data), actor_id=current_user.id)
        except InvalidInput as exc:
            form.close_at.errors = [str(exc)]
        else:
            flash("Quiz reopened.", "info")
            return redirect(url_for("instructor.quiz", quiz_id=quiz_id))
    return quiz_page_view(_row(quiz_id), reopen=form), 422
    return redirect(url_for("instructor.quiz", quiz_id=quiz_id))


@bp.post("/quizzes/<int:quiz_id>/archive")
def archive_quiz(quiz_id: int) -> Response:
    quiz_editing.set_archived(quiz_id, True, actor_id=current_user.id)
    flash("Quiz archived: trainees no longer see it; its attempts and results are kept.", "info")
    return redirect(url_for("instructor.quiz", quiz_id=quiz_id))


@bp.post("/quizzes/<int:quiz_id>/unarchive")
def unarchive_quiz(quiz_id: int) -> Response:
    quiz_editing.set_archived(quiz_id, False, actor_id=current_user.id)
    flash("Quiz brought back from the archive.", "info")
    return redirect(url_for("instructor.quiz", quiz_id=quiz_id))


@bp.post("/quizzes/<int:quiz_id>/duplicate")
def duplicate_quiz(quiz_id: int) -> Response:
    copy = quiz_editing.duplicate_quiz(quiz_id, actor_id=current_user.id)
    flash(f"Copied as “{copy.title}”: assigned to no unit yet. Edit it, then assign it.", "info")
    return redirect(url_for("instructor.quiz", quiz_id=copy.id))


@bp.route("/quizzes/<int:quiz_id>/delete", methods=["GET", "POST"])
def delete_quiz(quiz_id: int) -> str | Response | tuple[str, int]:
    row = _row(quiz_id)
    form = ConfirmForm()
    if request.method == "POST":
        if form.validate_on_submit():
            title = quiz_editing.delete_quiz(quiz_id, actor_id=current_user.id)
            flash(f"Quiz “{title}” deleted.", "info")
            return redirect(url_for("instructor.quizzes"))
        return render_template("instructor/quiz_delete.html", row=row, form=form), 422
    return render_template("instructor/quiz_delete.html", row=row, form=form)
