from __future__ import annotations

from flask import Blueprint

from quizapp.access import require_roles
from quizapp.models import Role

bp = Blueprint("instructor", __name__, template_folder="templates", url_prefix="/author")
require_roles(bp, Role.INSTRUCTOR, Role.ADMIN)
