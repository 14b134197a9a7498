"""Role checks per blueprint, and per-object predicates (pure `can_*` functions)."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user, login_required

from quizapp.models import Role


def require_roles(bp: Blueprint, *roles: Role) -> None:
    """Every view of `bp` needs a signed-in user with one of `roles` (else 403)."""

    @bp.before_request
    @login_required
    def _check_role() -> None:
        if current_user.role not in roles:
            abort(403)
