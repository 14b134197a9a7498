"""Shape a question version, its frozen choice order and a saved response for templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quizapp.domain.question_types import get_type
from quizapp.domain.responses import response_fields
from quizapp.models import AttemptItem


@dataclass
class ChoiceView:
    id: str
    text: str
    correct: bool
    feedback: str | None
    chosen: bool = False


@dataclass
class PairView:
    id: str
    prompt: str
    answer: str
    feedback: str | None
    chosen: str = ""


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
    options: list[str] = field(default_factory=list)
    answered: bool = False
    mark: float | None = None
    prefill: dict[str, Any] = field(default_factory=dict)
    my_answer: str = ""
    correct_answer: str = ""
    feedback: list[str] = field(default_factory=list)
    citations: list[tuple[str, str, str]] = field(default_factory=list)  # slug, key, heading
    unit: str = ""


def item_view(item: AttemptItem, citations: list[tuple[str, str, str]] | None = None) -> ItemView:
    version = item.version
    qtype = get_type(version.type)
    data = version.data
    response = item.response
    answer = response.answer if response is not None else None
    view = ItemView(
        position=item.position,
        type=version.type,
        label=qtype.label,
        stem=version.stem,
        rationale=version.rationale,
        data=data,
        answered=response is not None,
        mark=response.mark if response is not None else None,
        prefill=response_fields(version.type, answer),
        citations=citations or [],
    )
    if version.type in ("single", "multiple"):
        by_id = {c["id"]: c for c in data["choices"]}
        order = item.choice_order or list(by_id)
        chosen = set([answer] if isinstance(answer, str) else (answer or []))
        view.choices = [
            ChoiceView(cid, by_id[cid]["text"], by_id[cid]["correct"], by_id[cid]["feedback"])
            for cid in order
            if cid in by_id
        ]
        for choice in view.choices:
            choice.chosen = choice.id in chosen
        view.my_answer = "; ".join(c.text for c in view.choices if c.chosen)
        view.correct_answer = "; ".join(c.text for c in view.choices if c.correct)
        view.feedback = [f"{c.text}: {c.feedback}" for c in view.choices if c.chosen and c.feedback]
    elif version.type == "matching":
        by_id = {p["id"]: p for p in data["pairs"]}
        order = item.choice_order or list(by_id)
        mine = dict(answer or {})
        view.pairs = [
            PairView(pid, by_id[pid]["prompt"], by_id[pid]["answer"], by_id[pid]["feedback"])
            for pid in order
            if pid in by_id
        ]
        for pair in view.pairs:
            pair.chosen = mine.get(pair.id, "")
        view.options = qtype.options(data)  # type: ignore[attr-defined]
        view.my_answer = "; ".join(f"{p.prompt} → {p.chosen or '(none)'}" for p in view.pairs)
        view.correct_answer = "; ".join(f"{p.prompt} → {p.answer}" for p in view.pairs)
        view.feedback = [f"{p.prompt}: {p.feedback}" for p in view.pairs if p.feedback]
    elif version.type == "true_false":
        view.my_answer = "" if answer is None else ("True" if answer else "False")
        view.correct_answer = "True" if data["answer"] else "False"
        if answer is not None:
            chosen_feedback = data.get("feedback_true" if answer else "feedback_false")
            view.feedback = [chosen_feedback] if chosen_feedback else []
    elif version.type == "numeric":
        view.unit = data["unit"]
        view.my_answer = "" if answer is None else str(answer)
        tolerance = f" (± {data['tolerance']:g})" if data["tolerance"] else ""
        view.correct_answer = f"{data['value']:g} {data['unit']}{tolerance}"
    elif version.type == "short_answer":
        view.my_answer = "" if answer is None else str(answer)
        view.correct_answer = " or ".join(data["accepted"])
    return view


def keep_given_answer(view: ItemView, fields: dict[str, list[str]]) -> None:
    """Fill the view with an answer that was posted but not saved."""
    given = fields.get("answer", [])
    if view.type in ("single", "multiple"):
        for choice in view.choices:
            choice.chosen = choice.id in given
    elif view.type == "matching":
        for pair in view.pairs:
            pair.chosen = (fields.get(f"pair-{pair.id}") or [""])[0]
    else:
        view.prefill = {"answer": given[0] if given else ""}
