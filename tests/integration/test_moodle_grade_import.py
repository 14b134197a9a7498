"""Issue 14's "must show" for answer grades, through `flask bank import` into the database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from quizapp.domain.types import get_type
from quizapp.extensions import db
from quizapp.models import QuestionVersion
from tests.integration.quiz_helpers import load_small_bank
from tests.integration.snapshot import snapshot

DATA = Path(__file__).resolve().parents[1] / "data" / "moodle"


def test_gift_with_grades_and_no_units_imports_and_grades(app, runner, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    result = runner.invoke(args=["bank", "import", str(DATA / "grades.gift"), "--format", "gift"])
    assert result.exit_code == 0 and "Imported 6 question(s)" in result.output, result.output
    with app.app_context():
        versions = db.session.scalars(select(QuestionVersion)).all()
        half = next(v for v in versions if v.stem.startswith("Which dressing"))
        assert get_type(half.type).grade(half.data, "b") == 0.5
        no_unit = next(v for v in versions if v.stem.startswith("How many tablets"))
        assert no_unit.data["units"] == [] and get_type("numeric").grade(no_unit.data, "2") == 1


def test_a_grade_outside_moodles_list_refuses_the_file_naming_its_line(app, runner, tmp_path):  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    with app.app_context():
        before = snapshot()
    result = runner.invoke(args=["bank", "import", str(DATA / "bad_grade.gift")])
    assert result.exit_code == 1
    assert "bad_grade.gift:3: answer weight -37% is not one of Moodle's grades" in result.output
    with app.app_context():
        assert snapshot() == before
