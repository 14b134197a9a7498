"""Managers' dashboards for the units they manage (admins: every unit)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.access import require_roles
from quizapp.csv_export import csv_response
from quizapp.domain.local_time import local_to_utc
from quizapp.domain.mastery import MASTERY_RULE
from quizapp.manager.forms import DashboardFilterForm
from quizapp.manager.tables import TABLES, csv_table
from quizapp.models import Role, utcnow
from quizapp.queries import dashboard, dashboard_status, pick_lists
from quizapp.queries.case_scores import trainee_step_scores, unit_step_scores
from quizapp.queries.dashboard import BUCKETS, DashboardFilter
from quizapp.queries.review import result_page
from quizapp.queries.trainee_home import recent_attempts, scores_with_topics
from quizapp.templating import viewer_zone

bp = Blueprint("manager", __name__, template_folder="templates", url_prefix="/manage")
require_roles(bp, Role.MANAGER, Role.ADMIN)


def _filter(unit_id: int) -> tuple[DashboardFilter, DashboardFilterForm]:
    """The unit's filter from the query string; the form carries the errors (dates that are
    not dates, or a range that ends before it starts) when it is not valid."""
    dashboard.unit_for_manager(current_user, unit_id)
    form = DashboardFilterForm(formdata=request.args)
    if not form.validate():
        return DashboardFilter(unit_id=unit_id, bank=""), form
    zone = viewer_zone()
    start, end = form.start.data, form.end.data
    return (
        DashboardFilter(
            unit_id=unit_id,
            bank=form.bank.data or "",
            start=local_to_utc(datetime.combine(start, time()), zone) if start else None,
            end=local_to_utc(datetime.combine(end + timedelta(days=1), time()), zone)
            if end
            else None,
        ),
        form,
    )


@bp.get("/")
def index() -> str | Response:
    units = dashboard.managed_units(current_user)
    if len(units) == 1:
        return redirect(url_for("manager.unit", unit_id=units[0].id))
    return render_template("manager/index.html", units=units)


def _dashboard_data(f: DashboardFilter) -> dict[str, Any]:
    moment = dashboard_status.as_of(f, utcnow())
    people = dashboard.trainees(f)
    topics = dashboard.topics(f)
    quizzes = dashboard_status.assigned_quizzes(f)
    cells = dashboard.heatmap(f)
    ids = [t[0] for t in people]
    columns, competency = dashboard_status.competencies(moment, ids, [t[0] for t in topics], cells)
    return {
        "trainees": people,
        "topics": topics,
        "cells": cells,
        # the heatmap's columns: topics someone answered (the rest are listed as unanswered)
        "heat_topics": [t for t in topics if t[0] in {topic for _, topic in cells}],
        "summary": dashboard.topic_summary(cells),
        "trend": dashboard.weekly_trend(f),
        "quizzes": quizzes,
        "as_of": moment,
        "compliance": dashboard_status.compliance(moment, quizzes, ids),
        "competency_quizzes": columns,
        "competency": competency,
        "step_scores": unit_step_scores(f.unit_id, f.start, f.end),
    }


def _args() -> dict[str, str]:
    return {k: v[:100] for k, v in request.args.items() if k in ("bank", "start", "end") and v}


@bp.get("/units/<int:unit_id>")
def unit(unit_id: int) -> str | tuple[str, int]:
    f, form = _filter(unit_id)
    units = dashboard.managed_units(current_user)
    page = {
        "unit": next(u for u in units if u.id == unit_id),
        "units": units,
        "banks": pick_lists.banks(),
        "f": f,
        "form": form,
        "args": _args(),
    }
    if form.errors:
        return render_template("manager/unit.html", refused=True, **page), 422
    return render_template(
        "manager/unit.html",
        refused=False,
        buckets=[label for label, _, _ in BUCKETS],
        mastery_rule=MASTERY_RULE,
        **page,
        **_dashboard_data(f),
    )


@bp.get("/units/<int:unit_id>/<table>.csv")
def unit_csv(unit_id: int, table: str) -> Response | tuple[str, int]:
    if table not in TABLES:
        abort(404)
    f, form = _filter(unit_id)
    if form.errors:
        return " ".join(e for errors in form.errors.values() for e in errors), 422
    header, rows = csv_table(table, _dashboard_data(f))
    return csv_response(f"unit-{unit_id}-{table}.csv", header, rows)


@bp.get("/units/<int:unit_id>/trainees/<int:user_id>")
def trainee(unit_id: int, user_id: int) -> str:
    dashboard.unit_for_manager(current_user, unit_id)
    person = dashboard.trainee_in_unit(DashboardFilter(unit_id=unit_id), user_id)
    return render_template(
        "manager/trainee.html",
        unit_id=unit_id,
        person=person,
        scores=scores_with_topics(person.id),
        step_scores=trainee_step_scores(person.id),
        attempts=recent_attempts(person, 50),
        mastery_rule=MASTERY_RULE,
    )


@bp.get("/units/<int:unit_id>/attempts/<int:attempt_id>")
def attempt(unit_id: int, attempt_id: int) -> str:
    """An attempt of a trainee in one of my units, read-only, with every answer and the key
    (whatever the trainee's own review may show yet); anyone else's is a 404."""
    dashboard.unit_for_manager(current_user, unit_id)
    found = dashboard.attempt_in_unit(DashboardFilter(unit_id=unit_id), attempt_id)
    data = result_page(found, utcnow())
    return render_template(
        "manager/attempt.html", unit_id=unit_id, person=found.user, **{**data, "shows": "full"}
    )
