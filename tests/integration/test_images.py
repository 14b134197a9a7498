"""Question images: upload (checked by content, size-limited, audited), serving by hash to
signed-in users only, and the alt-text rule for publishing."""

from __future__ import annotations

import hashlib
import re
from io import BytesIO

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AuditEvent, Image, QuestionStatus
from tests.image_data import tiny_png
from tests.integration.test_instructor import _create, _entry, instructor, single_form

__all__ = ["instructor"]  # the fixture, imported for these tests


def _upload(client, data: bytes, name: str = "pump.png", alt: str = "An infusion pump"):  # type: ignore[no-untyped-def]
    return client.post(
        "/author/images",
        data={"image": (BytesIO(data), name), "alt": alt},
        content_type="multipart/form-data",
    )


def test_upload_gives_the_snippet_stores_once_and_audits(app, client, instructor) -> None:
    png = tiny_png()
    digest = hashlib.sha256(png).hexdigest()
    page = _upload(client, png).data.decode()
    assert f'value="![An infusion pump](/media/{digest})"' in page
    assert "Image stored" in page
    again = _upload(client, png, name="other-name.png").data.decode()
    assert "already stored" in again
    with app.app_context():
        images = db.session.scalars(select(Image)).all()
        assert [(i.sha256, i.content_type, i.size, i.added_by_id) for i in images] == [
            (digest, "image/png", len(png), instructor)
        ]
        assert images[0].data == png
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "question.image_added")
        ).all()
        assert [(e.object_key, e.details["new"]) for e in events] == [
            (digest, True),
            (digest, False),
        ]


def test_the_question_form_offers_the_upload(client, instructor) -> None:
    page = client.get("/author/questions/new").data.decode()
    assert 'action="/author/images"' in page and 'enctype="multipart/form-data"' in page


def test_an_image_is_judged_by_its_bytes_and_its_size(app, client, instructor) -> None:
    fake = _upload(client, b"<svg onload=alert(1)></svg>", name="evil.png")
    assert fake.status_code == 422
    assert "evil.png: not a PNG, JPEG, GIF or WebP image" in fake.data.decode()
    app.config["IMAGE_MAX_BYTES"] = 50
    big = _upload(client, tiny_png() + b"\0" * 60, name="big.png")
    assert big.status_code == 422 and "big.png: the image is" in big.data.decode()
    with app.app_context():
        assert db.session.scalars(select(Image)).all() == []


def test_served_by_hash_with_its_type_nosniff_and_a_long_cache(
    app, client, auth, instructor
) -> None:
    png = tiny_png(7)
    _upload(client, png)
    digest = hashlib.sha256(png).hexdigest()
    response = client.get(f"/media/{digest}")
    assert response.status_code == 200 and response.data == png
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert client.get(f"/media/{'0' * 64}").status_code == 404
    assert client.get("/media/not-a-hash").status_code == 404
    auth.logout()
    signed_out = client.get(f"/media/{digest}")
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]


def test_a_question_with_an_image_without_alt_text_cannot_be_published(
    app, client, instructor
) -> None:
    png = tiny_png(3)
    _upload(client, png)
    url = f"/media/{hashlib.sha256(png).hexdigest()}"
    entry_id = _create(client, single_form(stem=f"Which pump is this?\n\n![]({url})"))
    client.post(f"/author/questions/{entry_id}/status", data={"status": "published"})
    assert _entry(app, entry_id)[2] is QuestionStatus.DRAFT
    page = client.get(f"/author/questions/{entry_id}").data.decode()
    assert f"The image {url} needs alt text" in page
    form = single_form(stem=f"Which pump is this?\n\n![A volumetric pump]({url})")
    form["choices-1-text"] = f"![]({url})"  # a choice's image needs alt text too
    client.post(f"/author/questions/{entry_id}/edit", data=form)
    client.post(f"/author/questions/{entry_id}/status", data={"status": "published"})
    assert _entry(app, entry_id)[2] is QuestionStatus.DRAFT
    form["choices-1-text"] = f"![Another pump]({url})"
    client.post(f"/author/questions/{entry_id}/edit", data=form)
    client.post(f"/author/questions/{entry_id}/status", data={"status": "published"})
    assert _entry(app, entry_id)[2] is QuestionStatus.PUBLISHED
    preview = client.get(f"/author/questions/{entry_id}/preview").data.decode()
    assert f'<img src="{url}" alt="A volumetric pump">' in preview


def test_an_image_not_in_the_store_blocks_publishing(app, client, instructor) -> None:
    missing = f"/media/{'1' * 64}"
    entry_id = _create(client, single_form(stem=f"Look: ![a pump]({missing})"))
    client.post(f"/author/questions/{entry_id}/status", data={"status": "published"})
    assert _entry(app, entry_id)[2] is QuestionStatus.DRAFT
    page = client.get(f"/author/questions/{entry_id}").data.decode()
    assert re.search(rf"The image {missing} is not in the image store", page)
