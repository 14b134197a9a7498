"""Administration: units, memberships and managers, users and rosters."""

from __future__ import annotations

from flask import Blueprint

from quizapp.auth.access import require_roles
from quizapp.models import Role

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/admin")
require_roles(bp, Role.ADMIN)
