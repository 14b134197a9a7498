"""Editing a case study in the app: the text of one exhibit (tables and the item list are
edited in the bank file). A change makes a new case version, as a bank load does; attempts
already started keep the version they were shown. One unit of work with its audit row.

A later `bank load` leaves the edit alone while the case's file is unchanged since it was last
loaded, and replaces it when the file changed (as for questions edited in the app).
"""

from __future__ import annotations

from sqlalchemy import select

from quizapp.bank.case_exhibits import TEXT_LIMIT
from quizapp.bank.case_specs import CaseItemSpec, case_version_hash
from quizapp.database import unit_of_work
from quizapp.extensions import db
from quizapp.models import Case, CaseItem, CaseVersion, QuestionEntry
from quizapp.services import audit
from quizapp.services.errors import FieldInvalid, NotFound


def exhibit_text(case_key: str, exhibit_id: str) -> str:
    """The current text of a case's text exhibit (NotFound: no such case or text exhibit)."""
    _, version = _current(case_key)
    return str(_text_exhibit(version, exhibit_id)["text"])


def edit_exhibit_text(case_key: str, exhibit_id: str, text: str, actor_id: int | None) -> int:
    """Save the exhibit's new Markdown text as a new case version; its number (the current
    one, unchanged, when the text is the same)."""
    text = text.strip()
    if not text:
        raise FieldInvalid("text", "An exhibit needs some text.")
    if len(text) > TEXT_LIMIT:
        raise FieldInvalid("text", f"At most {TEXT_LIMIT} characters.")
    with unit_of_work():
        case, version = _current(case_key, lock=True)
        if _text_exhibit(version, exhibit_id)["text"] == text:
            return version.number
        exhibits = [
            {**e, "text": text} if e["id"] == exhibit_id else dict(e) for e in version.exhibits
        ]
        rows = db.session.execute(
            select(CaseItem.position, CaseItem.step, CaseItem.question_id, QuestionEntry.uid)
            .join(QuestionEntry, QuestionEntry.id == CaseItem.question_id)
            .where(CaseItem.case_version_id == version.id)
            .order_by(CaseItem.position)
        ).all()
        number = (
            db.session.scalar(
                select(CaseVersion.number)
                .where(CaseVersion.case_id == case.id)
                .order_by(CaseVersion.number.desc())
                .limit(1)
            )
            or 0
        ) + 1
        new = CaseVersion(
            case=case,
            number=number,
            summary=version.summary,
            exhibits=exhibits,
            cites=list(version.cites),
            content_hash=case_version_hash(
                version.summary,
                exhibits,
                version.cites,
                [CaseItemSpec(p, s, uid) for p, s, _, uid in rows],
            ),
        )
        for position, step, question_id, _ in rows:
            new.items.append(
                CaseItem(case=case, position=position, step=step, question_id=question_id)
            )
        db.session.add(new)
        case.current_version = number
        audit.record(
            "case.exhibit_edited",
            actor_id=actor_id,
            object_type="case",
            object_key=case.key,
            exhibit=exhibit_id,
            version=number,
        )
    return number


def _current(case_key: str, lock: bool = False) -> tuple[Case, CaseVersion]:
    query = select(Case).where(Case.key == case_key)
    case = db.session.scalar(query.with_for_update() if lock else query)
    if case is None:
        raise NotFound("No such case study.")
    version = db.session.scalar(
        select(CaseVersion).where(
            CaseVersion.case_id == case.id, CaseVersion.number == case.current_version
        )
    )
    if version is None:
        raise NotFound("No such case study.")
    return case, version


def _text_exhibit(version: CaseVersion, exhibit_id: str) -> dict[str, object]:
    for exhibit in version.exhibits:
        if exhibit["id"] == exhibit_id and "text" in exhibit:
            return exhibit
    raise NotFound("No such text exhibit in this case (tables are edited in the bank file).")
