"""Authoring questions in the app: drafts, new versions on edit, publish and retire, restore,
and confirming a question after its cited section changed. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from quizapp.database import require_unit_of_work, unit_of_work
from quizapp.domain.types import UnknownQuestionType, get_type
from quizapp.extensions import db
from quizapp.models import (
    Citation,
    QuestionEntry,
    QuestionStatus,
    QuestionVersion,
    SourceSection,
    Topic,
)
from quizapp.services import audit
from quizapp.services.errors import InvalidInput, NotFound
from quizapp.services.images import image_problems, texts_of
from quizapp.services.question_versions import (
    content_hash,
    editable_in_place,
    new_version,
    write_version,
)


@dataclass
class QuestionDraft:
    """A question as an author (form or import) gives it, before it is stored."""

    type: str
    stem: str
    data: dict[str, Any]
    rationale: str = ""
    difficulty: int = 2
    tags: list[str] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    topic: str | None = None


class DraftInvalid(InvalidInput):
    """The draft has problems; `problems` are (field path, message) pairs for the form."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))
        self.problems = problems


def check_draft(draft: QuestionDraft, *, for_publish: bool) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    try:
        qtype = get_type(draft.type)
    except UnknownQuestionType as exc:
        return [("type", str(exc))]
    if not draft.stem.strip():
        problems.append(("stem", "Write the question."))
    problems += [(p.field, p.message) for p in qtype.validate(draft.data)]
    if draft.difficulty not in (1, 2, 3):
        problems.append(("difficulty", "Choose a difficulty from 1 to 3."))
    known = set(
        db.session.scalars(select(SourceSection.key).where(SourceSection.key.in_(draft.cites)))
    )
    for key in draft.cites:
        if key not in known:
            problems.append(("cites", f"Unknown section {key!r}."))
    if draft.topic and db.session.scalar(select(Topic.id).where(Topic.key == draft.topic)) is None:
        problems.append(("topic", f"Unknown topic {draft.topic!r}."))
    if for_publish:
        if not draft.rationale.strip():
            problems.append(("rationale", "A published question needs a rationale."))
        if not draft.cites:
            problems.append(("cites", "A published question cites at least one source section."))
        if not draft.topic:
            problems.append(("topic", "A published question belongs to a topic."))
        problems += image_problems(texts_of(draft.stem, draft.rationale, draft.data))
    return problems


def draft_of(entry: QuestionEntry, version: QuestionVersion | None = None) -> QuestionDraft:
    """The draft an entry's current version (or the given one) was written from."""
    version = version or entry.current
    return QuestionDraft(
        type=version.type,
        stem=version.stem,
        data=dict(version.data),
        rationale=version.rationale,
        difficulty=version.difficulty,
        tags=list(version.tags),
        cites=[c.section.key for c in version.citations],
        topic=entry.topic.key if entry.topic else None,
    )


def with_current_and_citations() -> tuple[Any, ...]:
    """Loader options: an entry's topic, current version, its citations and their sections."""
    return (
        selectinload(QuestionEntry.topic),
        selectinload(QuestionEntry.current)
        .selectinload(QuestionVersion.citations)
        .selectinload(Citation.section),
    )


def load_entry(entry_id: int) -> QuestionEntry:
    entry = db.session.scalar(
        select(QuestionEntry)
        .where(QuestionEntry.id == entry_id)
        .options(*with_current_and_citations())
    )
    if entry is None:
        raise NotFound("No such question.")
    return entry


def _topic_id(key: str | None) -> int | None:
    return db.session.scalar(select(Topic.id).where(Topic.key == key)) if key else None


def next_uid(prefix: str = "q") -> str:
    count = db.session.scalar(select(func.count()).select_from(QuestionEntry)) or 0
    n = count + 1
    while db.session.scalar(
        select(QuestionEntry.id).where(QuestionEntry.uid == f"{prefix}-{n:04d}")
    ):
        n += 1
    return f"{prefix}-{n:04d}"


def add_question(
    draft: QuestionDraft, actor_id: int | None, *, uid: str | None = None, note: str = "Created"
) -> QuestionEntry:
    """Add a draft question to the session (no commit: the caller owns the transaction)."""
    problems = check_draft(draft, for_publish=False)
    if uid and db.session.scalar(select(QuestionEntry.id).where(QuestionEntry.uid == uid)):
        problems.append(("uid", f"The id {uid!r} is already used."))
    if problems:
        raise DraftInvalid(problems)
    entry = QuestionEntry(
        uid=uid or next_uid(),
        topic_id=_topic_id(draft.topic),
        status=QuestionStatus.DRAFT,
        current_version=0,
    )
    db.session.add(entry)
    db.session.flush()
    new_version(entry, draft, actor_id, note)
    audit.record(
        "question.created", actor_id=actor_id, object_type="question", object_key=entry.uid
    )
    return entry


def create_question(
    draft: QuestionDraft, actor_id: int | None, *, uid: str | None = None, note: str = "Created"
) -> QuestionEntry:
    """A new draft question in its own unit of work (publishing is a separate step)."""
    with unit_of_work():
        return add_question(draft, actor_id, uid=uid, note=note)


def apply_edit(entry: QuestionEntry, draft: QuestionDraft, actor_id: int | None, note: str) -> bool:
    """Save an edit inside the caller's unit of work; whether anything changed.

    A draft that was never published is updated in place (no version per save); otherwise a
    changed content makes a new version. A published question stays published only if the
    edit is still publishable.
    """
    require_unit_of_work("apply_edit")
    problems = check_draft(draft, for_publish=entry.status is QuestionStatus.PUBLISHED)
    if problems:
        raise DraftInvalid(problems)
    data = get_type(draft.type).normalize(draft.data)
    changed = False
    topic_id = _topic_id(draft.topic)
    if entry.topic_id != topic_id:
        entry.topic_id = topic_id
        changed = True
    if content_hash(draft, data) != entry.current.content_hash:
        if editable_in_place(entry):
            write_version(entry.current, draft, note or entry.current.change_note or "Edited")
        else:
            new_version(entry, draft, actor_id, note or "Edited")
        entry.needs_review = False
        changed = True
    if changed:
        audit.record(
            "question.edited",
            actor_id=actor_id,
            object_type="question",
            object_key=entry.uid,
            version=entry.current_version,
        )
    return changed


def update_question(
    entry_id: int, draft: QuestionDraft, actor_id: int | None, note: str = ""
) -> bool:
    """Save an edit in its own unit of work (see `apply_edit`)."""
    with unit_of_work():
        return apply_edit(load_entry(entry_id), draft, actor_id, note)


def set_status(entry_id: int, status: QuestionStatus, actor_id: int | None) -> None:
    with unit_of_work():
        entry = load_entry(entry_id)
        if status is QuestionStatus.PUBLISHED:
            problems = check_draft(draft_of(entry), for_publish=True)
            if problems:
                raise DraftInvalid(problems)
        if status is QuestionStatus.PUBLISHED:
            entry.current.frozen = True  # what trainees may now see is never edited in place
        if entry.status is status:
            return
        entry.status = status
        audit.record(
            f"question.{status.value}",
            actor_id=actor_id,
            object_type="question",
            object_key=entry.uid,
        )


def restore_version(entry_id: int, number: int, actor_id: int | None) -> None:
    """Make an old version current again, as a new version (history is never rewritten)."""
    with unit_of_work():
        entry = load_entry(entry_id)
        old = db.session.scalar(
            select(QuestionVersion)
            .where(QuestionVersion.entry_id == entry.id, QuestionVersion.number == number)
            .options(selectinload(QuestionVersion.citations).selectinload(Citation.section))
        )
        if old is None:
            raise NotFound("No such version.")
        draft = draft_of(entry, old)
        # The same checks as an edit: a published question keeps a rationale, citations, a topic.
        problems = check_draft(draft, for_publish=entry.status is QuestionStatus.PUBLISHED)
        if problems:
            raise DraftInvalid(problems)
        new_version(entry, draft, actor_id, f"Restored from version {number}")
        audit.record(
            "question.restored",
            actor_id=actor_id,
            object_type="question",
            object_key=entry.uid,
            from_version=number,
        )
