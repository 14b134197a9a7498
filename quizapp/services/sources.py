"""Sources and their sections, edited in the app: a changed text gets a new hash and flags the
questions citing the old one for review."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.bank.specs import section_hash
from quizapp.database import require_unit_of_work, unit_of_work
from quizapp.domain.markdown_outline import parse_outline, slugify
from quizapp.extensions import db
from quizapp.models import (
    Citation,
    QuestionEntry,
    QuestionVersion,
    SectionRevision,
    Source,
    SourceSection,
)
from quizapp.services import audit
from quizapp.services.errors import InvalidInput, NotFound


def flag_citing_questions(section_id: int, new_hash: str) -> list[str]:
    """Flag questions whose current version cites the section by another hash; their uids."""
    rows = db.session.execute(
        select(QuestionEntry, Citation.section_hash)
        .join(
            QuestionVersion,
            (QuestionVersion.entry_id == QuestionEntry.id)
            & (QuestionVersion.number == QuestionEntry.current_version),
        )
        .join(Citation, Citation.version_id == QuestionVersion.id)
        .where(Citation.section_id == section_id)
    ).all()
    flagged = []
    for entry, cited_hash in rows:
        if cited_hash != new_hash and not entry.needs_review:
            entry.needs_review = True
            flagged.append(entry.uid)
    return flagged


def keep_revision(section: SourceSection) -> None:
    """Keep the section's text under its current hash before it changes (once per hash): the
    review queue shows it beside the new text for the questions written against it."""
    require_unit_of_work("keeping a section revision")
    kept = db.session.scalar(
        select(SectionRevision.id).where(
            SectionRevision.section_id == section.id,
            SectionRevision.content_hash == section.content_hash,
        )
    )
    if kept is None:
        db.session.add(
            SectionRevision(
                section_id=section.id,
                content_hash=section.content_hash,
                heading=section.heading,
                key_points=list(section.key_points or []),
                erratum=section.erratum or "",
            )
        )


def edit_section(
    section_id: int, heading: str, key_points: list[str], erratum: str, actor_id: int | None
) -> list[str]:
    """Save a section's text; returns the uids of questions now flagged for review."""
    heading = heading.strip()
    points = [p.strip() for p in key_points if p.strip()]
    if not heading or not points:
        raise InvalidInput("A section needs a heading and at least one key point.")
    with unit_of_work():
        section = db.session.get(SourceSection, section_id)
        if section is None:
            raise NotFound("No such section.")
        new_hash = section_hash(heading, points, erratum.strip(), section.cautions or ())
        if new_hash == section.content_hash:
            return []
        keep_revision(section)
        section.heading, section.key_points, section.erratum = heading, points, erratum.strip()
        section.content_hash = new_hash
        flagged = flag_citing_questions(section.id, new_hash)
        audit.record(
            "section.edited",
            actor_id=actor_id,
            object_type="section",
            object_key=section.key,
            flagged=flagged,
        )
        return flagged


def create_source(
    title: str,
    *,
    slug: str = "",
    publisher: str = "",
    year: int | None = None,
    url: str = "",
    revision: str = "",
    markdown: str | None = None,
    actor_id: int | None = None,
) -> Source:
    """A new source, optionally with sections from a Markdown file's headings."""
    outline = parse_outline(markdown) if markdown else None
    title = title.strip() or (outline.title if outline else "")
    if not title:
        raise InvalidInput("A source needs a title.")
    slug = slugify(slug or title)
    with unit_of_work():
        if db.session.scalar(select(Source.id).where(Source.slug == slug)):
            raise InvalidInput(f"A source with the slug {slug!r} already exists.")
        taken = set(db.session.scalars(select(SourceSection.key)))
        source = Source(
            slug=slug,
            title=title,
            publisher=publisher.strip(),
            year=year,
            url=url.strip(),
            revision=revision.strip(),
        )
        for position, part in enumerate(outline.sections if outline else [], start=1):
            if part.key in taken:
                raise InvalidInput(
                    f"Line {part.line}: the section key {part.key!r} is already used by "
                    "another source."
                )
            points = part.key_points or [part.heading]
            source.sections.append(
                SourceSection(
                    key=part.key,
                    heading=part.heading,
                    position=position,
                    kind="content",
                    key_points=points,
                    erratum="",
                    content_hash=section_hash(part.heading, points, ""),
                )
            )
        db.session.add(source)
        audit.record(
            "source.created",
            actor_id=actor_id,
            object_type="source",
            object_key=slug,
            sections=len(source.sections),
        )
        return source
