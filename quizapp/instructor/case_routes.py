"""Instructor pages for case studies: the list, one case with its exhibits and items, and
editing a text exhibit (a new case version). Cases are written in `question_bank/cases/` and
versioned by `bank load`; tables and the item list are edited there."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.instructor.blueprint import bp
from quizapp.instructor.case_forms import ExhibitForm
from quizapp.queries.case_lists import case_detail, case_list
from quizapp.services.case_editing import edit_exhibit_text, exhibit_text
from quizapp.services.errors import FieldInvalid


@bp.get("/cases")
def cases() -> str:
    return render_template("cases/author_list.html", rows=case_list())


@bp.get("/cases/<string:case_key>")
def case(case_key: str) -> str:
    detail = case_detail(case_key[:64])
    if detail is None:
        abort(404)
    return render_template("cases/author_case.html", case=detail)


@bp.route("/cases/<string:case_key>/exhibits/<string:exhibit_id>", methods=["GET", "POST"])
def edit_exhibit(case_key: str, exhibit_id: str) -> str | Response | tuple[str, int]:
    case_key, exhibit_id = case_key[:64], exhibit_id[:100]
    current = exhibit_text(case_key, exhibit_id)  # NotFound: a 404
    form = ExhibitForm()
    if not form.is_submitted():
        form.text.data = current
    elif form.validate():
        try:
            number = edit_exhibit_text(case_key, exhibit_id, form.text.data or "", current_user.id)
        except FieldInvalid as exc:
            form.text.errors = [*form.text.errors, str(exc)]
        else:
            flash(f"Saved: the case is now at version {number}.", "info")
            return redirect(url_for("instructor.case", case_key=case_key))
    page = render_template(
        "cases/author_exhibit_form.html", form=form, case_key=case_key, exhibit_id=exhibit_id
    )
    return (page, 422) if form.is_submitted() else page
