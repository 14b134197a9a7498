"""Forms of the admin Sign-in page: the local sign-in switch and a new group mapping. The
service checks the same rules again (it is the authority); the forms bound the sizes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from quizapp.admin.forms import ROLE_CHOICES
from quizapp.form_choices import SelectChoice
from quizapp.services.directory_admin import MAX_GROUP

SOURCE_CHOICES = [
    SelectChoice("any", "Both OIDC and LDAP"),
    SelectChoice("oidc", "OIDC only (the groups claim)"),
    SelectChoice("ldap", "LDAP only (group DNs)"),
]


class LocalSignInForm(FlaskForm):
    mode = RadioField(
        "Who may sign in with a password kept here",
        choices=[
            SelectChoice("all", "Everyone with a local account"),
            SelectChoice("admins", "Only admins (everyone else signs in through the directory)"),
        ],
        validate_choice=False,  # the service refuses an unknown mode beside this field
    )
    save = SubmitField("Save sign-in setting")


class MappingForm(FlaskForm):
    group = StringField(
        "Directory group (an LDAP group DN, or a value of the OIDC groups claim)",
        validators=[
            DataRequired("Enter the group: its DN or the value of the groups claim."),
            Length(max=MAX_GROUP, message=f"A group is at most {MAX_GROUP} characters."),
        ],
    )
    source = SelectField("Applies to", choices=SOURCE_CHOICES, default="any")
    role = SelectField("Role it gives", choices=ROLE_CHOICES, default="trainee")
    unit_id = SelectField("Unit", default="")
    is_manager = BooleanField("As a manager of the unit (needs the manager or admin role)")
    add = SubmitField("Add mapping")

    def with_units(self, units: list[tuple[int, str]]) -> MappingForm:
        self.unit_id.choices = [SelectChoice("", "No unit (the role only)")] + [
            SelectChoice(str(unit_id), name) for unit_id, name in units
        ]
        return self


class ConfirmDeleteForm(FlaskForm):
    """The confirm page posts confirm=yes; the table's button posts without it (and gets the
    confirm page)."""

    confirm = HiddenField(validators=[Optional(), AnyOf(["yes"])])
