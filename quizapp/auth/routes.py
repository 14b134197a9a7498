"""Sign in (throttled per account from an address and per address), sign out (which ends
the session on the server), change and reset password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from quizapp.auth.forms import ChangePasswordForm, LoginForm, ResetPasswordForm, TimeZoneForm
from quizapp.auth.mail_forms import ForgotPasswordForm, RemindersForm
from quizapp.domain.local_time import zone_names
from quizapp.domain.roster import normalise_email
from quizapp.form_choices import SelectChoice
from quizapp.queries import accounts, outbox as outbox_queries
from quizapp.queries.site_settings import local_password_allowed
from quizapp.services import signin_throttle
from quizapp.services.accounts import (
    authenticate,
    change_password,
    holder_of_link,
    set_password_with_link,
)
from quizapp.services.errors import InvalidInput
from quizapp.services.mail_preferences import set_reminders
from quizapp.services.preferences import set_time_zone
from quizapp.services.reset_mail import request_password_reset
from quizapp.services.sign_in import record_failed_login, sign_in, sign_out

bp = Blueprint("auth", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("public.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data or "")
        ip = request.remote_addr or ""
        signin_throttle.admit(email, ip)  # counted before the password is checked; may raise 429
        user = authenticate(email, form.password.data or "")
        if user is None:
            record_failed_login(email, ip)
            refusal = "That email and password do not match an active account."
            form.password.errors = [*form.password.errors, refusal]
        elif not local_password_allowed(user.id, user.role):
            record_failed_login(email, ip)
            refusal = "This account signs in through your organisation's directory, not here."
            form.email.errors = [*form.email.errors, refusal]
        else:
            session.clear()  # a fresh session at sign-in
            lifetime = current_app.config["REMEMBER_COOKIE_DURATION"]
            sign_in(user, email, form.password.data or "", ip, lifetime)
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")) or url_for("public.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """End this session on the server: its row goes, so a copied session cookie or the
    remember-me cookie is refused from now on. The user's other devices stay signed in."""
    sign_out(current_user, request.remote_addr or "")
    session.clear()
    logout_user()  # after clearing: it leaves the note that clears the remember-me cookie
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> str | Response | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(
                current_user, form.current_password.data or "", form.new_password.data or ""
            )
        except InvalidInput as exc:
            target = form.current_password if "current" in str(exc) else form.new_password
            target.errors = [*target.errors, str(exc)]
        else:
            # this session carries on; every other one has ended
            login_user(accounts.user_by_id(current_user.id))
            flash("Your password is changed. Other devices are signed out.", "info")
            return redirect(url_for("public.index"))
    page = render_template("auth/password.html", form=form, title="Change my password")
    return (page, 422) if request.method == "POST" else page


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> str | Response | tuple[str, int]:
    """Set a password through a one-time link: an invitation greets the new user."""
    try:
        holder = holder_of_link(token)
    except InvalidInput as exc:
        return render_template("auth/reset_invalid.html", message=str(exc)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password_with_link(token, form.new_password.data or "")
        except InvalidInput as exc:
            form.new_password.errors = [*form.new_password.errors, str(exc)]
        else:
            flash("Your password is set. Sign in with it now.", "info")
            return redirect(url_for("auth.login"))
    invited = holder.purpose == "invite"
    page = render_template(
        "auth/password.html",
        form=form,
        title="Welcome, set your password" if invited else "Set a new password",
        invited_user=holder.user if invited else None,
    )
    return (page, 422) if request.method == "POST" else page


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password() -> str | tuple[str, int]:
    """Ask for a reset link by e-mail. The page after is the same whether or not the address
    has an account (services/reset_mail.py)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data or "")
        return render_template("auth/forgot_password_sent.html")
    page = render_template("auth/forgot_password.html", form=form)
    return (page, 422) if request.method == "POST" else page


@bp.post("/account/reminders")
@login_required
def account_reminders() -> Response:
    form = RemindersForm()
    if form.validate_on_submit():
        set_reminders(current_user.id, bool(form.reminders.data))
        flash("Reminders are on." if form.reminders.data else "Reminders are off.", "info")
    return redirect(url_for("auth.account"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> str | Response | tuple[str, int]:
    """The account page: who you are, the time zone your dates are shown in, your password."""
    form = TimeZoneForm()
    site_zone = current_app.config["TIMEZONE"]
    form.time_zone.choices = [
        SelectChoice("", f"The site's time zone ({site_zone})"),
        *(SelectChoice(name, name) for name in zone_names()),
    ]
    if request.method == "GET":
        form.time_zone.data = current_user.time_zone or ""
    if form.validate_on_submit():
        try:
            set_time_zone(current_user.id, form.time_zone.data)
        except InvalidInput as exc:
            form.time_zone.errors = [*form.time_zone.errors, str(exc)]
        else:
            flash("Your time zone is saved.", "info")
            return redirect(url_for("auth.account"))
    reminders_form = RemindersForm(
        formdata=None, reminders=outbox_queries.reminders_on(current_user.id)
    )
    page = render_template(
        "auth/account.html", form=form, site_zone=site_zone, reminders_form=reminders_form
    )
    return (page, 422) if request.method == "POST" else page
