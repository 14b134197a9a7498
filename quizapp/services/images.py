"""The image store: checking, storing and finding question images, and the alt-text rule.

`upload_image` is a unit of work (its own transaction and audit row); `add_image` joins the
caller's transaction (an import stores its files with its questions, all or nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import current_app
from sqlalchemy import select

from quizapp.database import unit_of_work
from quizapp.domain.images import CONTENT_TYPES, digest_of, sniff_content_type
from quizapp.domain.rich_text import IMAGE_URL, image_references, image_url
from quizapp.extensions import db
from quizapp.interchange.media import StoredImage, referenced_digests
from quizapp.interchange.model import PortableQuestion
from quizapp.models import Image
from quizapp.services import audit
from quizapp.services.errors import InvalidInput
from quizapp.uploads import size_text

KINDS = "PNG, JPEG, GIF or WebP"


def check_image(data: bytes, name: str) -> str:
    """The content type of an acceptable image, or InvalidInput naming the file."""
    most = current_app.config["IMAGE_MAX_BYTES"]
    if len(data) > most:
        raise InvalidInput(
            f"{name}: the image is {size_text(len(data))}; at most {size_text(most)}."
        )
    if not data:
        raise InvalidInput(f"{name}: the file is empty.")
    content_type = sniff_content_type(data)
    if content_type not in CONTENT_TYPES:
        raise InvalidInput(f"{name}: not a {KINDS} image (judged by its content, not its name).")
    return content_type


def add_image(data: bytes, name: str, actor_id: int | None) -> Image:
    """The stored image with these bytes, added if new (no commit: the caller's transaction)."""
    content_type = check_image(data, name)
    digest = digest_of(data)
    image = db.session.get(Image, digest)
    if image is None:
        image = Image(
            sha256=digest,
            content_type=content_type,
            size=len(data),
            data=data,
            added_by_id=actor_id,
        )
        db.session.add(image)
    return image


def upload_image(upload: Any, actor_id: int | None) -> tuple[str, bool]:
    """Store an uploaded file; (digest, new?). InvalidInput says what is wrong with it."""
    name = getattr(upload, "filename", None) or "upload"
    data = upload.read(current_app.config["IMAGE_MAX_BYTES"] + 1)
    with unit_of_work():
        new = db.session.get(Image, digest_of(data)) is None
        image = add_image(data, name, actor_id)
        audit.record(
            "question.image_added",
            actor_id=actor_id,
            object_type="image",
            object_key=image.sha256,
            name=name[:200],
            size=image.size,
            new=new,
        )
    return image.sha256, new


def store_files(files: Mapping[str, bytes], actor_id: int | None) -> list[str]:
    """Store the files an import carried, inside the import's transaction; problems found."""
    problems = []
    for digest, data in files.items():
        try:
            add_image(data, f"image {digest[:12]}", actor_id)
        except InvalidInput as exc:
            problems.append(str(exc))
    return problems


def stored_images(digests: Iterable[str]) -> dict[str, StoredImage]:
    """The bytes and types of these images, for an export that carries files."""
    return {d: StoredImage(i.content_type, i.data) for d, i in images_of(digests).items()}


def missing_images(questions: Iterable[PortableQuestion], files: Mapping[str, bytes]) -> list[str]:
    """Notes on store references that neither the store nor the import's files hold."""
    notes = []
    for q in questions:
        wanted = referenced_digests([q]) - set(files)
        for digest in sorted(wanted - set(images_of(wanted))):
            notes.append(
                f"line {q.line}: the image {image_url(digest)} is not in the store and did not "
                "come with the file; upload it before publishing"
            )
    return notes


def find_image(digest: str) -> Image | None:
    return db.session.get(Image, digest) if IMAGE_URL.fullmatch(image_url(digest)) else None


def images_of(digests: Iterable[str]) -> dict[str, Image]:
    wanted = set(digests)
    if not wanted:
        return {}
    return {i.sha256: i for i in db.session.scalars(select(Image).where(Image.sha256.in_(wanted)))}


def texts_of(stem: str, rationale: str, data: Any) -> list[tuple[str, str]]:
    """(field, text) of every text of a question: its stem, rationale and answer-data strings."""
    found = [("stem", stem), ("rationale", rationale)]
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            found.append((path, value))
        elif isinstance(value, dict):
            stack += [(f"{path}.{k}" if path else k, v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(f"{path}[{i}]", v) for i, v in enumerate(value)]
    return found


def image_problems(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Why the images of these texts keep a question from being published: missing alt text,
    a source outside our store, or an image that is not in it."""
    problems: list[tuple[str, str]] = []
    digests: dict[str, str] = {}
    for where, text in texts:
        for alt, src in image_references(text):
            match = IMAGE_URL.fullmatch(src)
            if match is None:
                problems.append((where, f"The image {src!r} is not in the image store."))
                continue
            digests.setdefault(match.group(1), where)
            if not alt.strip():
                problems.append((where, f"The image {src} needs alt text: ![what it shows]({src})"))
    stored = images_of(digests)
    for digest, where in digests.items():
        if digest not in stored:
            problems.append((where, f"The image {image_url(digest)} is not in the image store."))
    return problems
