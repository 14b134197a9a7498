"""Managers' dashboards for the units they manage (admins: every unit)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.access import require_roles
from quizapp.csv_export import csv_response
from quizapp.domain.mastery import MASTERY_RULE
from quizapp.models import Role, utcnow
from quizapp.queries import dashboard, pick_lists
from quizapp.queries.dashboard import BUCKETS, DashboardFilter
from quizapp.queries.trainee_home import recent_attempts, scores_with_topics

bp = Blueprint("manager", __name__, template_folder="templates", url_prefix="/manage")
require_roles(bp, Role.MANAGER, Role.ADMIN)

TABLES = ("heatmap", "topics", "trend", "compliance", "competency")


def _date(name: str) -> datetime | None:
    raw = request.args.get(name, "")
    try:
        return (
            datetime.combine(date.fromisoformat(raw), datetime.min.time(), tzinfo=UTC)
            if raw
            else None
        )
    except ValueError:
        return None


def _filter(unit_id: int) -> DashboardFilter:
    dashboard.unit_for_manager(current_user, unit_id)
    end = _date("end")
    return DashboardFilter(
        unit_id=unit_id,
        bank=request.args.get("bank", ""),
        start=_date("start"),
        end=end + timedelta(days=1) if end else None,
    )


@bp.get("/")
def index() -> str | Response:
    units = dashboard.managed_units(current_user)
    if len(units) == 1:
        return redirect(url_for("manager.unit", unit_id=units[0].id))
    return render_template("manager/index.html", units=units)


def _dashboard_data(f: DashboardFilter) -> dict:
    now = utcnow()
    people = dashboard.trainees(f)
    quizzes = dashboard.assigned_quizzes(f)
    return {
        "trainees": people,
        "topics": dashboard.topics(f),
        "cells": dashboard.heatmap(f),
        "summary": dashboard.topic_summary(f),
        "trend": dashboard.weekly_trend(f),
        "quizzes": quizzes,
        "compliance": dashboard.compliance(f, now, quizzes, people),
        "competency": dashboard.competencies(f, now),
    }


@bp.get("/units/<int:unit_id>")
def unit(unit_id: int) -> str:
    f = _filter(unit_id)
    units = dashboard.managed_units(current_user)
    return render_template(
        "manager/unit.html",
        unit=next(u for u in units if u.id == unit_id),
        units=units,
        banks=pick_lists.banks(),
        f=f,
        args={k: v for k, v in request.args.items() if k in ("bank", "start", "end") and v},
        buckets=[label for label, _, _ in BUCKETS],
        mastery_rule=MASTERY_RULE,
        **_dashboard_data(f),
    )


@bp.get("/units/<int:unit_id>/<table>.csv")
def unit_csv(unit_id: int, table: str) -> Response:
    if table not in TABLES:
        abort(404)
    f = _filter(unit_id)
    data = _dashboard_data(f)
    names = {t[0]: (t[1], t[2]) for t in data["trainees"]}
    topic_names = {t[0]: t[1] for t in data["topics"]}
    if table == "heatmap":
        header = ["trainee", "email", "topic", "answers", "score_last_20_pct", "mastered"]
        rows = [
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
    elif table == "topics":
        header = [
            "topic",
            "trainees_with_answers",
            "average_pct",
            "mastered",
            *[b for b, _, _ in BUCKETS],
        ]
        rows = []
        for tid, key in topic_names.items():
            s = data["summary"].get(tid)
            rows.append(
                [
                    key,
                    s.trainees if s else 0,
                    f"{s.average:.1f}" if s and s.average is not None else "",
                    s.mastered if s else 0,
                    *(s.buckets if s else (0,) * len(BUCKETS)),
                ]
            )
    elif table == "trend":
        header = ["week_starting", "attempts", "average_pct"]
        rows = [[week.isoformat(), n, f"{avg:.1f}"] for week, n, avg in data["trend"]]
    elif table == "compliance":
        header = ["trainee", "email", "quiz", "due", "status", "attempts", "best_pct"]
        rows = [
            [
                name,
                email,
                quiz.title,
                due.isoformat() if due else "",
                row.status,
                row.attempts,
                f"{row.best:.1f}" if row.best is not None else "",
            ]
            for uid, (name, email) in names.items()
            for quiz, due in data["quizzes"]
            for row in [data["compliance"][(uid, quiz.id)]]
        ]
    else:
        header = ["trainee", "email", "topic", "status", "expires"]
        rows = [
            [name, email, topic_names.get(tid, ""), status, expires.date().isoformat()]
            for (uid, tid), (status, expires) in sorted(data["competency"].items())
            for name, email in [names[uid]]
        ]
    return csv_response(f"unit-{unit_id}-{table}.csv", header, rows)


@bp.get("/units/<int:unit_id>/trainees/<int:user_id>")
def trainee(unit_id: int, user_id: int) -> str:
    f = _filter(unit_id)
    person = dashboard.trainee_in_unit(f, user_id)
    return render_template(
        "manager/trainee.html",
        unit_id=unit_id,
        person=person,
        scores=scores_with_topics(person.id),
        attempts=recent_attempts(person, 50),
        mastery_rule=MASTERY_RULE,
    )
