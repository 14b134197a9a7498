"""The "cases" part of a quiz's selection: published case studies, each asked whole."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from quizapp.domain.case_steps import MAX_CASES
from quizapp.extensions import db
from quizapp.models import Case, CaseItem, CaseStatus, QuestionEntry
from quizapp.services.errors import InvalidInput


def validate_cases(raw: Any) -> dict[str, Any]:
    """{"cases": [key, ...]} (in the order given, once each), or {} when none are asked for."""
    if not isinstance(raw, list | tuple):
        raise InvalidInput("The case studies must be a list of case ids.")
    keys = list(dict.fromkeys(str(k).strip()[:64] for k in raw if str(k).strip()))
    if not keys:
        return {}
    if len(keys) > MAX_CASES:
        raise InvalidInput(f"A quiz holds at most {MAX_CASES} case studies.")
    published = set(
        db.session.scalars(
            select(Case.key).where(Case.key.in_(keys), Case.status == CaseStatus.PUBLISHED)
        )
    )
    missing = [k for k in keys if k not in published]
    if missing:
        raise InvalidInput(f"These are no published case study: {', '.join(missing)}.")
    return {"cases": keys}


def case_item_uids(uids: list[str]) -> list[str]:
    """Those of `uids` that are items of a case study: asked only with their case."""
    inside = set(
        db.session.scalars(
            select(QuestionEntry.uid)
            .join(CaseItem, CaseItem.question_id == QuestionEntry.id)
            .where(QuestionEntry.uid.in_(uids))
        )
    )
    return [u for u in uids if u in inside]


def case_item_refusal(uids: list[str]) -> str:
    inside = case_item_uids(uids)
    if not inside:
        return ""
    return (
        f"These are items of a case study, asked only with their case (add the case below "
        f"instead): {', '.join(inside)}."
    )
