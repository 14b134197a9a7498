"""Time the manager dashboard and the item analysis at several data sizes, and keep the query
plans of the dashboard's statements."""

from __future__ import annotations

import statistics
import time
from typing import Any

from sqlalchemy import event, text

from bench.generate import generate, make_app
from quizapp.extensions import db

RUNS = 30


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _time(client: Any, path: str) -> dict[str, float]:
    for _ in range(3):
        assert client.get(path).status_code == 200, path
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(_percentile(samples, 0.95), 1),
    }


def _signed_in(app: Any, user_id: int) -> Any:
    from quizapp.database import unit_of_work
    from quizapp.models import User
    from quizapp.services.sign_in import open_session

    client = app.test_client()
    with app.app_context():
        user = db.session.get(User, user_id)
        with unit_of_work():  # a server-side session, as the sign-in form would open
            open_session(user, app.config["REMEMBER_COOKIE_DURATION"])
        session_id = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    return client


def _plans(app: Any, client: Any, path: str) -> list[dict[str, str]]:
    statements: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    plans = []
    with app.app_context(), db.engine.connect() as conn:
        sqlite = db.engine.dialect.name == "sqlite"
        for statement, parameters in statements:
            lowered = statement.lower()
            if not any(
                t in lowered for t in ("responses", "attempts", "topic_scores", "attempt_items")
            ):
                continue
            prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
            rows = conn.exec_driver_sql(prefix + statement, parameters).all()
            plan = "\n".join(str(r[-1]) if sqlite else str(r[0]) for r in rows)
            plans.append({"sql": " ".join(statement.split())[:300], "plan": plan})
    return plans


def measure(url: str, responses: int, with_plans: bool = False) -> dict[str, Any]:
    ids = generate(url, responses)
    app = make_app(url)
    manager = _signed_in(app, ids["manager_id"])
    instructor = _signed_in(app, ids["instructor_id"])
    dashboard_path = f"/manage/units/{ids['unit_id']}"
    stats_path = f"/author/quizzes/{ids['quiz_id']}/stats"
    result = {
        "responses": ids["responses"],
        "trainees": ids["trainees"],
        "generate_s": ids["seconds"],
        "dashboard": _time(manager, dashboard_path),
        "item_analysis": _time(instructor, stats_path),
    }
    if with_plans:
        result["plans"] = _plans(app, manager, dashboard_path)
        full_scans = [
            p
            for p in result["plans"]
            if "SCAN responses" in p["plan"] or "Seq Scan on responses" in p["plan"]
        ]
        result["full_scans_of_responses"] = len(full_scans)
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        db.engine.dispose()
    return result
