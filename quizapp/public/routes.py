"""The front page: what the platform holds, at a glance."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.models import Role
from quizapp.queries.front_page import catalogue

bp = Blueprint("public", __name__, template_folder="templates")


@bp.get("/")
def index() -> str | Response:
    if current_user.is_authenticated and current_user.role is Role.TRAINEE:
        return redirect(url_for("trainee.home"))
    return render_template("public/index.html", banks=catalogue())
