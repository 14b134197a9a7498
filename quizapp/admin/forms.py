"""Admin forms. Each POST has a form, so each carries a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    EqualTo,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from quizapp.domain.roster import looks_like_email, normalise_email
from quizapp.form_choices import SelectChoice
from quizapp.models import Role
from quizapp.passwords import WeakPassword, check_policy

ROLE_CHOICES = [SelectChoice(r.value, r.value.title()) for r in Role]


def _email(_form: FlaskForm, field: Field) -> None:
    if field.data and not looks_like_email(normalise_email(field.data)):
        raise ValidationError("Enter an email address such as name@hospital.example.")


def _password_policy(form: FlaskForm, field: Field) -> None:
    try:
        check_policy(field.data or "", normalise_email(form.email.data or ""))
    except WeakPassword as exc:
        raise ValidationError(str(exc)) from exc


def _only_when_typing_a_password(form: FlaskForm, field: Field) -> None:
    """The password fields count only when the admin chose to set a password now."""
    if form.access.data != "password":
        field.errors = []
        raise StopValidation()


class UnitForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Give the unit a name."), Length(max=120)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=500)])
    save = SubmitField("Create unit")


class AddMemberForm(FlaskForm):
    email = EmailField(
        "Email of the person to add",
        validators=[DataRequired("Enter the person's email."), Length(max=254), _email],
    )
    as_manager = BooleanField("As a manager of this unit (needs the manager or admin role)")
    add = SubmitField("Add to unit")


class ManagerForm(FlaskForm):
    manager = HiddenField(validators=[AnyOf(["0", "1"])])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class UserForm(FlaskForm):
    email = EmailField(
        "Email", validators=[DataRequired("Enter an email."), Length(max=254), _email]
    )
    name = StringField(
        "Name (empty: the part of the email before @)", validators=[Optional(), Length(max=120)]
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.TRAINEE.value)
    unit = SelectField("Unit (optional; a manager manages it)", validators=[Optional()])
    access = RadioField(
        "How they get a password",
        choices=[
            SelectChoice("invite", "Send an invitation: they choose their own password"),
            SelectChoice("password", "Type a password for them now"),
        ],
        default="invite",
    )
    password = PasswordField(
        "Password (at least 12 characters)",
        validators=[
            _only_when_typing_a_password,
            DataRequired("Choose a password."),
            _password_policy,
        ],
    )
    confirm = PasswordField(
        "Password again",
        validators=[
            _only_when_typing_a_password,
            DataRequired("Type the password again."),
            EqualTo("password", "The two passwords differ."),
        ],
    )
    save = SubmitField("Create user")


class LinkForm(FlaskForm):
    """Confirm issuing a set-password link (the CSRF token and the button)."""

    issue = SubmitField("Make the link")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    change = SubmitField("Change role")


class RosterForm(FlaskForm):
    file = FileField("Roster (CSV)", validators=[FileRequired("Choose a CSV file.")])
    dry_run = BooleanField("Dry run: show what would change, change nothing", default=True)
    invite = BooleanField("Invite the new users: make each a one-time link to set a password")
    submit = SubmitField("Import roster")
