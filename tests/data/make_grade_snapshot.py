"""Write tests/data/bank_grades.json: every bank question's data as stored, and the marks its
correct and wrong responses earn with the code of the day.

Why: issue 14 reworks the answer model; tests/unit/test_bank_grades_unchanged.py grades the
same responses with the new code (and through migration 0011's stored form) and requires the
same marks. Run from the project root: python tests/data/make_grade_snapshot.py
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

from quizapp.bank.reader import read_bank
from quizapp.domain.types import get_type

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).with_name("bank_grades.json")


def _choice_responses(data: dict[str, Any], multiple: bool) -> list[Any]:
    ids = [c["id"] for c in data["choices"]]
    right = [c["id"] for c in data["choices"] if c["correct"]]
    wrong = [i for i in ids if i not in right]
    if not multiple:
        return [*ids, "", f" {right[0]} ", "zz", None, right]
    mixes = [right + wrong[:1], right[:1], right[:1] + wrong, ids, []]
    return [[i] for i in ids] + [right] + mixes + [right[0], None]


def _short_responses(data: dict[str, Any]) -> list[Any]:
    out: list[Any] = ["", "   ", "zzz not this", None]
    for text in data["accepted"]:
        out += [text, text.upper(), f"  {text.title()}  ", text.replace(" ", "   "), text + "x"]
    return out


def _numeric_responses(data: dict[str, Any]) -> list[Any]:
    value, tol, unit = data["value"], data["tolerance"], data["unit"]
    step = tol or 1.0
    out: list[Any] = [value, str(value), f"{value} {unit}", f"{value}{unit}", "", "abc", None]
    out += [value + tol, value - tol, value + tol + 0.01 * step, value - tol - 0.01 * step]
    out += [str(value).replace(".", ","), f"{value} L/h", f"{value} {unit.upper()}", value * 10]
    return out


def _matching_responses(data: dict[str, Any]) -> list[Any]:
    pairs = data["pairs"]
    right = {p["id"]: p["answer"] for p in pairs}
    half = dict(right)
    keys = list(right)
    for a, b in pairwise(keys[: len(keys) // 2 + 1]):
        half[a] = right[b]
    shifted = {k: right[keys[(i + 1) % len(keys)]] for i, k in enumerate(keys)}
    upper = {k: v.upper() for k, v in right.items()}
    return [right, half, shifted, upper, {}, {keys[0]: right[keys[0]]}, None, "x"]


def _true_false_responses(data: dict[str, Any]) -> list[Any]:
    return [True, False, "true", "false", None, "", 1]


RESPONSES = {
    "single": lambda d: _choice_responses(d, False),
    "multiple": lambda d: _choice_responses(d, True),
    "short_answer": _short_responses,
    "numeric": _numeric_responses,
    "matching": _matching_responses,
    "true_false": _true_false_responses,
}


def snapshot() -> list[dict[str, Any]]:
    content, _ = read_bank(ROOT / "question_bank")  # the questions that read are graded
    rows = []
    for q in sorted(content.questions, key=lambda q: q.uid):
        qtype = get_type(q.type)
        responses = RESPONSES[q.type](q.data)
        rows.append(
            {
                "uid": q.uid,
                "type": q.type,
                "data": q.data,
                "content_hash": q.content_hash,
                "graded": [[r, qtype.grade(q.data, r)] for r in responses],
                "correct": qtype.grade(q.data, qtype.correct_response(q.data)),
            }
        )
    return rows


if __name__ == "__main__":
    rows = snapshot()
    OUT.write_text(json.dumps(rows, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    print(f"{len(rows)} questions, {sum(len(r['graded']) for r in rows)} graded responses")
