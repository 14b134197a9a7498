"""Instructor forms. The question form carries every type's fields; CSS shows the ones for the
chosen type, and the server validates with the type's own rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from quizapp.domain.types import REGISTRY
from quizapp.domain.types.grades import POSITIVE_GRADES, VALID_GRADES, percent_text
from quizapp.form_choices import SelectChoice
from quizapp.instructor.ngn_grid_fields import NgnGridFields
from quizapp.services.quizzes import TUTOR_NEVER

TYPE_CHOICES = [SelectChoice(name, qtype.label) for name, qtype in REGISTRY.items()]


def _grades(grades: tuple[float, ...], default: str) -> list[SelectChoice]:
    """Moodle's grades as select options; the first option leaves the grade out."""
    return [SelectChoice("", default)] + [SelectChoice(percent_text(g), f"{g:g}%") for g in grades]


class ChoiceRow(Form):
    text = StringField("Choice", validators=[Optional(), Length(max=500)])
    correct = BooleanField("Correct")
    fraction = SelectField(
        "Grade", choices=_grades(VALID_GRADES, "by the tick (100% / 0%)"), validators=[Optional()]
    )
    feedback = StringField("Feedback for this choice", validators=[Optional(), Length(max=1000)])
    remove = BooleanField("Remove")


class PairRow(Form):
    prompt = StringField("Item", validators=[Optional(), Length(max=300)])
    answer = StringField("Its match", validators=[Optional(), Length(max=300)])
    feedback = StringField("Feedback", validators=[Optional(), Length(max=1000)])
    remove = BooleanField("Remove")


class AnswerRow(Form):
    """A short answer beyond those accepted at 100%, with its own grade and feedback."""

    text = StringField("Answer (* matches anything)", validators=[Optional(), Length(max=500)])
    fraction = SelectField(
        "Grade", choices=_grades((*POSITIVE_GRADES, 0.0), "100%"), validators=[Optional()]
    )
    feedback = StringField("Feedback for this answer", validators=[Optional(), Length(max=1000)])


class NumericAnswerRow(Form):
    """A numeric answer beyond the correct value: partial credit or feedback for a near miss."""

    value = FloatField("Value", validators=[Optional()])
    tolerance = FloatField("Tolerance (±)", validators=[Optional(), NumberRange(min=0)])
    fraction = SelectField(
        "Grade", choices=_grades((*POSITIVE_GRADES, 0.0), "100%"), validators=[Optional()]
    )
    feedback = StringField("Feedback for this answer", validators=[Optional(), Length(max=1000)])


class UnitRow(Form):
    """Another accepted unit: value_in_unit = value * multiplier (L/h is 0.001 of mL/h)."""

    unit = StringField("Unit", validators=[Optional(), Length(max=30)])
    multiplier = FloatField("Multiplier", validators=[Optional()])


class QuestionForm(NgnGridFields, FlaskForm):
    type = SelectField("Question type", choices=TYPE_CHOICES, validators=[InputRequired()])
    stem = TextAreaField(
        "Question (stem)", validators=[DataRequired("Write the question."), Length(max=4000)]
    )
    choices = FieldList(FormField(ChoiceRow), min_entries=4, max_entries=8)
    pairs = FieldList(FormField(PairRow), min_entries=4, max_entries=10)
    distractors = TextAreaField(
        "Extra answers that match nothing (one per line)", validators=[Optional()]
    )
    tf_answer = RadioField(
        "The statement is",
        choices=[SelectChoice("true", "True"), SelectChoice("false", "False")],
        validators=[Optional()],
    )
    feedback_true = StringField("Feedback when the trainee answers True", validators=[Optional()])
    feedback_false = StringField("Feedback when the trainee answers False", validators=[Optional()])
    value = FloatField("Correct value", validators=[Optional()])
    tolerance = FloatField("Tolerance (±)", default=0, validators=[Optional(), NumberRange(min=0)])
    unit = StringField("Unit (optional)", validators=[Optional(), Length(max=30)])
    numeric_answers = FieldList(FormField(NumericAnswerRow), min_entries=2, max_entries=20)
    numeric_units = FieldList(FormField(UnitRow), min_entries=2, max_entries=20)
    numeric_answers = FieldList(FormField(NumericAnswerRow), min_entries=2, max_entries=20)
    numeric_units = FieldList(FormField(UnitRow), min_entries=2, max_entries=20)
    accepted = TextAreaField("Accepted answers (one per line)", validators=[Optional()])
    answers = FieldList(FormField(AnswerRow), min_entries=3, max_entries=20)
    case_sensitive = BooleanField("Case matters (NaCl is not nacl)")
    rationale = TextAreaField(
        "Rationale: why the answer is right and the others wrong", validators=[Length(max=6000)]
    )
    topic = SelectField("Topic", validators=[Optional()])
    cites = SelectMultipleField("Cited source sections", validators=[Optional()])
    difficulty = SelectField(
        "Difficulty",
        choices=[
            SelectChoice("1", "1 · recall"),
            SelectChoice("2", "2 · understanding"),
            SelectChoice("3", "3 · application"),
        ],
        default="2",
    )
    tags = StringField("Tags (comma-separated)", validators=[Optional(), Length(max=300)])
    note = StringField(
        "What changed (for the version history)", validators=[Optional(), Length(max=300)]
    )
    save = SubmitField("Save")
    add_choice = SubmitField("Add a choice")
    add_pair = SubmitField("Add a pair")


class CheckAnswerForm(FlaskForm):
    """Preview's "check my answer": the answer fields themselves are read from the request."""


class StatusForm(FlaskForm):
    pass


class BulkForm(FlaskForm):
    """What to do with the ticked questions (their ids are read as a list, with a limit)."""

    action = SelectField(
        "With the ticked questions",
        choices=[
            SelectChoice("confirm", "Confirm still correct (clear needs review)"),
            SelectChoice("publish", "Publish"),
            SelectChoice("retire", "Retire"),
            SelectChoice("add_tag", "Add the tag"),
            SelectChoice("remove_tag", "Remove the tag"),
        ],
    )
    tag = StringField("Tag (to add or remove)", validators=[Optional(), Length(max=50)])


class SectionForm(FlaskForm):
    heading = StringField("Heading", validators=[DataRequired(), Length(max=300)])
    key_points = TextAreaField(
        "Key points, in our own words (one per line)", validators=[DataRequired()]
    )
    erratum = TextAreaField(
        "Erratum (what the source gets wrong, and what is right)", validators=[Optional()]
    )
    save = SubmitField("Save section")


class SourceForm(FlaskForm):
    title = StringField("Title", validators=[Optional(), Length(max=300)])
    slug = StringField("Short name (slug)", validators=[Optional(), Length(max=100)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=200)])
    year = IntegerField("Year", validators=[Optional(), NumberRange(1800, 2200)])
    url = StringField("URL", validators=[Optional(), Length(max=500)])
    revision = StringField("Revision", validators=[Optional(), Length(max=100)])
    markdown = FileField("Or import a Markdown file (its headings become sections)")
    save = SubmitField("Add source")


class QuizSettingsForm(FlaskForm):
    """A quiz's settings and selection, as the builder and the edit page show them. The
    per-topic counts and picked questions are read by quiz_selection.read_selection."""

    title = StringField(
        "Title", validators=[DataRequired("Give the quiz a title."), Length(max=200)]
    )
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    selection = RadioField(
        "How the questions are chosen",
        choices=[
            SelectChoice("per_topic", "Random from topics"),
            SelectChoice("fixed", "A fixed list"),
        ],
        default="per_topic",
    )
    search = StringField(
        "Find published questions by words or id", validators=[Optional(), Length(max=200)]
    )
    find = SubmitField("Search")
    fixed = TextAreaField(
        "Or type question ids (one per line, or separated by spaces)",
        validators=[Optional(), Length(max=8000)],
    )
    mode = RadioField(
        "Mode",
        choices=[
            SelectChoice("exam", "Exam (feedback at the end)"),
            SelectChoice("tutor", "Tutor (feedback after each answer)"),
        ],
        default="exam",
    )
    time_limit_minutes = IntegerField(
        "Time limit in minutes (empty: none)", validators=[Optional(), NumberRange(1, 600)]
    )
    pass_mark = FloatField(
        "Pass mark (%)", default=80, validators=[InputRequired(), NumberRange(0, 100)]
    )
    attempts_allowed = IntegerField(
        "Attempts allowed (empty: unlimited)", validators=[Optional(), NumberRange(1, 100)]
    )
    grading = SelectField(
        "Grade by",
        choices=[SelectChoice("highest", "Highest attempt"), SelectChoice("last", "Last attempt")],
    )
    review_shows = SelectField(
        "Review shows",
        choices=[
            SelectChoice("full", "Answers, feedback, rationale and sources"),
            SelectChoice("answers", "Answers only"),
            SelectChoice("score", "Score only"),
        ],
    )
    review_when = SelectField(
        "Review available",
        choices=[
            SelectChoice("immediately", "Immediately"),
            SelectChoice("after_close", "After the quiz closes"),
            SelectChoice("never", "Never"),
        ],
    )
    open_at = DateTimeLocalField("Opens (UTC)", validators=[Optional()])
    close_at = DateTimeLocalField("Closes (UTC)", validators=[Optional()])
    is_competency = BooleanField("This quiz is a competency check")
    reminders = BooleanField("E-mail reminders (due soon, overdue, expiring)", default=True)
    validity_months = IntegerField(
        "Competency valid for (months)", default=12, validators=[Optional(), NumberRange(1, 120)]
    )
    save = SubmitField("Save quiz")

    def validate_review_when(self, field: SelectField) -> None:
        """Tutor mode shows each answer as soon as it is given, which review "never" forbids."""
        if field.data == "never" and self.mode.data == "tutor":
            raise ValidationError(TUTOR_NEVER)

    def validate_close_at(self, field: DateTimeLocalField) -> None:
        if field.data and self.open_at.data and field.data <= self.open_at.data:
            raise ValidationError("The quiz must close after it opens.")


class QuizForm(QuizSettingsForm):
    """The builder: settings, selection and the first assignment."""

    units = SelectMultipleField("Assign to units", coerce=int, validators=[Optional()])
    due_at = DateTimeLocalField("Due (UTC)", validators=[Optional()])


class ReopenForm(FlaskForm):
    close_at = DateTimeLocalField("New close date (empty: stays open)", validators=[Optional()])


class ConfirmForm(FlaskForm):
    """A destructive step's confirmation: the confirm page posts confirm=yes."""

    confirm = HiddenField(validators=[AnyOf(["yes"], message="Confirm on the page first.")])


class ImportForm(FlaskForm):
    file = FileField("File", validators=[FileRequired("Choose a file to import.")])
    format = SelectField(
        "Format",
        choices=[
            SelectChoice("auto", "Detect from the file name"),
            SelectChoice("yaml", "YAML (this project)"),
            SelectChoice("gift", "GIFT (Moodle)"),
            SelectChoice("moodle-xml", "Moodle XML"),
        ],
    )
    topic = SelectField("Topic for questions without one", validators=[Optional()])
    section = SelectField("Section to cite for questions without one", validators=[Optional()])
    dry_run = BooleanField(
        "Dry run: list each question and its status, import nothing", default=True
    )
    skip_invalid = BooleanField(
        "Import the valid questions and list the rest "
        "(otherwise one invalid question imports nothing)"
    )
    submit = SubmitField("Import")


class ImageForm(FlaskForm):
    """An image for question text; the page answers with the Markdown snippet to paste."""

    image = FileField(
        "Image (PNG, JPEG, GIF or WebP)", validators=[FileRequired("Choose an image.")]
    )
    alt = StringField(
        "What the image shows (alt text, required before publishing)",
        validators=[Optional(), Length(max=300)],
    )
    upload = SubmitField("Upload image")
