"""The review queue: questions flagged because a section they cite changed, each with the
section's text as the question was written against it (when kept) and as it is now.
Four queries whatever the number of questions."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, tuple_

from quizapp.domain.version_diff import Words, word_diff
from quizapp.extensions import db
from quizapp.models import (
    Citation,
    QuestionEntry,
    QuestionVersion,
    SectionRevision,
    Source,
    SourceSection,
)

LIMIT = 100  # flagged questions on one page


@dataclass(frozen=True)
class SectionChange:
    slug: str
    key: str
    heading: str
    old_text: str | None  # None: the earlier text was not kept (changed by a bank load)
    new_text: str
    words: list[Words]


@dataclass
class Flagged:
    entry_id: int
    uid: str
    stem: str
    status: str
    changes: list[SectionChange] = field(default_factory=list)


def section_text(heading: str, key_points: list[str], erratum: str) -> str:
    lines = [heading, *(f"• {p}" for p in key_points)]
    return "\n".join(lines + ([f"Erratum: {erratum}"] if erratum else []))


def flagged_questions() -> tuple[list[Flagged], int]:
    """Up to LIMIT flagged questions, oldest change first, and how many are flagged in all."""
    current = (QuestionVersion.entry_id == QuestionEntry.id) & (
        QuestionVersion.number == QuestionEntry.current_version
    )
    flagged = QuestionEntry.needs_review.is_(True)
    total = db.session.scalar(select(func.count()).select_from(QuestionEntry).where(flagged))
    rows = db.session.execute(
        select(QuestionEntry.id, QuestionEntry.uid, QuestionEntry.status, QuestionVersion)
        .join(QuestionVersion, current)
        .where(flagged)
        .order_by(QuestionEntry.updated_at, QuestionEntry.id)
        .limit(LIMIT)
    ).all()
    by_version = {
        v.id: Flagged(entry_id, uid, v.stem, status.value) for entry_id, uid, status, v in rows
    }
    if not by_version:
        return [], total or 0
    cites = db.session.execute(
        select(Citation.version_id, Citation.section_hash, SourceSection, Source.slug)
        .join(SourceSection, SourceSection.id == Citation.section_id)
        .join(Source, Source.id == SourceSection.source_id)
        .where(Citation.version_id.in_(by_version))
        .where(Citation.section_hash != SourceSection.content_hash)
        .order_by(Citation.id)
    ).all()
    pairs = {(section.id, cited) for _, cited, section, _ in cites}
    kept = {
        (r.section_id, r.content_hash): r
        for r in db.session.scalars(
            select(SectionRevision).where(
                tuple_(SectionRevision.section_id, SectionRevision.content_hash).in_(pairs)
            )
        )
    } if pairs else {}  # fmt: skip
    for version_id, cited, section, slug in cites:
        new = section_text(section.heading, section.key_points, section.erratum)
        revision = kept.get((section.id, cited))
        old = (
            section_text(revision.heading, revision.key_points, revision.erratum)
            if revision
            else None
        )
        words = word_diff(old, new) if old is not None else []
        by_version[version_id].changes.append(
            SectionChange(slug, section.key, section.heading, old, new, words)
        )
    return list(by_version.values()), total or 0
