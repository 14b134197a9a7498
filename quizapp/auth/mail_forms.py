"""Forms of the e-mail features: "Forgot password?" and the reminder choice."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SubmitField
from wtforms.validators import DataRequired, Length


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email",
        description="The address you sign in with.",
        validators=[DataRequired("Give the address you sign in with."), Length(max=254)],
    )
    submit = SubmitField("Send me a reset link")


class RemindersForm(FlaskForm):
    reminders = BooleanField("Send me reminders by e-mail (due dates, expiring competencies)")
    submit = SubmitField("Save reminders")
