"""Source documents as the reader and the authoring pages show them."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from quizapp.extensions import db
from quizapp.models import Source, SourceSection


class Neighbour(NamedTuple):
    """A section before or after another in its source, for the reader's links."""

    key: str
    heading: str
    position: int


def sources_by_title(with_sections: bool = False) -> list[Source]:
    query = select(Source).order_by(Source.title)
    if with_sections:
        query = query.options(selectinload(Source.sections))
    return list(db.session.scalars(query))


def source_with_sections(slug: str) -> Select[Source]:
    """One source by slug with its sections loaded; for `db.one_or_404`."""
    return select(Source).where(Source.slug == slug).options(selectinload(Source.sections))


def section_in_source(slug: str, key: str) -> tuple[SourceSection, Source] | None:
    row = db.session.execute(
        select(SourceSection, Source)
        .join(Source, Source.id == SourceSection.source_id)
        .where(Source.slug == slug, SourceSection.key == key)
    ).first()
    return None if row is None else (row[0], row[1])


def neighbours(source_id: int, key: str) -> tuple[Neighbour | None, Neighbour | None]:
    """The sections just before and after `key` in its source (None at either end)."""
    siblings = [
        Neighbour(*row)
        for row in db.session.execute(
            select(SourceSection.key, SourceSection.heading, SourceSection.position)
            .where(SourceSection.source_id == source_id)
            .order_by(SourceSection.position)
        )
    ]
    index = next(i for i, s in enumerate(siblings) if s.key == key)
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    return previous, following
