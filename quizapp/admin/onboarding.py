"""Onboarding without the command line: new users (invited, or with a typed password), a
set-password link from the user page (an invitation or a reset), and roster imports that
invite. A link is shown once, to the admin who made it, and never stored in plain text."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.admin.blueprint import Page, bp, field_error
from quizapp.admin.forms import LinkForm, RosterForm, UserForm
from quizapp.admin.link_csv import links_data_url
from quizapp.form_choices import SelectChoice
from quizapp.links import BaseUrlMissing
from quizapp.models import Role
from quizapp.services import admin as service
from quizapp.services.accounts import create_user
from quizapp.services.errors import InvalidInput, NotFound, ServiceError
from quizapp.services.invitations import create_invited_user, invite_user, reset_link
from quizapp.services.roster import MAX_NEW_USERS, RosterFailed, import_roster
from quizapp.uploads import read_text_upload

MAX_ROSTER_BYTES = 1024 * 1024
PURPOSES = {"invite": invite_user, "reset": reset_link}


@bp.route("/users/new", methods=["GET", "POST"])
def new_user() -> Page:
    form = UserForm()
    form.unit.choices = [SelectChoice("", "(none)")] + [
        SelectChoice(str(s.unit.id), s.unit.name) for s in service.unit_overview()
    ]
    if form.validate_on_submit():
        unit_id = int(form.unit.data) if form.unit.data else None
        try:
            if form.access.data == "invite":
                link = create_invited_user(
                    form.email.data or "",
                    Role(form.role.data),
                    name=form.name.data or "",
                    unit_id=unit_id,
                    actor_id=current_user.id,
                )
                return render_template("admin/link_issued.html", link=link, created=True)
            user = create_user(
                form.email.data or "",
                form.password.data or "",
                Role(form.role.data),
                name=form.name.data or "",
                unit_id=unit_id,
                actor_id=current_user.id,
            )
        except BaseUrlMissing as exc:
            form.access.errors = [*form.access.errors, str(exc)]
        except NotFound:
            form.unit.errors = [*form.unit.errors, "That unit no longer exists."]
        except InvalidInput as exc:
            field_error(form, exc)
        else:
            flash(f"User {user.email} created.", "info")
            return redirect(url_for("admin.user", user_id=user.id))
    page = render_template("admin/user_form.html", form=form)
    return (page, 422) if request.method == "POST" else page


@bp.route("/users/<int:user_id>/invite", methods=["GET", "POST"])
def invite(user_id: int) -> Page:
    return _user_link(user_id, "invite")


@bp.route("/users/<int:user_id>/reset-password", methods=["GET", "POST"])
def reset_password(user_id: int) -> Page:
    return _user_link(user_id, "reset")


def _user_link(user_id: int, purpose: str) -> Page:
    """Confirm, then make a set-password link for the user and show it (this once)."""
    user = service.get_user(user_id)
    form = LinkForm()
    if form.validate_on_submit():
        link = PURPOSES[purpose](current_user.id, user.id)  # NotAllowed: the 403 page
        return render_template("admin/link_issued.html", link=link, created=False)
    page = render_template("admin/link_confirm.html", user=user, purpose=purpose, form=form)
    return (page, 400) if request.method == "POST" else page


@bp.route("/roster", methods=["GET", "POST"])
def roster() -> Page:
    form = RosterForm()
    report, problems = None, []
    if form.validate_on_submit():
        try:
            filename, text = read_text_upload(form.file.data, MAX_ROSTER_BYTES, "roster.csv")
            report = import_roster(
                text,
                dry_run=bool(form.dry_run.data),
                actor_id=current_user.id,
                filename=filename,
                invite_new=bool(form.invite.data),
            )
        except RosterFailed as exc:
            problems = [str(p) for p in exc.problems]
        except ServiceError as exc:
            problems = [str(exc)]
    elif request.method == "POST":
        problems = [e for errors in form.errors.values() for e in errors]
    page = render_template(
        "admin/roster.html",
        form=form,
        report=report,
        problems=problems,
        max_new=MAX_NEW_USERS,
        links_csv=links_data_url(report.links) if report and report.links else "",
    )
    return (page, 422) if problems else page
