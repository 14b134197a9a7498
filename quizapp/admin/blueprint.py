"""The admin blueprint (admins only) and what its route modules share."""

from __future__ import annotations

from flask import Blueprint
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from quizapp.access import require_roles
from quizapp.models import Role
from quizapp.services.errors import InvalidInput

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/admin")
require_roles(bp, Role.ADMIN)

Page = str | Response | tuple[str, int]


def field_error(form: FlaskForm, exc: InvalidInput) -> None:
    """Show a service error beside its field (or the form's first field)."""
    name = getattr(exc, "field", None)
    fields = [f for f in form if f.name != "csrf_token"]
    target = form[name] if name and name in form else fields[0]
    target.errors = [*target.errors, str(exc)]
