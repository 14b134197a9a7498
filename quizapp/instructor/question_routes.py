"""Questions: list, create, edit, preview, publish and retire, history and restore."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.domain.responses import InvalidAnswer, parse_response
from quizapp.domain.types import REGISTRY, get_type
from quizapp.domain.version_diff import compare
from quizapp.form_choices import SelectChoice
from quizapp.instructor.blueprint import bp
from quizapp.instructor.forms import BulkForm, ImageForm, QuestionForm, StatusForm
from quizapp.instructor.question_mapping import (
    apply_problems,
    draft_to_form,
    error_summary,
    form_to_draft,
)
from quizapp.instructor.type_forms import form_partials
from quizapp.models import QuestionEntry, QuestionStatus, QuestionVersion
from quizapp.presenters import ItemView, item_view
from quizapp.queries import author, pick_lists
from quizapp.queries.question_list import QuestionFilters, question_page
from quizapp.queries.review import citations_for
from quizapp.services import authoring, question_review


def _entry(entry_id: int) -> QuestionEntry:
    return authoring.load_entry(entry_id)


def _form_choices(form: QuestionForm) -> None:
    form.topic.choices = [SelectChoice("", "(no topic yet)")] + [
        SelectChoice(t.key, f"{t.bank_title}: {t.title}") for t in pick_lists.topics()
    ]
    form.cites.choices = [
        SelectChoice(s.key, f"{s.key}: {s.heading}") for s in pick_lists.sections()
    ]


@bp.get("/")
def index() -> Response:
    return redirect(url_for("instructor.questions"))


@bp.get("/questions")
def questions() -> str:
    filters = QuestionFilters.from_args(request.args)
    page = question_page(filters, request.args.get("page", 1, type=int))
    return render_template(
        "instructor/questions.html",
        page=page,
        filters=filters,
        banks=pick_lists.banks(),
        topics=pick_lists.topics(),
        sections=pick_lists.sections(),
        types=REGISTRY,
        statuses=[s.value for s in QuestionStatus],
        bulk_form=BulkForm(formdata=None),
    )


def _handle_form(form: QuestionForm, entry: QuestionEntry | None) -> Response | None:
    """Add rows, or validate and save. Returns a redirect on success, else None (re-render).

    Every problem is shown at once: the form's own checks and the question type's rules."""
    if form.add_choice.data:
        form.choices.append_entry()
        return None
    if form.add_pair.data:
        form.pairs.append_entry()
        return None
    valid = form.validate_on_submit()
    draft, rows = form_to_draft(form)
    if not valid:
        published = entry is not None and entry.status is QuestionStatus.PUBLISHED
        problems = authoring.check_draft(draft, for_publish=published)
        form.general_errors = apply_problems(form, problems, rows)
        return None
    try:
        if entry is None:
            created = authoring.create_question(draft, current_user.id)
            flash(f"Draft {created.uid} saved. Preview it, then publish it.", "info")
            return redirect(url_for("instructor.question", entry_id=created.id))
        changed = authoring.update_question(entry.id, draft, current_user.id, form.note.data or "")
        flash(_saved_message(entry) if changed else "Nothing changed.", "info")
        return redirect(url_for("instructor.question", entry_id=entry.id))
    except authoring.DraftInvalid as exc:
        form.general_errors = apply_problems(form, exc.problems, rows)
        return None


def _saved_message(entry: QuestionEntry) -> str:
    if entry.status is QuestionStatus.DRAFT:
        return "Draft saved."
    return "Saved as a new version."


def _form_page(form: QuestionForm, entry: QuestionEntry | None) -> str | tuple[str, int]:
    """The question form, answered 422 when a posted form has errors (so nothing typed is lost
    and clients can tell a refusal from a first view)."""
    has_errors = request.method == "POST" and (form.errors or getattr(form, "general_errors", None))
    page = render_template(
        "instructor/question_form.html",
        form=form,
        error_list=error_summary(form) if has_errors else [],
        entry=entry,
        type_form_partials=form_partials(),
        source_sections=author.sections_by_source(),
        image_form=ImageForm(formdata=None),
    )
    return (page, 422) if has_errors else page


@bp.route("/questions/new", methods=["GET", "POST"])
def new_question() -> str | Response | tuple[str, int]:
    form = QuestionForm()
    _form_choices(form)
    if request.method == "POST":
        done = _handle_form(form, None)
        if done is not None:
            return done
    return _form_page(form, None)


@bp.route("/questions/<int:entry_id>/edit", methods=["GET", "POST"])
def edit_question(entry_id: int) -> str | Response | tuple[str, int]:
    entry = _entry(entry_id)
    form = QuestionForm()
    _form_choices(form)
    if request.method == "GET":
        draft_to_form(authoring.draft_of(entry), form)
    else:
        done = _handle_form(form, entry)
        if done is not None:
            return done
    return _form_page(form, entry)


@bp.get("/questions/<int:entry_id>")
def question(entry_id: int) -> str:
    entry = _entry(entry_id)
    versions = author.versions_of(entry.id)
    problems = authoring.check_draft(authoring.draft_of(entry), for_publish=True)
    version = entry.current
    described = get_type(version.type).describe(version.data)
    return render_template(
        "instructor/question.html",
        entry=entry,
        version=version,
        versions=versions,
        publish_problems=problems,
        form=StatusForm(),
        item=_preview_item(version),
        key=[d for d in described if d.is_key],
        details=[d for d in described if not d.is_key],
    )


@dataclass(frozen=True)
class _CheckedAnswer:
    answer: object
    mark: float | None


@dataclass(frozen=True)
class _PreviewItem:
    """An attempt item for the preview: the question alone, in its stored choice order."""

    version: QuestionVersion
    response: _CheckedAnswer | None
    choice_order: list[str] = field(default_factory=list)
    position: int = 1


def _preview_item(
    version: QuestionVersion, answer: object = None, mark: float | None = None
) -> ItemView:
    response = None if answer is None else _CheckedAnswer(answer, mark)
    cites = citations_for([version.id])
    return item_view(_PreviewItem(version, response), cites.get(version.id, []))


@bp.route("/questions/<int:entry_id>/preview", methods=["GET", "POST"])
def preview(entry_id: int) -> str | tuple[str, int]:
    """The question as a trainee sees it; "check my answer" grades it and saves nothing."""
    entry = _entry(entry_id)
    version = entry.current
    error = None
    item = _preview_item(version)
    if request.method == "POST":
        try:
            value = parse_response(version.type, version.data, request.form.to_dict(flat=False))
        except InvalidAnswer as exc:
            error = str(exc)
        else:
            mark = get_type(version.type).grade(version.data, value)
            item = _preview_item(version, value, mark)
    page = render_template(
        "instructor/preview.html", entry=entry, item=item, error=error, checked=item.answered
    )
    return (page, 422) if error else page


@bp.post("/questions/<int:entry_id>/status")
def change_status(entry_id: int) -> Response:
    form = StatusForm()
    target = request.form.get("status", "")
    if not form.validate_on_submit() or target not in {s.value for s in QuestionStatus}:
        abort(400)
    try:
        authoring.set_status(entry_id, QuestionStatus(target), current_user.id)
    except authoring.DraftInvalid as exc:
        flash("Not published: " + "; ".join(m for _, m in exc.problems), "error")
    else:
        flash(f"The question is now {target}.", "info")
    return redirect(url_for("instructor.question", entry_id=entry_id))


@bp.post("/questions/<int:entry_id>/confirm-review")
def confirm_review(entry_id: int) -> Response:
    question_review.confirm_review(entry_id, current_user.id)
    flash("Confirmed: the question still matches its sources.", "info")
    if request.form.get("back") == "queue":
        return redirect(url_for("instructor.review_queue"))
    return redirect(url_for("instructor.question", entry_id=entry_id))


@bp.post("/questions/<int:entry_id>/restore/<int:number>")
def restore(entry_id: int, number: int) -> Response:
    try:
        authoring.restore_version(entry_id, number, current_user.id)
    except authoring.DraftInvalid as exc:
        flash(f"Version {number} not restored: " + "; ".join(m for _, m in exc.problems), "error")
    else:
        flash(f"Version {number} restored as a new version.", "info")
    return redirect(url_for("instructor.question", entry_id=entry_id))


@bp.get("/questions/<int:entry_id>/history")
def history(entry_id: int) -> str:
    """Two versions compared field by field in plain words."""
    entry = _entry(entry_id)
    versions = {v.number: v for v in author.versions_of(entry.id)}
    newest = max(versions)
    a = request.args.get("a", max(1, newest - 1), type=int)
    b = request.args.get("b", newest, type=int)
    if a not in versions or b not in versions:
        abort(404)
    topic = entry.topic.key if entry.topic else None
    changes = compare(
        author.version_fields(versions[a], topic), author.version_fields(versions[b], topic)
    )
    return render_template(
        "instructor/history.html",
        entry=entry,
        versions=sorted(versions.values(), key=lambda v: -v.number),
        a=a,
        b=b,
        changes=changes,
    )
