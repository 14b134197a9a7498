"""Cases as units of an attempt: which questions a published case asks (its current
version's six items, in order), and the record of each attempt item shown in a case.

Used by the attempt builder inside its unit of work; reads only what it is given keys for.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from quizapp.domain.case_placement import place_units
from quizapp.domain.selection import Candidate
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    Case,
    CaseAttemptItem,
    CaseItem,
    CaseStatus,
    CaseVersion,
    QuestionEntry,
    QuestionStatus,
)
from quizapp.services.errors import NotAllowed


@dataclass(frozen=True)
class CaseSlot:
    """Where a question stands in a case: the case version, position 1..6, step."""

    case_version_id: int
    position: int
    step: str


@dataclass(frozen=True)
class CaseUnit:
    key: str
    title: str
    topic_id: int | None
    entry_ids: tuple[int, ...]  # in the case's order
    slots: dict[int, CaseSlot]  # entry id -> slot


def case_question_ids() -> select:  # type: ignore[valid-type]
    """Every question that is (or was) an item of a case: kept out of draws of single
    questions, where it would appear without its case's exhibits."""
    return select(CaseItem.question_id)


def published_units(keys: Sequence[str]) -> list[CaseUnit]:
    """The published cases of `keys`, in that order, each with all its items published; a
    case that cannot be asked whole is refused (NotAllowed names it). One query."""
    rows = db.session.execute(
        select(Case, CaseVersion.id, CaseItem.position, CaseItem.step, QuestionEntry)
        .join(
            CaseVersion,
            (CaseVersion.case_id == Case.id) & (CaseVersion.number == Case.current_version),
        )
        .join(CaseItem, CaseItem.case_version_id == CaseVersion.id)
        .join(QuestionEntry, QuestionEntry.id == CaseItem.question_id)
        .where(Case.key.in_(list(keys)))
        .order_by(Case.id, CaseItem.position)
    ).all()
    found: dict[str, list[tuple[Case, int, int, str, QuestionEntry]]] = {}
    for row in rows:
        found.setdefault(row[0].key, []).append(tuple(row))  # type: ignore[arg-type]
    units = []
    for key in dict.fromkeys(keys):
        items = found.get(key, [])
        case = items[0][0] if items else None
        usable = all(e.status is QuestionStatus.PUBLISHED for *_, e in items)
        if case is None or case.status is not CaseStatus.PUBLISHED or not usable:
            raise NotAllowed(f"The case study {key!r} is not published whole; tell your educator.")
        units.append(
            CaseUnit(
                key=key,
                title=case.title,
                topic_id=case.topic_id,
                entry_ids=tuple(e.id for *_, e in items),
                slots={e.id: CaseSlot(v_id, pos, step) for _, v_id, pos, step, e in items},
            )
        )
    return units


def record_slot(attempt: Attempt, item: AttemptItem, slot: CaseSlot | None) -> None:
    """Note an attempt item that is part of a case (nothing when `slot` is None)."""
    if slot is not None:
        db.session.add(
            CaseAttemptItem(
                attempt_item=item,
                attempt=attempt,
                case_version_id=slot.case_version_id,
                position=slot.position,
                step=slot.step,
            )
        )


def with_units(
    chosen: list[Candidate],
    keys: Sequence[str],
    unit_candidates: Callable[[list[int]], list[Candidate]],
    rng: random.Random,
) -> tuple[list[Candidate], dict[int, CaseSlot]]:
    """`chosen` with the cases of `keys` placed whole among them, and the slots of their items.
    `unit_candidates(entry_ids)` gives the candidates of the case items (the builder's)."""
    if not keys:
        return chosen, {}
    units = published_units(keys)
    wanted = [e for unit in units for e in unit.entry_ids]
    by_id = {c.entry_id: c for c in unit_candidates(wanted)}
    blocks = [[by_id[e] for e in unit.entry_ids if e in by_id] for unit in units]
    slots = {e: slot for unit in units for e, slot in unit.slots.items()}
    return place_units(chosen, blocks, rng), slots
