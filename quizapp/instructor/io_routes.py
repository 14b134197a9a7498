"""Import (dry run first) and export downloads."""

from __future__ import annotations

import re
from io import BytesIO

from flask import Response, abort, current_app, render_template, request, send_file
from flask_login import current_user

from quizapp.form_choices import SelectChoice
from quizapp.instructor.blueprint import bp
from quizapp.instructor.forms import ImportForm
from quizapp.interchange.model import FORMATS
from quizapp.queries import pick_lists
from quizapp.queries.question_list import QuestionFilters
from quizapp.services.bank_io import ImportFailed, detect_format, export_questions, import_text
from quizapp.services.errors import InvalidInput
from quizapp.services.import_report import ImportOptions
from quizapp.uploads import read_text_upload

_UNSAFE = re.compile(r"[^\w.-]+")
MEDIA = {"yaml": "application/yaml", "gift": "text/plain", "moodle-xml": "application/xml"}
SUFFIX = {"yaml": "yaml", "gift": "gift.txt", "moodle-xml": "xml"}


MAX_CATEGORY_MAPPINGS = 50  # unmatched categories the preview offers to map
MAX_CATEGORY_LENGTH = 1000  # a posted category path (a longer one than 255 is mapped, not stored)


def posted_category_topics(topics: set[str]) -> dict[str, str]:
    """The preview's category -> topic choices (`category-N` and `category_topic-N` pairs);
    an empty choice leaves a category unmapped. Raises InvalidInput naming the field."""
    mapping = {}
    for index in range(MAX_CATEGORY_MAPPINGS):
        category = request.form.get(f"category-{index}", "")
        topic = request.form.get(f"category_topic-{index}", "")
        if not category or not topic:
            continue
        if len(category) > MAX_CATEGORY_LENGTH:
            raise InvalidInput(f"category-{index}: at most {MAX_CATEGORY_LENGTH} characters.")
        if topic not in topics:
            raise InvalidInput(f"Topic for category {category[:60]!r}: unknown topic.")
        mapping[category] = topic
    return mapping


@bp.route("/import", methods=["GET", "POST"])
def import_questions() -> str | tuple[str, int]:
    form = ImportForm()
    topics = sorted(t.key for t in pick_lists.topics())
    form.topic.choices = [SelectChoice("", "(none: set later)")] + [
        SelectChoice(k, k) for k in topics
    ]
    form.section.choices = [SelectChoice("", "(none: set later)")] + [
        SelectChoice(s.key, s.key) for s in pick_lists.sections()
    ]
    report, problems, mapping = None, [], {}
    if form.validate_on_submit():
        try:
            mapping = posted_category_topics(set(topics))
            filename, text = read_text_upload(
                form.file.data, current_app.config["IMPORT_MAX_BYTES"], "upload"
            )
            fmt = detect_format(filename, form.format.data)
            options = ImportOptions(form.topic.data or None, form.section.data or None, mapping)
            report = import_text(
                text,
                fmt,
                filename=filename,
                options=options,
                dry_run=bool(form.dry_run.data),
                skip_invalid=bool(form.skip_invalid.data),
                actor_id=current_user.id,
            )
        except ImportFailed as exc:
            problems = exc.problems
        except InvalidInput as exc:
            problems = [str(exc)]
    page = render_template(
        "instructor/import.html",
        form=form,
        report=report,
        problems=problems,
        topics=topics,
        mapping=mapping,
    )
    return (page, 422) if problems else page


@bp.get("/export")
def export() -> Response:
    fmt = request.args.get("format", "yaml")
    if fmt not in FORMATS:
        abort(400)
    filters = QuestionFilters.from_args(request.args)
    exported = export_questions(filters, fmt)
    response = send_file(
        BytesIO(exported.text.encode("utf-8")),
        mimetype=MEDIA[fmt],
        as_attachment=True,
        download_name=download_name(filters.topic, fmt),
    )
    # The file's first lines list what it leaves out; the header lets a script see it too.
    response.headers["X-Export-Left-Out"] = str(len(exported.left_out))
    return response


def download_name(topic: str, fmt: str) -> str:
    """A file name from the topic filter: letters, digits, '.', '_' and '-' only (Unicode
    letters too; Werkzeug writes those as filename*), so no CR, LF or quote reaches the
    header; Werkzeug's send_file quotes the rest."""
    stem = _UNSAFE.sub("-", topic).strip("-.")[:80] or "all"
    return f"questions-{stem}.{SUFFIX[fmt]}"
