"""Administration: units, memberships and managers, users and rosters."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.admin.blueprint import Page, bp, field_error as _field_error
from quizapp.admin.forms import (
    ActionForm,
    AddMemberForm,
    ManagerForm,
    RoleForm,
    UnitForm,
)
from quizapp.models import Role, Unit
from quizapp.queries import admin_users, directory_admin
from quizapp.queries.audit_log import AuditFilters, audit_page
from quizapp.services import admin as service
from quizapp.services.errors import InvalidInput, NotAllowed

# Units


@bp.get("/")
def index() -> str:
    return render_template("admin/index.html", units=service.unit_overview())


@bp.route("/units/new", methods=["GET", "POST"])
def new_unit() -> Page:
    form = UnitForm()
    if form.validate_on_submit():
        try:
            unit = service.create_unit(
                form.name.data or "", form.description.data or "", current_user.id
            )
        except InvalidInput as exc:
            _field_error(form, exc)
        else:
            flash(f"Unit {unit.name} created.", "info")
            return redirect(url_for("admin.unit", unit_id=unit.id))
    page = render_template("admin/unit_form.html", form=form)
    return (page, 422) if request.method == "POST" else page


def _unit_or_404(unit_id: int) -> Unit:
    return service.get_unit(unit_id)


def _unit_page(unit: Unit, form: AddMemberForm | None = None, error: str = "") -> str:
    return render_template(
        "admin/unit.html",
        unit=unit,
        members=service.unit_members(unit.id),
        form=form or AddMemberForm(formdata=None),
        action_form=ActionForm(),
        error=error,
    )


@bp.get("/units/<int:unit_id>")
def unit(unit_id: int) -> str:
    return _unit_page(_unit_or_404(unit_id))


@bp.post("/units/<int:unit_id>/members")
def add_member(unit_id: int) -> Page:
    found = _unit_or_404(unit_id)
    form = AddMemberForm()
    if form.validate_on_submit():
        try:
            membership = service.add_member(
                unit_id, form.email.data or "", bool(form.as_manager.data), current_user.id
            )
        except InvalidInput as exc:
            _field_error(form, exc)
        else:
            role = "manager" if membership.is_manager else "member"
            flash(f"{membership.user.email} added to {found.name} as a {role}.", "info")
            return redirect(url_for("admin.unit", unit_id=unit_id))
    return _unit_page(found, form), 422


@bp.post("/units/<int:unit_id>/members/<int:membership_id>/manager")
def set_manager(unit_id: int, membership_id: int) -> Page:
    found = _unit_or_404(unit_id)
    form = ManagerForm()
    if not form.validate_on_submit():
        return _unit_page(found, error="Choose to make or unmake a manager."), 422
    making = form.manager.data == "1"
    try:
        changed = service.set_manager(unit_id, membership_id, making, current_user.id)
    except NotAllowed as exc:
        return _unit_page(found, error=str(exc)), 422
    if changed:
        flash("Now a manager of this unit." if making else "No longer a manager.", "info")
    return redirect(url_for("admin.unit", unit_id=unit_id))


@bp.post("/units/<int:unit_id>/members/<int:membership_id>/remove")
def remove_member(unit_id: int, membership_id: int) -> Page:
    found = _unit_or_404(unit_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    email = service.remove_membership(unit_id, membership_id, current_user.id)
    flash(f"{email} removed from {found.name}.", "info")
    return redirect(url_for("admin.unit", unit_id=unit_id))


# Users


@bp.get("/users")
def users() -> str:
    filters = admin_users.UserFilters.from_args(request.args)
    page = admin_users.user_page(filters, request.args.get("page", 1, type=int) or 1)
    return render_template("admin/users.html", page=page, filters=filters, roles=list(Role))


def _user_page(user_id: int, role_form: RoleForm | None = None, error: str = "") -> str:
    user = service.get_user(user_id)
    if role_form is None:
        role_form = RoleForm(formdata=None, role=user.role.value)
    return render_template(
        "admin/user.html",
        user=user,
        memberships=service.user_memberships(user.id),
        identities=directory_admin.identities(user.id),
        role_form=role_form,
        action_form=ActionForm(),
        error=error,
    )


@bp.get("/users/<int:user_id>")
def user(user_id: int) -> str:
    return _user_page(user_id)


@bp.post("/users/<int:user_id>/role")
def change_role(user_id: int) -> Page:
    form = RoleForm()
    if not form.validate_on_submit():
        return _user_page(user_id, form), 422
    try:
        ended = service.change_role(user_id, Role(form.role.data), current_user.id)
    except NotAllowed as exc:
        form.role.errors = [*form.role.errors, str(exc)]
        return _user_page(user_id, form), 422
    if ended is None:
        flash("The role is unchanged.", "info")
    else:
        note = f" No longer manager of {', '.join(ended)}." if ended else ""
        flash(f"Role changed to {form.role.data}.{note}", "info")
    return redirect(url_for("admin.user", user_id=user_id))


def _set_active(user_id: int, active: bool) -> Page:
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        changed = service.set_active(user_id, active, current_user.id)
    except NotAllowed as exc:
        return _user_page(user_id, error=str(exc)), 422
    if not changed:
        flash("Already " + ("active." if active else "deactivated."), "info")
    elif active:
        flash("Account reactivated: they can sign in again.", "info")
    else:
        flash("Account deactivated: their sessions have ended and they cannot sign in.", "info")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/deactivate")
def deactivate(user_id: int) -> Page:
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/reactivate")
def reactivate(user_id: int) -> Page:
    return _set_active(user_id, True)


# Audit


@bp.get("/audit")
def audit_log() -> str:
    """The whole log, paged and filtered by action, actor and dates."""
    filters = AuditFilters.from_args(request.args)
    page = audit_page(filters, request.args.get("page", 1, type=int) or 1, authoring_only=False)
    return render_template("admin/audit.html", page=page, filters=filters)


# Onboarding (new users, invitations, password resets, rosters): registered on `bp` there.
from quizapp.admin import directory_routes, onboarding, outbox_routes  # noqa: E402,F401  (their views join bp)
