"""Starting a case study as tutor practice: its six items, in order, in one attempt.

Built like any practice by `attempt_builder` (one start lock, the start token making a double
click one attempt). Practice's rules hold for the case as a whole: a case with an item kept
for quizzes (exam-only, or in a quiz attempt the trainee has open) is not offered.
"""

from __future__ import annotations

import random

from quizapp.models import Attempt, User
from quizapp.services.attempt_builder import _candidates, _create, _existing, _run_start
from quizapp.services.attempt_numbers import lock_starts
from quizapp.services.case_units import published_units
from quizapp.services.errors import InvalidInput, NotAllowed, NotFound

KEPT = (
    "This case study cannot be practised now: some of its questions are kept for quizzes "
    "(or are in a quiz you have in progress)."
)


def start_case_practice(
    user: User, case_key: str, token: str | None = None, rng: random.Random | None = None
) -> Attempt:
    rng = rng or random.Random()

    def start() -> Attempt:
        lock_starts(user.id)
        existing = _existing(user.id, token)
        if existing is not None:
            return existing
        try:
            (unit,) = published_units([case_key])
        except NotAllowed as exc:
            raise NotFound("No such case study.") from exc
        by_id = {c.entry_id: c for c in _candidates(user.id, None, None, list(unit.entry_ids))}
        chosen = [by_id[e] for e in unit.entry_ids if e in by_id]
        if len(chosen) != len(unit.entry_ids) or any(c.exam_only for c in chosen):
            raise InvalidInput(KEPT)
        settings = {
            "topics": [unit.topic_id] if unit.topic_id else [],
            "length": len(chosen),
            "review_shows": "full",
            "case": unit.key,
            "title": f"Case study: {unit.title}",
        }
        return _create(
            user,
            chosen,
            kind="practice",
            mode="tutor",
            token=token,
            settings=settings,
            rng=rng,
            slots=unit.slots,
        )

    return _run_start(start)
