"""The source reader: every "see the source" link lands on a section's key points and erratum."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import login_required

from quizapp.extensions import db
from quizapp.queries.sources import (
    neighbours,
    section_in_source,
    source_with_sections,
    sources_by_title,
)

bp = Blueprint("sources", __name__, template_folder="templates", url_prefix="/sources")


@bp.before_request
@login_required
def _signed_in() -> None:
    return None


@bp.get("/")
def index() -> str:
    return render_template("sources/index.html", sources=sources_by_title(with_sections=True))


@bp.get("/<slug>")
def source(slug: str) -> str:
    """One source: its sections with their coverage marks, and its attribution."""
    found = db.one_or_404(source_with_sections(slug))
    return render_template("sources/source.html", source=found)


# `path` because section keys hold slashes (`openrn/central/accessing-ports`).
@bp.get("/<slug>/<path:key>")
def section(slug: str, key: str) -> str:
    found = section_in_source(slug, key)
    if found is None:
        abort(404)
    section, source = found
    previous, following = neighbours(source.id, key)
    return render_template(
        "sources/section.html",
        source=source,
        section=section,
        previous=previous,
        following=following,
    )
