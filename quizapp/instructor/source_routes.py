"""Sources and sections: key points, errata, coverage, editing (which flags stale questions)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.extensions import db
from quizapp.instructor.blueprint import bp
from quizapp.instructor.forms import SectionForm, SourceForm
from quizapp.models import SourceSection
from quizapp.queries.audit_log import AuditFilters, audit_page
from quizapp.queries.coverage import source_coverage
from quizapp.queries.sources import source_with_sections, sources_by_title
from quizapp.services import sources as source_service
from quizapp.services.errors import InvalidInput, NotFound
from quizapp.uploads import MEGABYTE, read_text_upload

MAX_MARKDOWN_BYTES = 2 * MEGABYTE


@bp.get("/sources")
def sources() -> str:
    all_sources = sources_by_title()
    coverage = {row.key: row for row in source_coverage().sections}
    return render_template("instructor/sources.html", sources=all_sources, coverage=coverage)


@bp.get("/sources/<slug>")
def source(slug: str) -> str:
    found = db.one_or_404(source_with_sections(slug))
    coverage = {row.key: row for row in source_coverage(slug).sections}
    return render_template("instructor/source.html", source=found, coverage=coverage)


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
def edit_section(section_id: int) -> str | Response | tuple[str, int]:
    section = db.get_or_404(SourceSection, section_id)
    form = SectionForm()
    if request.method == "GET":
        form.heading.data = section.heading
        form.key_points.data = "\n".join(section.key_points)
        form.erratum.data = section.erratum
    elif form.validate_on_submit():
        try:
            flagged = source_service.edit_section(
                section.id,
                form.heading.data or "",
                (form.key_points.data or "").splitlines(),
                form.erratum.data or "",
                current_user.id,
            )
        except (InvalidInput, NotFound) as exc:
            form.key_points.errors = [*form.key_points.errors, str(exc)]
        else:
            note = (
                f" {len(flagged)} question(s) citing it are flagged for review." if flagged else ""
            )
            flash("Section saved." + note, "info")
            return redirect(url_for("instructor.source", slug=section.source.slug))
    page = render_template("instructor/section_form.html", form=form, section=section)
    return (page, 422) if request.method == "POST" else page


@bp.route("/sources/new", methods=["GET", "POST"])
def new_source() -> str | Response | tuple[str, int]:
    form = SourceForm()
    if form.validate_on_submit():
        markdown = None
        if form.markdown.data:
            try:
                _, markdown = read_text_upload(form.markdown.data, MAX_MARKDOWN_BYTES, "source.md")
            except InvalidInput as exc:
                form.markdown.errors = [str(exc)]
        if not form.markdown.errors:
            try:
                created = source_service.create_source(
                    form.title.data or "",
                    slug=form.slug.data or "",
                    publisher=form.publisher.data or "",
                    year=form.year.data,
                    url=form.url.data or "",
                    revision=form.revision.data or "",
                    markdown=markdown,
                    actor_id=current_user.id,
                )
            except InvalidInput as exc:
                form.title.errors = [*form.title.errors, str(exc)]
            else:
                flash(f"Source added with {len(created.sections)} section(s).", "info")
                return redirect(url_for("instructor.source", slug=created.slug))
    page = render_template("instructor/source_form.html", form=form)
    return (page, 422) if request.method == "POST" else page


@bp.get("/audit")
def audit_log() -> str:
    """Authoring events only, for instructors and administrators alike (the full log is
    the administrators' /admin/audit)."""
    filters = AuditFilters.from_args(request.args)
    page = audit_page(filters, request.args.get("page", 1, type=int) or 1, authoring_only=True)
    return render_template("instructor/audit.html", page=page, filters=filters)
