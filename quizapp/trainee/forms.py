from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectMultipleField
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.domain.selection import MAX_LENGTH, MIN_LENGTH
from quizapp.form_choices import SelectChoice


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PracticeForm(FlaskForm):
    topics = MultiCheckboxField(
        "Topics", coerce=int, validators=[InputRequired("Choose at least one topic.")]
    )
    length = IntegerField(
        "Number of questions",
        default=10,
        validators=[
            InputRequired("Say how many questions."),
            NumberRange(MIN_LENGTH, MAX_LENGTH, f"Choose from {MIN_LENGTH} to {MAX_LENGTH}."),
        ],
    )
    mode = RadioField(
        "Mode",
        default="tutor",
        choices=[
            SelectChoice("tutor", "Tutor: see the answer and why after each question"),
            SelectChoice("exam", "Exam: all feedback at the end"),
        ],
        validators=[InputRequired("Choose a mode.")],
    )
    token = HiddenField()
