"""The question form's fields for matrix, cloze and ordering (a mixin of QuestionForm).

Why structured text boxes: a grid or a set of drop-downs is quicker to type as lines than as
rows of inputs, and every problem can still be shown beside its box (type_forms_ngn_grid.py).
"""

from __future__ import annotations

from wtforms import RadioField, TextAreaField
from wtforms.validators import Length, Optional

from quizapp.form_choices import SelectChoice


class NgnGridFields:
    matrix_mode = RadioField(
        "Each row takes",
        choices=[
            SelectChoice("single", "One column (multiple-choice grid)"),
            SelectChoice("multiple", "Any columns (multiple-response grid)"),
        ],
        default="single",
        validators=[Optional()],
    )
    matrix_columns = TextAreaField(
        "Columns (2 to 5, one per line)", validators=[Optional(), Length(max=1000)]
    )
    matrix_rows = TextAreaField(
        "Rows (3 to 8, one per line): text | correct column(s), separated by ; | feedback",
        validators=[Optional(), Length(max=8000)],
    )
    cloze_text = TextAreaField(
        "Text, with each drop-down's place as {{1}}, {{2}} ...",
        validators=[Optional(), Length(max=4000)],
    )
    cloze_blanks = TextAreaField(
        "Drop-downs (one per line): place | 3 to 5 options, separated by ; | correct option",
        validators=[Optional(), Length(max=8000)],
    )
    ordering_steps = TextAreaField(
        "Steps in the right order (3 to 7, one per line; trainees see them shuffled)",
        validators=[Optional(), Length(max=4000)],
    )
