from __future__ import annotations

from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError
from wtforms.widgets import TextInput

from quizapp.passwords import MAX_LENGTH, MIN_LENGTH


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])
    remember = BooleanField("Keep me signed in on this device")
    submit = SubmitField("Sign in")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """With LDAP on, the first box also takes a directory user name (uid, sAMAccountName),
        so it is a plain text box with a label that says so."""
        super().__init__(*args, **kwargs)
        if current_app.config.get("LDAP") is not None:
            self.email.label.text = "Email or user name"
            self.email.widget = TextInput()


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    return (
        PasswordField(
            "New password",
            description=(
                f"{MIN_LENGTH} to {MAX_LENGTH} characters; a phrase of several words works well."
            ),
            validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        ),
        PasswordField(
            "New password again",
            validators=[DataRequired(), EqualTo("new_password", "The two passwords differ.")],
        ),
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password, confirm = _new_password_fields()
    submit = SubmitField("Change password")


class ResetPasswordForm(FlaskForm):
    new_password, confirm = _new_password_fields()
    submit = SubmitField("Set my password")


class TimeZoneForm(FlaskForm):
    """The account page's time-zone choice; "" means the site's zone. The service checks the
    name against the zone database (the choices are only what the page offers)."""

    time_zone = SelectField("Time zone", validate_choice=False)
    submit = SubmitField("Save time zone")

    def validate_time_zone(self, field: SelectField) -> None:
        """The select always sends a value ("" for the site's zone); a post without it is
        not this form's, and must not clear the setting."""
        if not field.raw_data:
            raise ValidationError("Choose a time zone from the list.")
