"""Shape a question version, its frozen choice order and a saved response for templates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from quizapp.domain.responses import response_fields
from quizapp.domain.types import get_type
from quizapp.domain.types.base import ChoiceView, PairView, PartView
from quizapp.models import QuestionVersion


class GivenAnswer(Protocol):
    """What a view reads of a saved response (a `Response`, or a preview's check)."""

    @property
    def answer(self) -> Any: ...
    @property
    def mark(self) -> float | None: ...


class ShownItem(Protocol):
    """What `item_view` reads: an `AttemptItem`, or the instructor preview's stand-in."""

    @property
    def position(self) -> int: ...
    @property
    def version(self) -> QuestionVersion: ...
    @property
    def response(self) -> GivenAnswer | None: ...
    @property
    def choice_order(self) -> list[str]: ...


@dataclass
class ItemView:
    position: int
    type: str
    label: str
    stem: str
    rationale: str
    data: dict[str, Any]
    choices: list[ChoiceView] = field(default_factory=list)
    pairs: list[PairView] = field(default_factory=list)
    parts: list[PartView] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    answered: bool = False
    mark: float | None = None
    prefill: dict[str, Any] = field(default_factory=dict)
    my_answer: str = ""
    correct_answer: str = ""
    feedback: list[str] = field(default_factory=list)
    citations: list[tuple[str, str, str]] = field(default_factory=list)  # slug, key, heading
    unit: str = ""
    hint: str = ""  # shown beside the stem, from the type
    # Study tools: the trainee's flag, the choice ids struck out, and what the type offers.
    attempt_id: int = 0  # 0 in the instructor preview, which has no attempt
    flagged: bool = False
    struck: list[str] = field(default_factory=list)
    can_strike: bool = False
    calculator: bool = False
    layout: dict[str, Any] = field(default_factory=dict)  # the type's own (Review.layout)


def item_view(item: ShownItem, citations: list[tuple[str, str, str]] | None = None) -> ItemView:
    version = item.version
    qtype = get_type(version.type)
    data = version.data
    response = item.response
    answer = response.answer if response is not None else None
    view = ItemView(
        position=item.position,
        type=version.type,
        label=qtype.label,
        hint=qtype.hint,
        stem=version.stem,
        rationale=version.rationale,
        data=data,
        answered=response is not None,
        mark=response.mark if response is not None else None,
        prefill=response_fields(version.type, answer),
        citations=citations or [],
        # An attempt item has these; the instructor preview's stand-in does not.
        attempt_id=int(getattr(item, "attempt_id", 0) or 0),
        flagged=bool(getattr(item, "flagged", False)),
        struck=list(getattr(item, "struck", None) or []),
        can_strike=bool(qtype.strike_ids(data)),
        calculator=qtype.calculator,
    )
    review = qtype.review(data, answer, item.choice_order or [])
    view.choices, view.pairs, view.options = review.choices, review.pairs, review.options
    view.my_answer, view.correct_answer = review.my_answer, review.correct_answer
    view.feedback, view.unit = review.feedback, review.unit
    view.parts, view.layout = review.parts, review.layout
    return view


def keep_given_answer(view: ItemView, fields: dict[str, list[str]]) -> None:
    """Fill the view with an answer that was posted but not saved."""
    get_type(view.type).keep_given(view, fields)


def practice_notes(settings: Mapping[str, object]) -> list[str]:
    """What a practice just started left out of what was asked, in words (none: it gave all)."""
    given = int(str(settings.get("count") or 0))
    left = settings.get("left_out")
    if not isinstance(left, dict):
        asked = int(str(settings.get("length") or 0))
        if given >= asked:
            return []
        return [
            f"You asked for {asked} questions; only {given} can be practised in those topics "
            f"now, so this practice has {given}."
        ]
    reasons = [
        (left.get("gone", 0), "retired since"),
        (left.get("kept", 0), "kept for quizzes or in a quiz you have open"),
        (left.get("over", 0), "left for another round"),
    ]
    words = [f"{n} {why}" for n, why in reasons if n]
    if not words:
        return [f"This practice has the {given} question{'s' if given != 1 else ''} to retry."]
    return [f"This practice has {given} to retry; left out: {'; '.join(words)}."]
