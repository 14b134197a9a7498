"""The second source through `bank load` and the public source pages."""

from __future__ import annotations

import json
from pathlib import Path

from flask import url_for
from sqlalchemy import select

from quizapp.bank.specs import content_hash
from quizapp.extensions import db
from quizapp.models import QuestionEntry, Source, SourceSection
from tests.integration.bank_folder import make_bank
from tests.integration.quiz_helpers import trainee

PORTS = "openrn/central/accessing-ports"
CAUTION = "A power injection needs a power-rated port *and* a power-rated needle and set."
CITING_PORTS = """\
topic: devices/central-lines
questions:
  - id: port-001
    type: true_false
    difficulty: 1
    cites: [openrn/central/accessing-ports]
    stem: A port is reached with a noncoring needle.
    answer: true
    rationale: A noncoring needle protects the port's septum.
  - id: port-002
    type: true_false
    difficulty: 1
    cites: [openrn/central/dressing]
    stem: The nurse wears a mask for a CVAD dressing change.
    answer: true
    rationale: The checklist lists two masks, one for the nurse and one for the patient.
"""


def _load(app, bank: Path) -> str:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["bank", "load", str(bank)])
    assert result.exit_code == 0, result.output
    return result.output


def _ports_bank(tmp_path: Path) -> Path:
    return make_bank(tmp_path, {"devices/central-lines.yaml": CITING_PORTS})


def test_load_stores_licence_attribution_coverage_cautions_and_urls(app, tmp_path) -> None:
    _load(app, _ports_bank(tmp_path))
    with app.app_context():
        source = db.session.scalar(select(Source).where(Source.slug == "openrn-infusion"))
        assert source.licence == "CC BY 4.0"
        assert "Changes: the text has been condensed" in source.attribution
        assert source.coverage_minimums == "enforced"
        ports = db.session.scalar(select(SourceSection).where(SourceSection.key == PORTS))
        assert ports.coverage == "partial"
        assert ports.coverage_note.startswith("Preparation and equipment only")
        assert CAUTION.replace("*", "") in ports.cautions
        assert ports.source_urls[0].endswith("/4-6-checklist-access-an-implantable-port/")
        removal = db.session.scalar(
            select(SourceSection).where(SourceSection.key == "openrn/central/removal")
        )
        assert removal.coverage == "not-covered"
        own = db.session.scalar(select(Source).where(Source.slug == "bedside-calculations"))
        assert own.kind == "own"


def test_a_changed_caution_flags_the_questions_citing_the_section(app, tmp_path) -> None:
    bank = _ports_bank(tmp_path)
    _load(app, bank)
    outline = bank / "sources" / "openrn-infusion.yaml"
    text = outline.read_text()
    old = "commonly changed every 7 days, per policy."
    assert old in text
    outline.write_text(text.replace(old, "commonly changed every 5 days, per policy."))
    output = _load(app, bank)
    assert f"updated 1 section(s): {PORTS}" in output
    assert "flagged 1 question(s) for review" in output
    with app.app_context():
        flagged = db.session.scalars(
            select(QuestionEntry.uid).where(QuestionEntry.needs_review.is_(True))
        ).all()
    assert flagged == ["port-001"]  # port-002 cites another section


def test_a_changed_coverage_note_or_address_flags_nothing(app, tmp_path) -> None:
    bank = _ports_bank(tmp_path)
    _load(app, bank)
    outline = bank / "sources" / "openrn-infusion.yaml"
    text = outline.read_text()
    old = "Preparation and equipment only; the stored text stops before the needle is inserted."
    outline.write_text(text.replace(old, "Preparation and equipment only."))
    output = _load(app, bank)
    assert f"updated 1 section(s): {PORTS}" in output
    assert "flagged" not in output


def test_source_and_section_pages_show_the_attribution_coverage_and_cautions(
    app, client, auth, tmp_path
) -> None:
    _load(app, _ports_bank(tmp_path))
    _, email, password = trainee(app)
    auth.login(email, password)
    attribution = "Ernstmeyer K. &amp; Christman E. (Eds.), Chippewa Valley Technical College"
    with app.test_request_context():  # the link the rationale view builds for a citation
        link = url_for("sources.section", slug="openrn-infusion", key=PORTS)
    assert link == f"/sources/openrn-infusion/{PORTS}"
    section = client.get(link)
    assert section.status_code == 200  # the key's slashes route to the section
    page = section.data.decode()
    assert "Accessing an implanted port (noncoring needle)" in page
    assert attribution in page and "Licence: CC BY 4.0" in page
    assert "Coverage: partial" in page
    assert "Caution: current practice" in page
    assert "A power injection needs a power-rated port and a power-rated needle and set." in page
    assert 'href="https://wtcs.pressbooks.pub/nursingadvancedskills/chapter/4-6-' in page
    for path in ("/sources/openrn-infusion", "/sources/"):
        listing = client.get(path).data.decode()
        assert attribution in listing and "Licence: CC BY 4.0" in listing, path
        assert "Coverage: not covered" in listing, path
    thin = client.get("/sources/openrn-infusion/openrn/central/flushing-locking").data.decode()
    assert "Coverage: thin" in thin
    assert "Not covered by the source:" in thin and "push-pause technique" in thin
    # The first source has no licence or cautions, and shows none.
    first = client.get("/sources/infusion-therapy-2023/types/epidural").data.decode()
    assert "Licence:" not in first and "Caution: current practice" not in first
    assert client.get("/sources/openrn-infusion/openrn/central/nowhere").status_code == 404
    assert client.get("/sources/no-such-source").status_code == 404


def test_coverage_minimums_follow_the_marks_and_only_warn_when_so_set(app, tmp_path) -> None:
    bank = _ports_bank(tmp_path)
    runner = app.test_cli_runner()
    _load(app, bank)  # the shipped outline enforces its minimums
    result = runner.invoke(args=["bank", "coverage", "--source", "openrn-infusion"])
    assert result.exit_code == 1
    report = json.loads(
        runner.invoke(
            args=["bank", "coverage", "--source", "openrn-infusion", "--format", "json"]
        ).stdout
    )
    rows = {row["key"]: row for row in report["sections"]}
    assert rows[PORTS]["minimum"] == 3 and rows[PORTS]["published"] == 1
    under = [line for line in result.output.splitlines() if line.startswith("under minimum:")]
    assert PORTS in under[0]
    assert "openrn/central/removal" not in under[0]  # not covered: no minimum
    assert "openrn/central/flushing-locking" not in under[0]  # thin: no minimum

    outline = bank / "sources" / "openrn-infusion.yaml"
    text = outline.read_text()
    assert "coverage_minimums: enforced" in text
    outline.write_text(text.replace("coverage_minimums: enforced", "coverage_minimums: warning"))
    _load(app, bank)  # a changed header is stored on re-load
    warned = runner.invoke(args=["bank", "coverage", "--source", "openrn-infusion"])
    assert warned.exit_code == 0, warned.output
    assert "warning, under minimum (not enforced yet): openrn/basics/overview" in warned.output


def test_sections_loaded_before_the_new_fields_still_match_their_files(app, tmp_path) -> None:
    # A deployment that loaded the bank before migration 0009 holds loaded hashes made from
    # these fields only; the next load must see the unmarked sections as unchanged.
    _load(app, _ports_bank(tmp_path))
    with app.app_context():
        row = db.session.scalar(select(SourceSection).where(SourceSection.key == "types/epidural"))
        before_0009 = content_hash(
            {
                "heading": row.heading,
                "position": row.position,
                "kind": row.kind,
                "key_points": row.key_points,
                "erratum": row.erratum,
                "content_hash": row.content_hash,
            }
        )
        assert row.loaded_hash == before_0009
