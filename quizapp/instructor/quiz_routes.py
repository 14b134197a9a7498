"""The quiz builder: questions per topic or a fixed list, settings, assignment to units; the
quiz list and page. Changing a saved quiz is in quiz_edit_routes."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.domain.local_time import local_to_utc, to_local
from quizapp.form_choices import SelectChoice
from quizapp.instructor.blueprint import bp
from quizapp.instructor.forms import QuizForm, QuizSettingsForm, ReopenForm
from quizapp.instructor.quiz_selection import (
    BuilderView,
    SelectionInput,
    builder_view,
    read_selection,
)
from quizapp.models import Quiz, utcnow
from quizapp.queries import pick_lists
from quizapp.queries.item_analysis import quiz_report
from quizapp.queries.quiz_builder import QuizRow, archived_count, quiz_list, quiz_page
from quizapp.services.errors import InvalidInput
from quizapp.services.quiz_editing import QuizSettings
from quizapp.services.quizzes import assign_quiz, create_quiz, fixed_list_clashes
from quizapp.templating import viewer_zone


def utc(value: datetime | None) -> datetime | None:
    """A date and time the instructor typed, meant in their own zone, as UTC for storage."""
    return local_to_utc(value, viewer_zone()) if value is not None else None


def local(value: datetime | None) -> datetime | None:
    """A stored UTC time as the naive local time a datetime-local input shows."""
    return to_local(value, viewer_zone()).replace(tzinfo=None) if value is not None else None


def settings_from(form: QuizSettingsForm) -> QuizSettings:
    return QuizSettings(
        title=(form.title.data or "").strip(),
        description=(form.description.data or "").strip(),
        mode=form.mode.data or "exam",
        time_limit_minutes=form.time_limit_minutes.data,
        pass_mark=float(form.pass_mark.data or 0),
        attempts_allowed=form.attempts_allowed.data,
        grading=form.grading.data or "highest",
        review_shows=form.review_shows.data or "full",
        review_when=form.review_when.data or "immediately",
        open_at=utc(form.open_at.data),
        close_at=utc(form.close_at.data),
        is_competency=bool(form.is_competency.data),
        validity_months=form.validity_months.data,
        reminders=bool(form.reminders.data),
    )


def warn_after_save(quiz: Quiz, view: BuilderView | None = None) -> None:
    """A fixed list is the instructor's choice: saved, with a warning on clashing pairs; a
    topic asked for more than it holds gives what it has."""
    clashes = fixed_list_clashes(list(quiz.selection.get("fixed") or []))
    if clashes:
        flash(
            "Warning: these questions give each other away in one quiz: "
            + "; ".join(clashes)
            + ". Consider replacing one of each pair.",
            "warning",
        )
    if view is not None and view.chosen.mode == "per_topic" and view.short:
        flash(
            "Warning: some topics hold fewer published questions than asked for, so trainees "
            "get fewer: " + ", ".join(f"{k} ({n})" for k, n in view.short.items()) + ".",
            "warning",
        )


def render_builder(
    form: QuizSettingsForm,
    chosen: SelectionInput,
    *,
    quiz: Quiz | None = None,
    attempts: int = 0,
    form_error: str = "",
) -> str:
    view = builder_view(chosen, form.search.data or "")
    # typed ids of published questions show as ticked boxes from now on; others stay typed
    shown = {row.uid for row in view.picked_rows}
    form.fixed.data = " ".join(u for u in (form.fixed.data or "").split() if u not in shown)
    return render_template(
        "instructor/quiz_form.html",
        form=form,
        view=view,
        quiz=quiz,
        attempts=attempts,
        form_error=form_error,
    )


@bp.get("/quizzes")
def quizzes() -> str:
    archived = request.args.get("archived") == "1"
    return render_template(
        "instructor/quizzes.html",
        rows=quiz_list(include_archived=archived),
        showing_archived=archived,
        archived=archived_count(),
        now=utcnow(),
    )


@bp.route("/quizzes/new", methods=["GET", "POST"])
def new_quiz() -> str | Response | tuple[str, int]:
    form = QuizForm()
    form.units.choices = [SelectChoice(u.id, u.name) for u in pick_lists.units()]
    if request.method != "POST":
        return render_builder(form, SelectionInput())
    searching = bool(form.find.data)  # a search for the picker: nothing saved or checked
    chosen = read_selection(
        request.form, form.selection.data or "", form.fixed.data or "", check=not searching
    )
    if searching:
        return render_builder(form, chosen)
    form_error = ""
    if form.validate_on_submit() and chosen.valid:
        s = settings_from(form)
        try:
            quiz = create_quiz(
                s.title,
                chosen.selection(),
                **{k: v for k, v in s.__dict__.items() if k != "title"},
                created_by_id=current_user.id,
                unit_ids=form.units.data or [],
                due_at=utc(form.due_at.data),
            )
        except InvalidInput as exc:
            form_error = str(exc)
        else:
            flash(f"Quiz “{quiz.title}” saved.", "info")
            warn_after_save(quiz, builder_view(chosen))
            return redirect(url_for("instructor.quiz", quiz_id=quiz.id))
    return render_builder(form, chosen, form_error=form_error), 422


def quiz_page_view(row: QuizRow, reopen: ReopenForm | None = None) -> str:
    return render_template(
        "instructor/quiz.html",
        row=row,
        quiz=row.quiz,
        units=pick_lists.units(),
        now=utcnow(),
        reopen=reopen or ReopenForm(formdata=None),
    )


@bp.get("/quizzes/<int:quiz_id>")
def quiz(quiz_id: int) -> str:
    row = quiz_page(quiz_id)
    if row is None:
        abort(404)
    return quiz_page_view(row)


@bp.post("/quizzes/<int:quiz_id>/assign")
def assign(quiz_id: int) -> Response:
    if quiz_page(quiz_id) is None:
        abort(404)
    unit_id = request.form.get("unit_id", type=int)
    due = request.form.get("due_at", "")[:40]
    try:
        due_at = utc(datetime.fromisoformat(due)) if due else None
        assign_quiz(quiz_id, unit_id or 0, due_at, actor_id=current_user.id)
    except (InvalidInput, ValueError) as exc:
        flash(f"Not assigned: {exc}", "error")
    else:
        flash("Assigned.", "info")
    return redirect(url_for("instructor.quiz", quiz_id=quiz_id))


@bp.get("/quizzes/<int:quiz_id>/stats")
def quiz_stats(quiz_id: int) -> str:
    row = quiz_page(quiz_id)
    if row is None:
        abort(404)
    current = row.quiz.version
    version = request.args.get("version", type=int) or current
    if not 1 <= version <= current:
        abort(404)
    return render_template(
        "instructor/quiz_stats.html",
        quiz=row.quiz,
        version=version,
        attempts=row.attempts,
        report=quiz_report(quiz_id, version),
    )
