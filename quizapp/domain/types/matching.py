"""Matching: each prompt's answer chosen from the answers and distractors; 1/n per right pair."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.domain.answer_fields import EmptyAnswer, Fields, among, one
from quizapp.domain.types.base import (
    Codec,
    Data,
    Described,
    PairView,
    QuestionType,
    Review,
    Shown,
    register,
)
from quizapp.domain.types.checks import (
    MAX_ENTRIES,
    Check,
    clean_text,
    clean_text_list,
    fold,
    sparse,
)


@register
class Matching(QuestionType):
    name = "matching"
    label = "Matching"
    fields = frozenset({"pairs", "distractors"})
    FIELDS = ("id", "prompt", "answer", "feedback")
    hint = "Choose the match for each item."
    moodle_type = "matching"

    def normalize(self, data: Data) -> dict[str, Any]:
        pairs = data.get("pairs")
        if isinstance(pairs, list | tuple):
            pairs = [
                {
                    "id": clean_text(p.get("id"), str(i + 1)),
                    "prompt": clean_text(p.get("prompt")),
                    "answer": clean_text(p.get("answer")),
                    "feedback": clean_text(p.get("feedback"), None),
                }
                if isinstance(p, Mapping)
                else p
                for i, p in enumerate(pairs)
            ]
        return {"pairs": pairs, "distractors": clean_text_list(data.get("distractors"))}

    def _check(self, data: dict[str, Any], raw: Data, check: Check) -> None:
        ids: dict[str, str] = {}
        prompts: dict[str, str] = {}
        answers: dict[str, str] = {}
        if check.count(data["pairs"], "pairs", 2, MAX_ENTRIES):  # 3 to 8 is bank lint
            for path, pair in check.mappings(data["pairs"], "pairs", raw.get("pairs"), self.FIELDS):
                check.text(pair["id"], f"{path}.id", "id", ids, key=str)
                check.text(pair["prompt"], f"{path}.prompt", "prompt", prompts)
                if check.text(pair["answer"], f"{path}.answer", "answer"):
                    answers.setdefault(fold(pair["answer"]), f"{path}.answer")
                check.feedback(pair["feedback"], f"{path}.feedback")
        if not isinstance(data["distractors"], list):
            check.add("distractors", "Give the distractors as a list of texts.")
            return
        seen: dict[str, str] = {}
        for j, text in enumerate(data["distractors"]):
            path = f"distractors[{j}]"
            if check.text(text, path, "distractor", seen) and fold(text) in answers:
                check.add(path, f"The distractor {text!r} is the answer of {answers[fold(text)]}.")

    def options(self, data: Data) -> list[str]:
        """What each select offers: the answers and distractors, sorted, without repeats."""
        unique: dict[str, str] = {}
        for text in [*(pair["answer"] for pair in data["pairs"]), *data.get("distractors", ())]:
            unique.setdefault(fold(text), text)
        return sorted(unique.values(), key=lambda text: (fold(text), text))

    def grade(self, data: Data, response: object) -> float:
        if not isinstance(response, Mapping) or not data["pairs"]:
            return 0.0
        pairs = data["pairs"]
        hits = [
            isinstance(c := response.get(p["id"]), str) and fold(c) == fold(p["answer"])
            for p in pairs
        ]
        return sum(hits) / len(pairs)

    def correct_response(self, data: Data) -> dict[str, str]:
        return {pair["id"]: pair["answer"] for pair in data["pairs"]}

    def describe(self, data: Data) -> list[Described]:
        """Each item with its match and feedback, then the extra answers."""
        found: list[Described] = []
        for pair in data["pairs"]:
            key, label = f"pair:{pair['id']}", f"Item {pair['id']}"
            found.append(Described(key, label, pair["prompt"]))
            found.append(Described(f"{key}:match", f"{label} matches", pair["answer"], True))
            if pair.get("feedback"):
                found.append(Described(f"{key}:feedback", f"{label} feedback", pair["feedback"]))
        extra = "; ".join(data.get("distractors") or []) or "none"
        return [*found, Described("distractors", "Extra answers that match nothing", extra)]

    def parse_response(self, data: Data, fields: Fields) -> dict[str, str]:
        """Keys among the pair ids, values among the offered options (stored as offered)."""
        ids = [pair["id"] for pair in data["pairs"]]
        for name in fields:
            if name.startswith("pair-"):
                among(name.removeprefix("pair-"), ids, "matching item")
        options = {fold(text): text for text in self.options(data)}
        answer = {}
        for pair_id in ids:
            value = one(fields, f"pair-{pair_id}")
            if value:
                answer[pair_id] = options[among(fold(value), options, "match")]
        if not answer:
            raise EmptyAnswer("Choose a match for at least one item.")
        return answer

    def response_fields(self, response: object) -> dict[str, Any]:
        if not isinstance(response, Mapping):
            return {}
        return {f"pair-{key}": value for key, value in response.items()}

    def shuffled_ids(self, data: Data) -> list[str]:
        return [p["id"] for p in data["pairs"]]

    def review(self, data: Data, response: object, order: Sequence[str]) -> Review:
        by_id = {p["id"]: p for p in data["pairs"]}
        mine = dict(response) if isinstance(response, Mapping) else {}
        pairs = [
            PairView(pid, by_id[pid]["prompt"], by_id[pid]["answer"], by_id[pid]["feedback"])
            for pid in (order or list(by_id))
            if pid in by_id
        ]
        for pair in pairs:
            pair.chosen = mine.get(pair.id, "")
        return Review(
            pairs=pairs,
            options=self.options(data),
            my_answer="; ".join(f"{p.prompt} → {p.chosen or '(none)'}" for p in pairs),
            correct_answer="; ".join(f"{p.prompt} → {p.answer}" for p in pairs),
            feedback=[f"{p.prompt}: {p.feedback}" for p in pairs if p.feedback],
        )

    def file_fields(self, data: Data) -> dict[str, Any]:
        defaults = self.normalize({"pairs": [{} for _ in data["pairs"]]})["pairs"]
        fields = {"pairs": sparse(data["pairs"], defaults, self.FIELDS)}
        return fields | ({"distractors": data["distractors"]} if data["distractors"] else {})

    def keep_given(self, view: Shown, fields: Mapping[str, list[str]]) -> None:
        for pair in view.pairs:
            pair.chosen = (fields.get(f"pair-{pair.id}") or [""])[0]

    def gift_answers(self, data: Data, text: Any) -> list[str]:
        lines = [
            f"={text(pair['prompt'], arrow=True)} -> {text(pair['answer'])}"
            for pair in data["pairs"]
        ]
        return lines + [f"= -> {text(distractor)}" for distractor in data["distractors"]]

    def gift_comments(self, data: Data) -> tuple[list[tuple[str, object]], list[tuple[int, str]]]:
        pairs = data.get("pairs") or []
        return [], [(n, p["feedback"]) for n, p in enumerate(pairs, 1) if p.get("feedback")]

    def write_moodle_xml(self, element: Any, data: Data, codec: Codec) -> None:
        codec.add(element, "shuffleanswers", "true")
        pairs = [(p["prompt"], p["answer"], p["feedback"]) for p in data["pairs"]]
        for prompt, answer, feedback in [*pairs, *(("", d, None) for d in data["distractors"])]:
            sub = codec.rich(element, "subquestion", prompt)
            codec.add(codec.add(sub, "answer"), "text", answer)
            if feedback:
                codec.rich(sub, "feedback", feedback)  # ours: Moodle has no feedback per pair
