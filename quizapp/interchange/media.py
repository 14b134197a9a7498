"""Images in import and export (pure: the service stores and loads the bytes).

Moodle XML carries an image as a `<file name="x.png" path="/" encoding="base64">` inside the
text element that shows it, referred to as `@@PLUGINFILE@@/x.png`. On import the reference
becomes `/media/<sha256>` (the hash of the bytes is all the store needs) and the bytes are
returned as data; on export the Markdown is written as HTML and the file goes back beside it.
GIFT and YAML carry no files: their image references travel as text.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote

from quizapp.domain.images import digest_of, file_name, sniff_content_type
from quizapp.domain.rich_text import IMAGE_URL, image_references, image_url, render_block
from quizapp.interchange.model import InterchangeSyntaxError, PortableQuestion

PLUGINFILE = "@@PLUGINFILE@@"
_PLUGIN_URL = re.compile(r"@@PLUGINFILE@@/([^\"'\s)<>]+)")
_STORE_SRC = re.compile(r'src="/media/([0-9a-f]{64})"')


@dataclass(frozen=True)
class StoredImage:
    """An image's bytes and type, as the export needs them."""

    content_type: str
    data: bytes


def attach_files(
    question: ET.Element, lines: Mapping[ET.Element, int], files: dict[str, bytes]
) -> list[str]:
    """Point every `@@PLUGINFILE@@/name` of an image inside `question` at the image store,
    adding the bytes to `files` (by hash); notes on attachments that are not images."""
    notes = []
    for element in question.iter():
        text = element.find("text")
        attached = element.findall("file")
        if text is None or not attached or not text.text:
            continue
        for file in attached:
            name = (file.get("name") or "").strip()
            line = lines.get(file, lines.get(question, 1))
            data = _decode(file, name, line)
            if sniff_content_type(data) is None:
                notes.append(f"line {line}: the attachment {name!r} is not an image; dropped")
                continue
            digest = digest_of(data)
            files[digest] = data
            text.text = _point_at_store(text.text, file.get("path") or "/", name, digest)
    return notes


def _decode(file: ET.Element, name: str, line: int) -> bytes:
    if (file.get("encoding") or "base64").lower() != "base64":
        raise InterchangeSyntaxError(line, f"the file {name!r} is not base64-encoded")
    try:
        return base64.b64decode("".join((file.text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise InterchangeSyntaxError(line, f"the file {name!r} is not valid base64") from None


def _point_at_store(html: str, path: str, name: str, digest: str) -> str:
    wanted = (path.strip("/") + "/" + name).strip("/")

    def swap(match: re.Match[str]) -> str:
        found = unquote(match.group(1)).strip("/")
        return image_url(digest) if found == wanted else match.group(0)

    return _PLUGIN_URL.sub(swap, html)


def image_notes(questions: Iterable[PortableQuestion], carries_files: bool) -> list[str]:
    """What the import could not keep of each question's images, by line."""
    notes = []
    why = "the file did not include it" if carries_files else "this format carries no files"
    for q in questions:
        for text in [q.stem, q.rationale, *strings_in(q.data)]:
            for _, src in image_references(text):
                if not IMAGE_URL.fullmatch(src):
                    notes.append(
                        f"line {q.line}: the image {src!r} was not imported ({why}); "
                        "upload it and replace the reference before publishing"
                    )
    return notes


def referenced_digests(questions: Iterable[PortableQuestion]) -> set[str]:
    """The store hashes that any text of `questions` shows."""
    found = set()
    for q in questions:
        for text in [q.stem, q.rationale, *strings_in(q.data)]:
            for _, src in image_references(text):
                if match := IMAGE_URL.fullmatch(src):
                    found.add(match.group(1))
    return found


def is_plain(text: str) -> bool:
    """Whether the text shows as itself (no Markdown in it): it is written as plain text."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    plain = "\n".join(f"<p>{_escape(p)}</p>" for p in paragraphs)
    return render_block(text) == plain


def html_with_files(
    text: str, images: Mapping[str, StoredImage], add: Callable[..., ET.Element]
) -> tuple[str, Callable[[ET.Element], None]]:
    """The HTML for `text` with our images as `@@PLUGINFILE@@/<name>`, and a function that
    adds their <file> elements to the text's element."""
    html = render_block(text)
    used: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        digest = match.group(1)
        image = images.get(digest)
        if image is None:
            return match.group(0)
        used[digest] = file_name(digest, image.content_type)
        return f'src="{PLUGINFILE}/{quote(used[digest])}"'

    html = _STORE_SRC.sub(swap, html)

    def add_files(element: ET.Element) -> None:
        for digest, name in used.items():
            data = base64.b64encode(images[digest].data).decode("ascii")
            add(element, "file", data, name=name, path="/", encoding="base64")

    return html, add_files


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def strings_in(value: object) -> list[str]:
    """Every string inside nested answer data (choices, pairs, answers, feedback)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []
