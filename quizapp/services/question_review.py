"""Acting on questions in bulk from the list and the review queue: confirm still correct,
publish, retire, add or remove a tag. One service call is one unit of work, with an audit row
per question; every id is checked (an unknown one refuses the whole action)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from quizapp.database import require_unit_of_work, unit_of_work
from quizapp.extensions import db
from quizapp.models import QuestionEntry, QuestionStatus, Role, User
from quizapp.services import audit
from quizapp.services.authoring import (
    DraftInvalid,
    apply_edit,
    check_draft,
    draft_of,
    load_entry,
    with_current_and_citations,
)
from quizapp.services.errors import InvalidInput, NotAllowed, NotFound

MAX_IDS = 200  # questions one bulk action may name
MAX_TAG = 50
ACTIONS = ("confirm", "publish", "retire", "add_tag", "remove_tag")


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)  # uids acted on
    skipped: list[tuple[str, str]] = field(default_factory=list)  # uid, why not


def _require_author(actor_id: int | None) -> None:
    user = db.session.get(User, actor_id) if actor_id is not None else None
    if user is None or user.role not in (Role.INSTRUCTOR, Role.ADMIN):
        raise NotAllowed("Only instructors change questions.")


def _confirm(entry: QuestionEntry, actor_id: int | None) -> None:
    require_unit_of_work("confirming a question")
    for citation in entry.current.citations:
        citation.section_hash = citation.section.content_hash
    entry.needs_review = False
    audit.record(
        "question.review_confirmed", actor_id=actor_id, object_type="question", object_key=entry.uid
    )


def confirm_review(entry_id: int, actor_id: int | None) -> None:
    """The instructor checked the question against its changed sections and it still holds."""
    with unit_of_work():
        _confirm(load_entry(entry_id), actor_id)


def _status(entry: QuestionEntry, status: QuestionStatus, actor_id: int | None) -> str | None:
    """Set the status; the reason when it cannot be (a publish problem)."""
    if entry.status is status:
        return f"already {status.value}"
    if status is QuestionStatus.PUBLISHED:
        problems = check_draft(draft_of(entry), for_publish=True)
        if problems:
            return "; ".join(m for _, m in problems)
        entry.current.frozen = True
    entry.status = status
    audit.record(
        f"question.{status.value}",
        actor_id=actor_id,
        object_type="question",
        object_key=entry.uid,
        bulk=True,
    )
    return None


def _retag(entry: QuestionEntry, tag: str, add: bool, actor_id: int | None) -> str | None:
    draft = draft_of(entry)
    if add == (tag in draft.tags):
        return "already tagged" if add else "not tagged"
    draft.tags = [*draft.tags, tag] if add else [t for t in draft.tags if t != tag]
    try:
        apply_edit(entry, draft, actor_id, f"Tag {tag!r} {'added' if add else 'removed'}")
    except DraftInvalid as exc:
        return "; ".join(m for _, m in exc.problems)
    return None


def _clean_ids(entry_ids: list[int]) -> list[int]:
    ids = list(dict.fromkeys(entry_ids))
    if not ids:
        raise InvalidInput("Tick one or more questions first.")
    if len(ids) > MAX_IDS:
        raise InvalidInput(f"Act on at most {MAX_IDS} questions at once.")
    return ids


def bulk_action(
    entry_ids: list[int], action: str, actor_id: int | None, tag: str = ""
) -> BulkResult:
    """Apply `action` to every named question in one unit of work."""
    if action not in ACTIONS:
        raise InvalidInput("Choose what to do with the ticked questions.")
    ids = _clean_ids(entry_ids)
    tag = tag.strip()
    if action in ("add_tag", "remove_tag") and (not tag or len(tag) > MAX_TAG or "," in tag):
        raise InvalidInput(f"Write one tag (up to {MAX_TAG} characters, no comma).")
    result = BulkResult()
    with unit_of_work():
        _require_author(actor_id)
        entries = list(
            db.session.scalars(
                select(QuestionEntry)
                .where(QuestionEntry.id.in_(ids))
                .options(*with_current_and_citations())
                .order_by(QuestionEntry.uid)
            )
        )
        if len(entries) != len(ids):
            raise NotFound("No such question.")
        for entry in entries:
            why = _one(entry, action, tag, actor_id)
            if why is None:
                result.done.append(entry.uid)
            else:
                result.skipped.append((entry.uid, why))
    return result


def _one(entry: QuestionEntry, action: str, tag: str, actor_id: int | None) -> str | None:
    if action == "confirm":
        if not entry.needs_review:
            return "not flagged for review"
        _confirm(entry, actor_id)
        return None
    if action in ("publish", "retire"):
        target = QuestionStatus.PUBLISHED if action == "publish" else QuestionStatus.RETIRED
        return _status(entry, target, actor_id)
    return _retag(entry, tag, action == "add_tag", actor_id)
