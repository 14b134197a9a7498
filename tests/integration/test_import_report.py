"""The import report: each question's status, --skip-invalid, categories and tags (CLI, web)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import QuestionEntry, Role
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.integration.quiz_helpers import load_small_bank
from tests.integration.snapshot import snapshot

DATA = Path(__file__).resolve().parent.parent / "data" / "import"
MIXED = DATA / "moodle_mixed.gift"  # valid at lines 4 and 17, ordering at 6, invalid at 12, 15
WEEK1 = "$course$/top/week1/quiz"


def _imported(app) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """The questions of the small bank's draft imports, by their stem."""
    with app.app_context():
        entries = db.session.scalars(select(QuestionEntry)).all()
        return {
            e.current.stem: {"topic": e.topic.key if e.topic else None, "tags": e.current.tags}
            for e in entries
            if e.current.change_note.startswith("Imported")
        }


def test_by_default_one_invalid_question_writes_nothing_and_names_each_line(
    app, runner, tmp_path
) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        before = snapshot()
    result = runner.invoke(args=["bank", "import", str(MIXED)])
    assert result.exit_code == 1
    assert f"{MIXED}:12: '{{' is not closed with '}}'" in result.output
    assert f"{MIXED}:15: topic: Unknown topic 'no/such-topic'." in result.output
    assert "Nothing was imported" in result.output
    with app.app_context():
        assert snapshot() == before


def test_skip_invalid_imports_the_valid_ones_and_lists_the_rest_by_line(
    app, runner, tmp_path
) -> None:
    load_small_bank(app, tmp_path)
    result = runner.invoke(args=["bank", "import", str(MIXED), "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert "Imported 2 question(s) as drafts" in result.output
    lines = result.output.splitlines()
    assert [line.split(":")[0].strip() for line in lines[1:6]] == [
        "line 4", "line 6", "line 12", "line 15", "line 17"
    ]  # fmt: skip
    assert "line 6: skipped: ordering 'Order': ordering questions are not supported" in lines[2]
    assert lines[3].startswith("  line 12: invalid: question 'Unclosed': ")
    assert lines[4].startswith("  line 15: invalid: true_false 'Unknown topic': topic: Unknown")
    assert set(_imported(app)) == {
        "Which route acts fastest?",
        "Name the complication of air entering a line.",
    }


def test_a_dry_run_lists_each_question_with_its_status_and_writes_nothing(
    app, runner, tmp_path
) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        before = snapshot()
    result = runner.invoke(args=["bank", "import", str(MIXED), "--dry-run"])
    assert result.exit_code == 1  # the import itself would write nothing
    assert "Would import 2 question(s) as drafts" in result.output
    assert "line 4: would import as draft: single q-0007 'Fastest' (no topic)" in result.output
    assert "line 6: skipped: ordering" in result.output
    assert "line 12: invalid:" in result.output and "line 15: invalid:" in result.output
    assert "2 question(s) are invalid: the import would write nothing" in result.output
    assert f"  {WEEK1} (2 question(s))" in result.output  # the readable ones without a topic
    skipping = runner.invoke(args=["bank", "import", str(MIXED), "--dry-run", "--skip-invalid"])
    assert skipping.exit_code == 0, skipping.output
    with app.app_context():
        assert snapshot() == before


def test_a_moodle_category_and_difficulty_tag_do_not_refuse_the_file(app, runner, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    result = runner.invoke(args=["bank", "import", str(DATA / "moodle_tags.xml")])
    assert result.exit_code == 0, result.output
    assert f"{WEEK1} (1 question(s))" in result.output
    (vein,) = _imported(app).values()
    # "difficulty:3" is exactly our field; the others are Moodle's own tags, kept as tags
    assert vein == {"topic": None, "tags": ["Difficulty: easy", "Topic: routes"]}
    with app.app_context():
        entry = db.session.scalar(select(QuestionEntry).order_by(QuestionEntry.id.desc()))
        assert entry.current.difficulty == 3


def test_a_category_mapped_on_the_command_line_gives_its_topic(app, runner, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    mapping = f"{WEEK1}=routes/intravenous"
    args = ["bank", "import", str(MIXED), "--skip-invalid", "--map", mapping]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "line 4: imported as draft: single" in result.output
    assert {q["topic"] for q in _imported(app).values()} == {"routes/intravenous"}
    bad = runner.invoke(args=["bank", "import", str(MIXED), "--map", "no-equals-sign"])
    assert bad.exit_code == 2 and "CATEGORY=TOPIC" in bad.output


def _post(client, data: bytes, **fields: str):  # type: ignore[no-untyped-def]
    form = {"file": (BytesIO(data), "moodle.gift"), "format": "auto", **fields}
    return client.post("/author/import", data=form, content_type="multipart/form-data")


def test_the_web_preview_maps_categories_and_imports_the_valid_ones(
    app, client, auth, tmp_path
) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    data = MIXED.read_bytes()
    preview = _post(client, data, dry_run="y")
    page = preview.data.decode()
    assert preview.status_code == 200 and "Dry run: would import 2 question(s)" in page
    assert "importing this file would write nothing" in page
    assert "<td>12</td>" in page and "<td>invalid</td>" in page and "<td>skipped</td>" in page
    assert f'name="category-0" value="{WEEK1}"' in page
    assert 'name="category_topic-0"' in page
    with app.app_context():
        before = snapshot()
    refused = _post(client, data)
    assert refused.status_code == 422 and b"moodle.gift:12:" in refused.data
    unknown = _post(client, data, **{"category-0": WEEK1, "category_topic-0": "no/such"})
    assert unknown.status_code == 422 and b"unknown topic" in unknown.data
    with app.app_context():
        assert snapshot() == before
    mapped = {"category-0": WEEK1, "category_topic-0": "routes/epidural", "skip_invalid": "y"}
    done = _post(client, data, **mapped)
    assert done.status_code == 200 and b"Imported 2 question(s)" in done.data
    assert b"routes/epidural</option>" in done.data  # the choice stays offered and selected
    assert {q["topic"] for q in _imported(app).values()} == {"routes/epidural"}


def test_names_and_categories_are_stored_shown_and_exported(app, client, auth, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    result = app.test_cli_runner().invoke(args=["bank", "import", str(MIXED), "--skip-invalid"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
        entry = db.session.scalar(select(QuestionEntry).where(QuestionEntry.name == "Fastest"))
        assert entry.source_category == WEEK1
        entry_id, uid = entry.id, entry.uid
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    listing = client.get("/author/questions?status=draft").data.decode()
    assert '<span class="question-name">Fastest</span>' in listing
    page = client.get(f"/author/questions/{entry_id}").data.decode()
    assert f"{uid}: Fastest" in page and WEEK1 in page
    gift = client.get("/author/export?format=gift&status=draft").data.decode()
    assert f"$CATEGORY: {WEEK1}\n" in gift and "::Fastest::Which route acts fastest?" in gift
    xml = client.get("/author/export?format=moodle-xml&status=draft").data.decode()
    assert "<name>\n      <text>Fastest</text>" in xml


def test_a_name_longer_than_moodle_allows_is_invalid_naming_the_field(
    app, runner, tmp_path
) -> None:
    load_small_bank(app, tmp_path)
    path = tmp_path / "long.gift"
    path.write_text(f"::{'n' * 256}::Which? {{=a ~b ~c}}\n")
    result = runner.invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 1 and f"{path}:1: name: at most 255 characters." in result.output


def test_a_moodle_xml_match_question_imports_as_matching(app, runner, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    path = tmp_path / "match.xml"
    path.write_text(
        '<quiz><question type="match"><name><text>Routes</text></name>'
        "<questiontext><text>Match each drug to its route.</text></questiontext>"
        + "".join(
            f"<subquestion><text>{p}</text><answer><text>{a}</text></answer></subquestion>"
            for p, a in [("Insulin", "SC"), ("Vaccine", "IM"), ("Blood", "IV"), ("", "IT")]
        )
        + "</question></quiz>"
    )
    result = runner.invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "line 1: imported as draft: matching" in result.output
    with app.app_context():
        entry = db.session.scalar(select(QuestionEntry).where(QuestionEntry.name == "Routes"))
        data = entry.current.data
    assert [p["answer"] for p in data["pairs"]] == ["SC", "IM", "IV"]
    assert data["distractors"] == ["IT"]
