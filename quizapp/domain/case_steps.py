"""Unfolding case studies, the pure rules: the six clinical-judgment steps (NCSBN's Clinical
Judgment Measurement Model) in their order, the exhibit tabs a case may use, which exhibits an
item reveals, and the score per step. No Flask, no database: the loader, the pages and the
result all ask these."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

# In CJMM order: a case's items take them one each, in this order.
STEPS = (
    "recognize_cues",
    "analyze_cues",
    "prioritize_hypotheses",
    "generate_solutions",
    "take_action",
    "evaluate_outcomes",
)
STEP_WORDS = {
    "recognize_cues": "Recognize cues",
    "analyze_cues": "Analyze cues",
    "prioritize_hypotheses": "Prioritize hypotheses",
    "generate_solutions": "Generate solutions",
    "take_action": "Take action",
    "evaluate_outcomes": "Evaluate outcomes",
}
ITEMS_PER_CASE = len(STEPS)
MAX_CASES = 10  # per quiz (60 items)
TABS = (
    "History and Physical",
    "Nurses' Notes",
    "Vital Signs",
    "Laboratory Results",
    "Medication Administration Record",
    "Orders",
)


def step_words(step: str) -> str:
    return STEP_WORDS.get(step, step.replace("_", " ").capitalize())


def step_problems(steps: Sequence[str]) -> list[tuple[int, str]]:
    """(index, message) for each item whose step is not the one CJMM order puts there; also
    one (-1, message) when there are not exactly six items."""
    problems: list[tuple[int, str]] = []
    if len(steps) != ITEMS_PER_CASE:
        problems.append((-1, f"a case needs exactly {ITEMS_PER_CASE} items, not {len(steps)}"))
    for index, step in enumerate(steps[:ITEMS_PER_CASE]):
        wanted = STEPS[index]
        if step not in STEP_WORDS:
            problems.append((index, f"step {step!r} is not one of {', '.join(STEPS)}"))
        elif step != wanted:
            problems.append((index, f"item {index + 1} must be step {wanted!r}, not {step!r}"))
    return problems


@dataclass(frozen=True)
class Exhibit:
    """One exhibit as stored: Markdown `text` or a `table` ({columns, rows}), shown from item
    `from_item` on; a later exhibit with the same `tab` replaces it from its own item."""

    id: str
    tab: str
    from_item: int = 1
    text: str = ""
    table: dict[str, Any] | None = None

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Exhibit:
        return cls(
            id=str(raw["id"]),
            tab=str(raw["tab"]),
            from_item=int(raw.get("from_item", 1)),
            text=str(raw.get("text", "")),
            table=raw.get("table"),
        )

    def as_dict(self) -> dict[str, Any]:
        value: dict[str, Any] = {"id": self.id, "tab": self.tab, "from_item": self.from_item}
        if self.table is not None:
            value["table"] = self.table
        else:
            value["text"] = self.text
        return value


@dataclass(frozen=True)
class ShownTab:
    """A tab as item k shows it: the newest exhibit of that tab revealed by k; `updated` when
    this item is the one that revealed it (and it is not the case's first page)."""

    tab: str
    exhibit: Exhibit
    updated: bool


def revealed_tabs(exhibits: Iterable[Exhibit], item: int) -> list[ShownTab]:
    """The tabs item `item` (1..6) shows, in the order the tabs first appear in the case; each
    the newest exhibit of its tab with `from_item <= item` (a later one in the file wins a tie)."""
    newest: dict[str, Exhibit] = {}
    for exhibit in exhibits:
        if exhibit.from_item > item:
            continue
        current = newest.get(exhibit.tab)
        if current is None or exhibit.from_item >= current.from_item:
            newest[exhibit.tab] = exhibit
    return [
        ShownTab(tab, exhibit, updated=exhibit.from_item == item and item > 1)
        for tab, exhibit in newest.items()
    ]


@dataclass(frozen=True)
class StepMark:
    step: str
    mark: float | None  # None: not answered (counts as 0 of its max)
    max_mark: float = 1.0


@dataclass(frozen=True)
class StepScore:
    step: str
    items: int
    marks: float
    max_marks: float

    @property
    def words(self) -> str:
        return step_words(self.step)

    @property
    def fraction(self) -> float:
        return self.marks / self.max_marks if self.max_marks else 0.0

    @property
    def percent(self) -> float:
        return 100.0 * self.fraction


def step_scores_from_sums(sums: Iterable[tuple[str, int, float, float]]) -> list[StepScore]:
    """(step, items, marks, max marks) rows, as SQL sums them, in CJMM order."""
    order = {step: i for i, step in enumerate(STEPS)}
    rows = [StepScore(step, n, marks, top) for step, n, marks, top in sums]
    return sorted(rows, key=lambda s: order.get(s.step, len(STEPS)))


def step_scores(marks: Iterable[StepMark]) -> list[StepScore]:
    """The score per clinical-judgment step, in CJMM order, only steps that have items: the sum
    of the items' marks over the sum of their maxima (an unanswered item scores 0)."""
    sums: dict[str, list[float]] = {}
    for m in marks:
        row = sums.setdefault(m.step, [0, 0.0, 0.0])
        row[0] += 1
        row[1] += m.mark or 0.0
        row[2] += m.max_mark
    return step_scores_from_sums(
        (step, int(n), total, top) for step, (n, total, top) in sums.items()
    )
