from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from quizapp.passwords import MAX_LENGTH, MIN_LENGTH


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])
    remember = BooleanField("Keep me signed in on this device")
    submit = SubmitField("Sign in")


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
