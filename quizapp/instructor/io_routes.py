"""Import (dry run first) and export downloads."""

from __future__ import annotations

import re
from io import BytesIO

from flask import Response, abort, current_app, render_template, request, send_file
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

_UNSAFE = re.compile(r"[^\w.-]+")
MEDIA = {"yaml": "application/yaml", "gift": "text/plain", "moodle-xml": "application/xml"}
SUFFIX = {"yaml": "yaml", "gift": "gift.txt", "moodle-xml": "xml"}


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
            filename, text = read_text_upload(
                form.file.data, current_app.config["IMPORT_MAX_BYTES"], "upload"
            )
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
    return send_file(
        BytesIO(text.encode("utf-8")),
        mimetype=MEDIA[fmt],
        as_attachment=True,
        download_name=download_name(filters.topic, fmt),
    )


def download_name(topic: str, fmt: str) -> str:
    """A file name from the topic filter: letters, digits, '.', '_' and '-' only (Unicode
    letters too; Werkzeug writes those as filename*), so no CR, LF or quote reaches the
    header; Werkzeug's send_file quotes the rest."""
    stem = _UNSAFE.sub("-", topic).strip("-.")[:80] or "all"
    return f"questions-{stem}.{SUFFIX[fmt]}"
