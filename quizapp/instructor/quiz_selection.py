"""The question selection part of the quiz builder: the per-topic counts, the picked and typed
question ids, read from the posted form with an error beside each field, and what the page
shows (available counts, search results, the total)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from quizapp.queries import pick_lists
from quizapp.queries.case_pages import CaseRow, case_choice_error, published_cases
from quizapp.queries.quiz_builder import (
    PickRow,
    available_per_topic,
    picked,
    search_questions,
    unpublished as unpublished_ids,
)
from quizapp.services.case_selection import case_item_refusal

MAX_PER_TOPIC = 50
MAX_FIXED = 200


@dataclass
class SelectionInput:
    mode: str = "per_topic"
    counts: dict[str, str] = field(default_factory=dict)  # topic key -> as typed
    count_errors: dict[str, str] = field(default_factory=dict)
    topics_error: str = ""
    uids: list[str] = field(default_factory=list)  # picked, then typed
    typed: str = ""
    fixed_error: str = ""
    cases: list[str] = field(default_factory=list)  # case study keys, each asked whole
    cases_error: str = ""

    @property
    def valid(self) -> bool:
        return not (self.count_errors or self.topics_error or self.fixed_error or self.cases_error)

    def selection(self) -> dict[str, Any]:
        cases = {"cases": list(self.cases)} if self.cases else {}
        if self.mode == "fixed":
            return ({"fixed": list(self.uids)} if self.uids or not cases else {}) | cases
        counts = {k: int(v) for k, v in self.counts.items() if v and int(v) > 0}
        return ({"per_topic": counts} if counts or not cases else {}) | cases

    @property
    def topic_total(self) -> int:
        """The per-topic counts added up (those typed wrongly left out)."""
        return sum(int(v) for v in self.counts.values() if v.isdigit() and int(v) <= MAX_PER_TOPIC)


def from_selection(selection: dict[str, Any]) -> SelectionInput:
    """A saved selection as the form shows it."""
    cases = list(selection.get("cases") or [])
    if "fixed" in selection:
        return SelectionInput(mode="fixed", uids=list(selection["fixed"]), cases=cases)
    counts = {k: str(v) for k, v in selection.get("per_topic", {}).items()}
    return SelectionInput(counts=counts, cases=cases)


def read_selection(form: MultiDict, mode: str, typed: str, check: bool = True) -> SelectionInput:
    """The posted selection; every mistake noted beside its own field (with `check`; a search
    for the picker is no attempt to save, so it is not checked)."""
    got = SelectionInput(mode="fixed" if mode == "fixed" else "per_topic", typed=typed)
    for topic in pick_lists.topics():
        raw = form.get(f"count-{topic.key}", "").strip()[:10]
        got.counts[topic.key] = raw
        if raw and not (raw.isdigit() and int(raw) <= MAX_PER_TOPIC):
            got.count_errors[topic.key] = f"A whole number from 0 to {MAX_PER_TOPIC}."
    ticked = [u.strip()[:64] for u in form.getlist("picked") if u.strip()]
    got.uids = list(dict.fromkeys(ticked + [u[:64] for u in typed.split() if u]))
    got.cases = list(dict.fromkeys(k.strip()[:64] for k in form.getlist("case") if k.strip()))
    if not check or got.mode == "fixed":
        got.count_errors = {}  # counts are not used by a fixed list, nor checked by a search
    if check:
        got.cases_error = case_choice_error(got.cases)
    if check and got.mode == "fixed" and not (got.cases and not got.uids):
        _check_fixed(got)
    elif check and not (got.count_errors or got.cases or got.selection().get("per_topic")):
        got.topics_error = "Ask for at least one question from at least one topic."
    return got


def _check_fixed(got: SelectionInput) -> None:
    if not got.uids:
        got.fixed_error = "Pick at least one question (search above), or type its id."
    elif len(got.uids) > MAX_FIXED:
        got.fixed_error = f"A fixed list holds at most {MAX_FIXED} questions."
    else:
        missing = unpublished_ids(got.uids)
        if missing:
            got.fixed_error = "These ids are no published question: " + ", ".join(missing) + "."
        else:
            got.fixed_error = case_item_refusal(got.uids)


@dataclass
class BuilderView:
    """What the selection part of the page shows."""

    chosen: SelectionInput
    topics: list[pick_lists.TopicOption]
    available: dict[str, int]
    picked_rows: list[PickRow]
    query: str
    results: list[PickRow]
    cases: list[CaseRow] = field(default_factory=list)  # the published case studies

    @property
    def short(self) -> dict[str, int]:
        """Topic key -> how many fewer published questions it has than asked for."""
        out = {}
        for key, raw in self.chosen.counts.items():
            if raw.isdigit() and int(raw) > self.available.get(key, 0):
                out[key] = self.available.get(key, 0)
        return out


def builder_view(chosen: SelectionInput, query: str = "") -> BuilderView:
    """Five queries whatever the number of topics, questions or cases."""
    query = query.strip()[:200]
    return BuilderView(
        chosen=chosen,
        topics=pick_lists.topics(),
        available=available_per_topic(),
        picked_rows=picked(chosen.uids),
        query=query,
        results=search_questions(query) if query else [],
        cases=published_cases(),
    )
