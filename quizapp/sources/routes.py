"""The source reader: every "see the source" link lands on a section's key points and erratum."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import login_required
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Source, SourceSection

bp = Blueprint("sources", __name__, template_folder="templates", url_prefix="/sources")


@bp.before_request
@login_required
def _signed_in() -> None:
    return None


@bp.get("/")
def index() -> str:
    sources = db.session.scalars(
        select(Source).options(db.selectinload(Source.sections)).order_by(Source.title)
    ).all()
    return render_template("sources/index.html", sources=sources)


@bp.get("/<slug>")
def source(slug: str) -> str:
    """One source: its sections with their coverage marks, and its attribution."""
    found = db.session.scalar(
        select(Source).where(Source.slug == slug).options(db.selectinload(Source.sections))
    )
    if found is None:
        abort(404)
    return render_template("sources/source.html", source=found)


# `path` because section keys hold slashes (`openrn/central/accessing-ports`).
@bp.get("/<slug>/<path:key>")
def section(slug: str, key: str) -> str:
    row = db.session.execute(
        select(SourceSection, Source)
        .join(Source, Source.id == SourceSection.source_id)
        .where(Source.slug == slug, SourceSection.key == key)
    ).first()
    if row is None:
        abort(404)
    section, source = row
    siblings = db.session.execute(
        select(SourceSection.key, SourceSection.heading, SourceSection.position)
        .where(SourceSection.source_id == source.id)
        .order_by(SourceSection.position)
    ).all()
    index = next(i for i, s in enumerate(siblings) if s.key == key)
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    return render_template(
        "sources/section.html",
        source=source,
        section=section,
        previous=previous,
        following=following,
    )
