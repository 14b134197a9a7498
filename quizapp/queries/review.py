"""Page data for a question in an attempt and for an attempt's result."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from quizapp.domain import review_policy as policy
from quizapp.domain.results import ItemMark, attempt_result
from quizapp.extensions import db
from quizapp.models import Attempt, Citation, Quiz, Source, SourceSection, Topic, utcnow
from quizapp.presenters import item_view
from quizapp.queries.case_pages import attempt_cases, case_context
from quizapp.services.item_pools import examined_entries


def citations_for(version_ids: list[int]) -> dict[int, list[tuple[str, str, str]]]:
    rows = db.session.execute(
        select(Citation.version_id, Source.slug, SourceSection.key, SourceSection.heading)
        .join(SourceSection, SourceSection.id == Citation.section_id)
        .join(Source, Source.id == SourceSection.source_id)
        .where(Citation.version_id.in_(version_ids))
        .order_by(Citation.id)
    ).all()
    result: dict[int, list[tuple[str, str, str]]] = {}
    for version_id, slug, key, heading in rows:
        result.setdefault(version_id, []).append((slug, key, heading))
    return result


def attempt_page(attempt: Attempt, position: int) -> dict[str, Any] | None:
    items = attempt.items
    item = next((i for i in items if i.position == position), None)
    if item is None:
        return None
    cites = citations_for([item.version_id])
    view = item_view(item, cites.get(item.version_id, []))
    total = len(items)
    answered = sum(1 for i in items if i.response is not None)
    return {
        "attempt": attempt,
        "item": view,
        "position": position,
        "total": total,
        "answered_count": answered,
        "nav": [(i.position, i.response is not None) for i in items],
        "flagged_positions": [i.position for i in items if i.flagged],
        "show_feedback": attempt.mode == "tutor"
        and view.answered
        and _may_reveal(attempt, [item.version.entry_id], utcnow()),
        "locked": attempt.mode == "tutor" and view.answered,
        "case": case_context(item.id),
    }


def _may_reveal(attempt: Attempt, entry_ids: list[int], now: datetime) -> bool:
    """Tutor feedback follows the quiz's review settings; practice never reveals a question
    the trainee is being examined on in an open quiz attempt."""
    if attempt.quiz_id is not None:
        return review_visibility(attempt, now)[0] != "score"
    return not examined_entries(attempt.user_id, besides=attempt.id) & set(entry_ids)


def review_visibility(attempt: Attempt, now: datetime) -> tuple[str, str]:
    """What the result page may show now: ("score" | "answers" | "full", a note). The rule is
    `domain.review_policy`; this reads the settings frozen on the attempt and, only when the
    review waits for it, the quiz's close date."""
    when = attempt.settings.get("review_when", "immediately")
    close_at = None
    if when == "after_close" and attempt.quiz_id is not None:
        quiz = db.session.get(Quiz, attempt.quiz_id)
        close_at = quiz.close_at if quiz is not None else None
    seen = policy.review_visibility(
        attempt.settings.get("review_shows", "full"),
        when,
        in_quiz=attempt.quiz_id is not None,
        close_at=close_at,
        now=now,
    )
    return seen.shows, seen.note


def result_page(attempt: Attempt, now: datetime) -> dict[str, Any]:
    items = attempt.items
    cites = citations_for([i.version_id for i in items])
    views = [item_view(i, cites.get(i.version_id, [])) for i in items]
    result = attempt_result(
        [ItemMark(i.topic_id, i.response.mark if i.response else None, i.max_mark) for i in items],
        attempt.settings.get("pass_mark"),
    )
    topic_ids = [t.topic_id for t in result.topics if t.topic_id is not None]
    titles: dict[int | None, str] = dict(
        db.session.execute(select(Topic.id, Topic.title).where(Topic.id.in_(topic_ids))).all()
    )
    shows, note = _result_visibility(attempt, now)
    cases = attempt_cases(attempt.id)
    return {
        "attempt": attempt,
        "items": views,
        "topics": [(titles.get(t.topic_id, "No topic"), t) for t in result.topics],
        "shows": shows,
        "review_note": note,
        "steps": cases.steps,
        # "Practise the ones I got wrong" is offered only where the answers are shown.
        # (case-study items are asked only with their case, so a retry leaves them out)
        "retry_count": sum(
            1
            for i, v in zip(items, views, strict=True)
            if (v.mark is None or v.mark < 1.0) and i.id not in cases.item_ids
        )
        if shows != "score"
        else 0,
    }


def _result_visibility(attempt: Attempt, now: datetime) -> tuple[str, str]:
    shows, note = review_visibility(attempt, now)
    if attempt.quiz_id is None and not _may_reveal(
        attempt, [i.version.entry_id for i in attempt.items], now
    ):
        shows, note = "score", "Answers are shown once you finish the quiz these questions are in."
    return shows, note


def answers_visible(attempt: Attempt, now: datetime) -> bool:
    """Whether the result page shows the attempt's answers now (not the score alone)."""
    return _result_visibility(attempt, now)[0] != "score"


def review_page(attempt: Attempt) -> dict[str, Any]:
    """The review-and-submit page: each question answered or not, flagged or not, and counts."""
    rows = [
        {"position": i.position, "answered": i.response is not None, "flagged": i.flagged}
        for i in attempt.items
    ]
    return {
        "attempt": attempt,
        "rows": rows,
        "total": len(rows),
        "answered": sum(1 for r in rows if r["answered"]),
        "unanswered": sum(1 for r in rows if not r["answered"]),
        "flagged": sum(1 for r in rows if r["flagged"]),
    }
