"""The form for editing a case study's text exhibit."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from quizapp.bank.case_exhibits import TEXT_LIMIT


class ExhibitForm(FlaskForm):
    text = TextAreaField(
        "Exhibit text (Markdown: **bold**, lists, tables)",
        validators=[DataRequired(message="An exhibit needs some text."), Length(max=TEXT_LIMIT)],
    )
    save = SubmitField("Save as a new case version")
