"""Admin Sign-in page (issue 19): which single sign-on methods are configured, the local
sign-in switch, the directory group mappings (add, delete with a confirm step), and unlinking
a directory account from a user. Registered on the admin blueprint (admin/routes.py imports
this module), so the admin role check applies."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.admin.blueprint import Page, bp, field_error
from quizapp.admin.directory_forms import ConfirmDeleteForm, LocalSignInForm, MappingForm
from quizapp.admin.forms import ActionForm
from quizapp.queries import directory_admin as queries, pick_lists
from quizapp.services import directory_admin as service
from quizapp.services.errors import InvalidInput, NotFound


def _mapping_form(formdata: bool = True) -> MappingForm:
    form = MappingForm() if formdata else MappingForm(formdata=None)
    return form.with_units([(unit.id, unit.name) for unit in pick_lists.units()])


def _sign_in_page(
    local_form: LocalSignInForm | None = None, mapping_form: MappingForm | None = None
) -> str:
    mode = queries.local_sign_in_mode()
    return render_template(
        "admin/sign_in.html",
        methods=queries.sign_in_methods(),
        mode=mode,
        mappings=queries.mappings(),
        local_form=local_form or LocalSignInForm(formdata=None, mode=mode),
        mapping_form=mapping_form or _mapping_form(formdata=False),
        action_form=ActionForm(),
    )


@bp.get("/sign-in")
def sign_in_settings() -> str:
    return _sign_in_page()


@bp.post("/sign-in/local")
def set_local_sign_in() -> Page:
    form = LocalSignInForm()
    if not form.validate_on_submit():
        return _sign_in_page(local_form=form), 422
    try:
        changed = service.set_local_sign_in(form.mode.data or "", current_user.id)
    except InvalidInput as exc:
        field_error(form, exc)
        return _sign_in_page(local_form=form), 422
    if not changed:
        flash("The sign-in setting is unchanged.", "info")
    elif form.mode.data == "admins":
        flash("Local passwords are now for admins only; everyone else uses the directory.", "info")
    else:
        flash("Everyone with a local account may sign in with its password again.", "info")
    return redirect(url_for("admin.sign_in_settings"))


@bp.post("/sign-in/mappings")
def add_mapping() -> Page:
    form = _mapping_form()
    if form.validate_on_submit():
        unit_id = int(form.unit_id.data) if form.unit_id.data else None
        try:
            mapping = service.add_mapping(
                form.source.data or "",
                form.group.data or "",
                form.role.data or "",
                unit_id,
                bool(form.is_manager.data),
                current_user.id,
            )
        except NotFound:
            form.unit_id.errors = [*form.unit_id.errors, "That unit no longer exists."]
        except InvalidInput as exc:
            field_error(form, exc)
        else:
            flash(f"Mapping added: {mapping.group} gives {mapping.role.value}.", "info")
            return redirect(url_for("admin.sign_in_settings"))
    return _sign_in_page(mapping_form=form), 422


@bp.route("/sign-in/mappings/<int:mapping_id>/delete", methods=["GET", "POST"])
def delete_mapping(mapping_id: int) -> Page:
    """The table's button posts here without `confirm`: the confirm page. It posts
    confirm=yes: the mapping goes."""
    row = queries.mapping(mapping_id)
    if row is None:
        abort(404)
    form = ConfirmDeleteForm()
    if form.is_submitted():
        if not form.validate_on_submit():
            abort(400)
        if form.confirm.data == "yes":
            service.delete_mapping(mapping_id, current_user.id)
            flash(f"Mapping deleted: {row.group} ({row.role}).", "info")
            return redirect(url_for("admin.sign_in_settings"))
    return render_template("admin/sign_in_delete.html", row=row, form=ConfirmDeleteForm())


@bp.post("/users/<int:user_id>/identities/<int:identity_id>/unlink")
def unlink_identity(user_id: int, identity_id: int) -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    named = service.unlink_identity(user_id, identity_id, current_user.id)  # NotFound 404
    flash(f"Unlinked the {named}. The user's sessions have ended.", "info")
    return redirect(url_for("admin.user", user_id=user_id))
