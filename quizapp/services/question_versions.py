"""Writing question versions, for the authoring commands (inside their unit of work): a new
version, or a draft's own unpublished version rewritten in place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from quizapp.bank.specs import version_hash
from quizapp.database import require_unit_of_work
from quizapp.domain.types import get_type
from quizapp.extensions import db
from quizapp.models import (
    AttemptItem,
    Citation,
    QuestionEntry,
    QuestionStatus,
    QuestionVersion,
    SourceSection,
)

if TYPE_CHECKING:
    from quizapp.services.authoring import QuestionDraft


def content_hash(draft: QuestionDraft, data: dict[str, Any]) -> str:
    return version_hash(
        draft.type,
        draft.stem.strip(),
        data,
        draft.rationale.strip(),
        draft.difficulty,
        [t.strip() for t in draft.tags if t.strip()],
        draft.cites,
    )


def write_version(version: QuestionVersion, draft: QuestionDraft, note: str) -> None:
    """Put the draft's content into `version` (new, or a draft's own unpublished version)."""
    require_unit_of_work("writing a question version")
    data = get_type(draft.type).normalize(draft.data)
    version.type, version.stem, version.data = draft.type, draft.stem.strip(), data
    version.rationale, version.difficulty = draft.rationale.strip(), draft.difficulty
    version.tags = [t.strip() for t in draft.tags if t.strip()]
    version.content_hash = content_hash(draft, data)
    version.change_note = note[:300]
    wanted = list(dict.fromkeys(draft.cites))
    sections = {
        s.key: s
        for s in db.session.scalars(select(SourceSection).where(SourceSection.key.in_(wanted)))
    }
    for citation in list(version.citations):
        if citation.section.key not in wanted:
            version.citations.remove(citation)
    have = {c.section.key: c for c in version.citations}
    for key in wanted:
        section = sections[key]
        if key in have:  # written again against today's text of the section
            have[key].section_hash = section.content_hash
        else:
            version.citations.append(Citation(section=section, section_hash=section.content_hash))


def new_version(
    entry: QuestionEntry, draft: QuestionDraft, actor_id: int | None, note: str
) -> QuestionVersion:
    number = (
        db.session.scalar(
            select(func.max(QuestionVersion.number)).where(QuestionVersion.entry_id == entry.id)
        )
        or 0
    ) + 1
    # A version made while the question is published is live at once: never edited in place.
    version = QuestionVersion(
        number=number, created_by_id=actor_id, frozen=entry.status is QuestionStatus.PUBLISHED
    )
    write_version(version, draft, note)
    entry.versions.append(version)
    entry.current_version = number
    return version


def editable_in_place(entry: QuestionEntry) -> bool:
    """A draft's own version, never published nor shown in an attempt, is updated by a save."""
    version = entry.current
    if entry.status is not QuestionStatus.DRAFT or version.frozen:
        return False
    shown = select(AttemptItem.id).where(AttemptItem.version_id == version.id).limit(1)
    return db.session.scalar(shown) is None
