"""Import (dry run first) and export downloads."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from quizapp.extensions import db
from quizapp.instructor.blueprint import bp
from quizapp.instructor.forms import ImportForm
from quizapp.interchange.model import FORMATS
from quizapp.models import SourceSection, Topic
from quizapp.services.bank_io import ImportFailed, detect_format, export_questions, import_text
from quizapp.services.errors import InvalidInput
from quizapp.services.question_query import QuestionFilters
from quizapp.uploads import read_text_upload

MEDIA = {"yaml": "application/yaml", "gift": "text/plain", "moodle-xml": "application/xml"}
SUFFIX = {"yaml": "yaml", "gift": "gift.txt", "moodle-xml": "xml"}
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@bp.route("/import", methods=["GET", "POST"])
def import_questions() -> str | tuple[str, int]:
    form = ImportForm()
    form.topic.choices = [SelectChoice("", "(none: set later)")] + [
        SelectChoice(k, k) for k in db.session.scalars(select(Topic.key).order_by(Topic.key))
    ]
    form.section.choices = [SelectChoice("", "(none: set later)")] + [
        SelectChoice(k, k)
        for k in db.session.scalars(select(SourceSection.key).order_by(SourceSection.position))
    ]
    report, problems = None, []
    if form.validate_on_submit():
        try:
            filename, text = read_text_upload(form.file.data, MAX_IMPORT_BYTES, "upload")
            fmt = detect_format(filename, form.format.data)
            report = import_text(
                text,
                fmt,
                filename=filename,
                topic=form.topic.data or None,
                section=form.section.data or None,
                dry_run=bool(form.dry_run.data),
                actor_id=current_user.id,
            )
        except ImportFailed as exc:
            problems = exc.problems
        except InvalidInput as exc:
            problems = [str(exc)]
    page = render_template("instructor/import.html", form=form, report=report, problems=problems)
    return (page, 422) if problems else page


@bp.get("/export")
def export() -> Response:
    fmt = request.args.get("format", "yaml")
    if fmt not in FORMATS:
        abort(400)
    filters = QuestionFilters.from_args(request.args)
    text, _count = export_questions(filters, fmt)
    name = f"questions-{filters.topic.replace('/', '-') or 'all'}.{SUFFIX[fmt]}"
    return Response(
        text,
        mimetype=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
