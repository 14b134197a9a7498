"""The front page: what the platform holds, at a glance."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from quizapp.extensions import db
from quizapp.models import Bank, QuestionEntry, QuestionStatus, Role, Topic

bp = Blueprint("public", __name__, template_folder="templates")


@bp.get("/")
def index() -> str | Response:
    if current_user.is_authenticated and current_user.role is Role.TRAINEE:
        return redirect(url_for("trainee.home"))
    published = (
        select(QuestionEntry.topic_id, func.count().label("n"))
        .where(QuestionEntry.status == QuestionStatus.PUBLISHED)
        .group_by(QuestionEntry.topic_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Bank, Topic, func.coalesce(published.c.n, 0))
        .join(Topic, Topic.bank_id == Bank.id)
        .outerjoin(published, published.c.topic_id == Topic.id)
        .order_by(Bank.position, Topic.position)
    ).all()
    banks: dict[int, dict] = {}
    for bank, topic, count in rows:
        entry = banks.setdefault(bank.id, {"bank": bank, "topics": [], "total": 0})
        entry["topics"].append((topic, count))
        entry["total"] += count
    return render_template("public/index.html", banks=list(banks.values()))
