"""Liveness for load balancers and schedulers: does the database answer?"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from quizapp.queries.health import database_answers

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    if not database_answers():
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
