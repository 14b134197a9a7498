"""The dashboard's tables as CSV rows: the same numbers the page shows, for the same filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quizapp.queries.dashboard import BUCKETS

TABLES = ("heatmap", "topics", "trend", "compliance", "competency")


def _heatmap(data: dict[str, Any], names: dict, topic_names: dict) -> list[list[object]]:
    return [
        [
            name,
            email,
            key,
            cell.answered if cell else 0,
            f"{cell.score:.1f}" if cell else "",
            "yes" if cell and cell.mastered else "no",
        ]
        for uid, (name, email) in names.items()
        for tid, key in topic_names.items()
        for cell in [data["cells"].get((uid, tid))]
    ]


def _topics(data: dict[str, Any], topic_names: dict) -> list[list[object]]:
    rows: list[list[object]] = []
    for tid, key in topic_names.items():
        s = data["summary"].get(tid)
        rows.append(
            [
                key,
                s.trainees if s else 0,
                f"{s.average:.1f}" if s and s.average is not None else "",
                s.mastered if s else 0,
                *(s.buckets if s else ("",) * len(BUCKETS)),
            ]
        )
    return rows


def _compliance(data: dict[str, Any], names: dict) -> list[list[object]]:
    return [
        [
            name,
            email,
            quiz.title,
            due.isoformat() if due else "",
            row.status,
            row.attempts,
            quiz.attempts_allowed or "",
            f"{row.best:.1f}" if row.best is not None else "",
        ]
        for uid, (name, email) in names.items()
        for quiz, due in data["quizzes"]
        for row in [data["compliance"][(uid, quiz.id)]]
    ]


def _competency(data: dict[str, Any], names: dict, topic_names: dict) -> list[list[object]]:
    titles = dict(data["competency_quizzes"])
    rows: list[list[object]] = []
    for uid, (name, email) in names.items():
        for quiz_id, title in titles.items():
            cell = data["competency"].get((uid, quiz_id))
            if cell is None:
                continue
            v = cell.validity
            weak = "; ".join(f"{topic_names.get(t, '')} {c.score:.0f}%" for t, c in cell.weak)
            rows.append(
                [
                    name,
                    email,
                    title,
                    v.status,
                    v.achieved_at.date().isoformat(),
                    v.expires_at.date().isoformat(),
                    weak,
                ]
            )
    return rows


def csv_table(table: str, data: dict[str, Any]) -> tuple[Sequence[str], list[list[object]]]:
    names = {t[0]: (t[1], t[2]) for t in data["trainees"]}
    topic_names = {t[0]: t[1] for t in data["topics"]}
    if table == "heatmap":
        header = ["trainee", "email", "topic", "answers", "score_last_20_pct", "mastered"]
        return header, _heatmap(data, names, topic_names)
    if table == "topics":
        header = ["topic", "trainees_with_answers", "average_pct", "mastered"]
        return [*header, *[b for b, _, _ in BUCKETS]], _topics(data, topic_names)
    if table == "trend":
        rows = [[week.isoformat(), n, f"{avg:.1f}"] for week, n, avg in data["trend"]]
        return ["week_starting", "attempts", "average_pct"], rows
    if table == "compliance":
        header = ["trainee", "email", "quiz", "due", "status", "attempts", "allowed", "best_pct"]
        return header, _compliance(data, names)
    header = ["trainee", "email", "quiz", "status", "passed", "expires", "weak_topics"]
    return header, _competency(data, names, topic_names)
