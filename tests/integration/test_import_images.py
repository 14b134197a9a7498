"""Images and formatted text through import and export (issue 14, item 3).

Must show: a Moodle XML question with an embedded PNG imports, the image is served to a
trainee taking it, and exporting writes the file back.
"""

from __future__ import annotations

import base64
import hashlib
import re
from io import BytesIO

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.interchange.moodle_xml import parse_moodle_xml
from quizapp.models import AuditEvent, Image, QuestionEntry, QuestionStatus, Role
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.image_data import tiny_png
from tests.integration.quiz_helpers import load_small_bank, start_practice, topic_id, trainee

PNG = tiny_png(9)
DIGEST = hashlib.sha256(PNG).hexdigest()


STEM_HTML = (
    '<p>Look at the <b>site</b>:</p><p><img src="@@PLUGINFILE@@/site%20photo.png" alt="{alt}"'
    ' width="200"></p><ul><li>red</li><li>warm</li></ul>'
)


def moodle_xml(png: bytes = PNG, alt: str = "A red, swollen cannula site") -> str:
    encoded = base64.b64encode(png).decode()
    stem = STEM_HTML.format(alt=alt)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Site check</text></name>
    <questiontext format="html">
      <text><![CDATA[{stem}]]></text>
      <file name="site photo.png" path="/" encoding="base64">{encoded}</file>
    </questiontext>
    <generalfeedback format="html"><text>Phlebitis: stop the infusion.</text></generalfeedback>
    <idnumber>img-1</idnumber>
    <single>true</single>
    <answer fraction="100" format="html"><text>Phlebitis</text></answer>
    <answer fraction="0" format="html"><text>Infiltration</text></answer>
    <answer fraction="0" format="html"><text>Air embolism</text></answer>
  </question>
</quiz>
"""


def _import(client, text: str, name: str = "images.xml", dry_run: bool = False):  # type: ignore[no-untyped-def]
    data = {
        "file": (BytesIO(text.encode()), name),
        "format": "auto",
        "topic": "routes/intravenous",
        "section": "types/intravenous",
    }
    if dry_run:
        data["dry_run"] = "y"
    return client.post("/author/import", data=data, content_type="multipart/form-data")


def test_embedded_png_imports_is_served_to_a_trainee_and_exports_back(
    app, client, auth, tmp_path
) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    assert b"Dry run: would import 1 question" in _import(client, moodle_xml(), dry_run=True).data
    with app.app_context():
        assert db.session.scalars(select(Image)).all() == []  # a dry run stores nothing
    assert b"Imported 1 question" in _import(client, moodle_xml()).data
    with app.app_context():
        entry = db.session.scalar(select(QuestionEntry).where(QuestionEntry.uid == "img-1"))
        entry_id, stem = entry.id, entry.current.stem
        image = db.session.get(Image, DIGEST)
        assert image is not None and image.data == PNG and image.content_type == "image/png"
    assert stem == (
        f"Look at the **site**:\n\n![A red, swollen cannula site](/media/{DIGEST})\n\n- red\n- warm"
    )
    client.post(f"/author/questions/{entry_id}/status", data={"status": "published"})
    with app.app_context():
        assert db.session.get(QuestionEntry, entry_id).status is QuestionStatus.PUBLISHED

    exported = client.get("/author/export?format=moodle-xml&topic=routes/intravenous")
    text = exported.data.decode()
    name = f"{DIGEST}.png"
    assert f'<file name="{name}" path="/" encoding="base64">' in text
    assert base64.b64encode(PNG).decode() in text
    assert f"@@PLUGINFILE@@/{name}" in text
    again = {q.uid: q for q in parse_moodle_xml(text).questions}
    assert again["img-1"].stem == stem  # the export reads back as the same Markdown
    assert DIGEST in parse_moodle_xml(text).files

    auth.logout()
    _, email, password = trainee(app)
    auth.login(email, password)
    attempt_id = start_practice(client, [topic_id(app, "routes/intravenous")], 20, "tutor")
    pages = [client.get(f"/attempts/{attempt_id}/q/{n}").data.decode() for n in range(1, 21)]
    page = next(p for p in pages if "cannula site" in p)
    assert f'<img src="/media/{DIGEST}" alt="A red, swollen cannula site">' in page
    assert "<li>red</li>" in page and "<strong>site</strong>" in page
    served = client.get(f"/media/{DIGEST}")
    assert served.status_code == 200 and served.data == PNG
    assert served.headers["Content-Type"] == "image/png"


def test_an_attachment_that_is_not_an_image_is_refused_or_noted(
    app, client, auth, tmp_path
) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    fake = _import(client, moodle_xml(png=b"%PDF-1.4 not an image"))
    page = fake.data.decode()
    assert "the attachment &#39;site photo.png&#39; is not an image; dropped" in page
    assert "was not imported (the file did not include it)" in page
    with app.app_context():
        assert db.session.scalars(select(Image)).all() == []
        events = db.session.scalars(select(AuditEvent.action)).all()
    assert "bank.imported" in events


def test_a_too_large_image_imports_nothing(app, client, auth, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    app.config["IMAGE_MAX_BYTES"] = 40
    with app.app_context():
        UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    response = _import(client, moodle_xml(png=PNG + b"\0" * 100))
    assert response.status_code == 422 and b"Nothing was imported" in response.data
    assert re.search(rb"images.xml: image [0-9a-f]{12}: the image is", response.data)
    with app.app_context():
        assert db.session.scalar(select(QuestionEntry).where(QuestionEntry.uid == "img-1")) is None


def test_gift_html_image_is_kept_as_a_reference_and_reported(app, client, auth, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    gift = (
        '::G::[html]<p>Which pump?</p><img src="pump.png" alt="A pump">'
        " {=Volumetric ~Syringe ~Elastomeric}\n"
    )
    page = _import(client, gift, name="pump.gift").data.decode()
    assert "Imported 1 question" in page
    assert (
        "line 1: the image &#39;pump.png&#39; was not imported (this format carries no files)"
        in page
    )
    with app.app_context():
        entry = db.session.scalar(select(QuestionEntry).order_by(QuestionEntry.id.desc()))
        assert entry.current.stem == "Which pump?\n\n![A pump](pump.png)"
        entry_id = entry.id
    client.post(f"/author/questions/{entry_id}/status", data={"status": "published"})
    with app.app_context():
        assert db.session.get(QuestionEntry, entry_id).status is QuestionStatus.DRAFT


def test_yaml_export_writes_the_images_beside_it_and_import_reads_them(
    app, runner, tmp_path
) -> None:
    from flask_migrate import upgrade

    from tests.conftest import PROJECT_ROOT, make_app

    load_small_bank(app, tmp_path)
    source = tmp_path / "with-image.xml"
    source.write_text(moodle_xml())
    imported = runner.invoke(args=["bank", "import", str(source), "--topic", "routes/intravenous"])
    assert imported.exit_code == 0, imported.output
    out_dir = tmp_path / "export"
    out_dir.mkdir()
    out = out_dir / "bank.yaml"
    result = runner.invoke(args=["bank", "export", "--format", "yaml", "-o", str(out)])
    assert result.exit_code == 0 and "Wrote 1 image(s)" in result.output, result.output
    assert (out_dir / "media" / f"{DIGEST}.png").read_bytes() == PNG
    assert f"/media/{DIGEST}" in out.read_text()

    fresh = make_app(f"sqlite:///{tmp_path / 'fresh.db'}")
    with fresh.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    load_small_bank(fresh, tmp_path / "fresh-bank")
    (out_dir / "media" / "notes.txt").write_text("ignored: not an image name")
    again = fresh.test_cli_runner().invoke(args=["bank", "import", str(out)])
    assert again.exit_code == 0, again.output
    assert "not in the store" not in again.output
    with fresh.app_context():
        image = db.session.get(Image, DIGEST)
        assert image is not None and image.data == PNG
        db.engine.dispose()
    (out_dir / "media" / f"{DIGEST}.png").unlink()
    other = make_app(f"sqlite:///{tmp_path / 'other.db'}")
    with other.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    load_small_bank(other, tmp_path / "other-bank")
    without = other.test_cli_runner().invoke(args=["bank", "import", str(out)])
    assert without.exit_code == 0, without.output
    assert f"the image /media/{DIGEST} is not in the store and did not come" in without.output
    with other.app_context():
        db.engine.dispose()
