"""Exclusion groups from the bank files reach the entries, and the quiz builder warns."""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, QuestionEntry, QuestionVersion, Role, Source, Topic, User
from quizapp.services.attempt_builder import start_practice
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.integration.bank_folder import make_bank

STEMS = {
    "gx-1": "Swelling and coolness at the site suggest infiltration.",
    "gx-2": "An infiltration shows as a cool, swollen arm above the cannula.",
    "gx-3": "Redness and warmth along the vein are signs of phlebitis.",
    "gx-4": "Pus draining from the insertion site points to an infection.",
    "gx-5": "Sudden breathlessness during an infusion may be an air embolism.",
    "gx-6": "Frothy sputum after fast fluids suggests circulatory overload.",
}


def item(uid: str, extra: str = "") -> str:
    return (
        f"  - id: {uid}\n"
        "    type: true_false\n"
        "    difficulty: 1\n"
        "    cites: [complications/intravenous]\n"
        f"    stem: {STEMS[uid]}\n"
        "    answer: true\n"
        "    rationale: Each is listed among the complications of IV therapy.\n"
        f"{extra}"
    )


FILE = "topic: complications/intravenous\nquestions:\n" + "".join(
    [
        item("gx-1", "    excludes: [gx-2]\n"),
        item("gx-2"),
        item("gx-3", "    family: site-signs\n"),
        item("gx-4", "    family: site-signs\n"),
        item("gx-5"),
        item("gx-6"),
    ]
)
FAMILIES = "families:\n  cross-file: [gx-5, gx-6]\nexcludes:\n  gx-6: [gx-1]\n"


def _bank(tmp_path: Path, families: str = FAMILIES, text: str = FILE) -> Path:
    bank = make_bank(tmp_path, {"complications/groups.yaml": text})
    (bank / "families.yaml").write_text(families)
    return bank


def _entries() -> dict[str, QuestionEntry]:
    return {e.uid: e for e in db.session.scalars(select(QuestionEntry))}


def test_load_stores_families_and_symmetric_excludes(app, tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    result = app.test_cli_runner().invoke(args=["bank", "load", str(bank)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        entries = _entries()
        assert entries["gx-1"].excludes == ["gx-2", "gx-6"]
        assert entries["gx-2"].excludes == ["gx-1"] and entries["gx-6"].excludes == ["gx-1"]
        assert entries["gx-3"].family == entries["gx-4"].family == "site-signs"
        assert entries["gx-5"].family == "cross-file" and entries["gx-2"].family is None
    # a change in families.yaml alone reaches the entries on re-load
    (bank / "families.yaml").write_text("families:\n  cross-file: [gx-5, gx-6]\n")
    result = app.test_cli_runner().invoke(args=["bank", "load", str(bank)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert _entries()["gx-6"].excludes is None and _entries()["gx-1"].excludes == ["gx-2"]


def test_check_refuses_unknown_ids_with_file_and_line(app, tmp_path: Path) -> None:
    text = FILE.replace("excludes: [gx-2]", "excludes: [gx-2, gx-99]")
    bank = _bank(tmp_path, "families:\n  cross-file: [gx-5, gx-77]\n", text)
    result = app.test_cli_runner().invoke(args=["bank", "check", str(bank)])
    assert result.exit_code == 1
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "gx-99" in t)
    assert f"groups.yaml:{line}: unknown question id 'gx-99' in 'excludes'" in result.output
    assert "families.yaml:2: unknown question id 'gx-77' in families 'cross-file'" in result.output


def test_an_overlong_family_is_refused_with_its_line(app, tmp_path: Path) -> None:
    text = FILE.replace("family: site-signs", "family: " + "a" * 101, 1)
    result = app.test_cli_runner().invoke(args=["bank", "check", str(_bank(tmp_path, text=text))])
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "a" * 101 in t)
    assert result.exit_code == 1
    assert f"groups.yaml:{line}: 'family' is longer than 100 characters" in result.output


def test_an_empty_cite_reason_is_refused(app, tmp_path: Path) -> None:
    bank = _bank(
        tmp_path, text=FILE.replace("    family: site-signs\n", "    cite_reason: ''\n", 1)
    )
    result = app.test_cli_runner().invoke(args=["bank", "check", str(bank)])
    assert result.exit_code == 1 and "'cite_reason' must not be empty" in result.output


def test_the_builder_warns_on_a_fixed_list_that_pairs_excluded_items(
    app, client, auth, tmp_path: Path
) -> None:
    assert app.test_cli_runner().invoke(args=["bank", "load", str(_bank(tmp_path))]).exit_code == 0
    with app.app_context():
        UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    form = {
        "title": "Site signs",
        "selection": "fixed",
        "fixed": "gx-1 gx-2 gx-3 gx-4 gx-5",
        "mode": "exam",
        "pass_mark": "80",
        "grading": "highest",
        "review_shows": "full",
        "review_when": "immediately",
    }
    page = client.post("/author/quizzes/new", data=form, follow_redirects=True).data.decode()
    assert "saved" in page  # a warning, not a refusal
    assert "gx-1 and gx-2 give each other away" in page
    assert "gx-3 and gx-4 are in one family (site-signs)" in page
    clean = client.post(
        "/author/quizzes/new", data={**form, "fixed": "gx-1 gx-3 gx-5"}, follow_redirects=True
    ).data.decode()
    assert "saved" in clean and "give each other away" not in clean


def test_a_source_header_change_alone_is_stored_on_reload(app, tmp_path: Path) -> None:
    """Issue 21's note: a re-load said "unchanged: 2 source(s)" of 3; the third was updated."""
    bank = make_bank(tmp_path)
    assert app.test_cli_runner().invoke(args=["bank", "load", str(bank)]).exit_code == 0
    path = bank / "sources" / "openrn-infusion.yaml"
    path.write_text(
        path.read_text().replace("coverage_minimums: enforced", "coverage_minimums: warning")
    )
    result = app.test_cli_runner().invoke(args=["bank", "load", str(bank)])
    assert result.exit_code == 0, result.output
    assert "source(s): openrn-infusion" in result.output, result.output
    with app.app_context():
        source = db.session.scalar(select(Source).where(Source.slug == "openrn-infusion"))
        assert source.coverage_minimums == "warning"


def test_forty_seeded_practice_attempts_never_hold_a_clashing_pair(app, tmp_path: Path) -> None:
    """Through the real builder: the stored groups reach the draw (seeded, so repeatable)."""
    assert app.test_cli_runner().invoke(args=["bank", "load", str(_bank(tmp_path))]).exit_code == 0
    clashing = [{"gx-1", "gx-2"}, {"gx-3", "gx-4"}, {"gx-5", "gx-6"}, {"gx-1", "gx-6"}]
    with app.app_context():
        user_id = UserFactory(email="nurse@ward.example").id
        topic = db.session.scalar(select(Topic.id).where(Topic.key == "complications/intravenous"))
        for seed in range(40):
            attempt = start_practice(
                db.session.get(User, user_id), [topic], 6, "exam", rng=random.Random(seed)
            )
            attempt = db.session.get(Attempt, attempt.id)
            uids = {
                db.session.get(QuestionVersion, item.version_id).entry.uid for item in attempt.items
            }
            assert len(uids) == 3 and not any(pair <= uids for pair in clashing), (seed, uids)
