"""Images beside a YAML or GIFT file: `media/<sha256>.<ext>` in the file's folder.

Why a folder: YAML and GIFT carry no files, only `![alt](/media/<sha256>)` references. An
export writes the images it refers to into `media/` beside the file; an import reads that
folder back, so a bank moves to another site with its images (Moodle XML carries them inside).
"""

from __future__ import annotations

import re
from pathlib import Path

from quizapp.domain.images import digest_of, file_name
from quizapp.services.images import stored_images

_REFERENCE = re.compile(r"/media/([0-9a-f]{64})")
_FILE = re.compile(r"[0-9a-f]{64}\.(png|jpg|gif|webp)")


def media_folder(path: Path) -> Path:
    return path.parent / "media"


def write_media(text: str, output: Path) -> int:
    """Write the images `text` refers to beside `output`; how many."""
    images = stored_images(set(_REFERENCE.findall(text)))
    if not images:
        return 0
    folder = media_folder(output)
    folder.mkdir(exist_ok=True)
    for digest, image in images.items():
        (folder / file_name(digest, image.content_type)).write_bytes(image.data)
    return len(images)


def read_media(path: Path, max_bytes: int) -> dict[str, bytes]:
    """The images in `media/` beside `path`, by the hash of their bytes (names are not
    trusted: a file whose bytes do not match its name is read under its real hash)."""
    folder = media_folder(path)
    if not folder.is_dir():
        return {}
    files = {}
    for item in sorted(folder.iterdir()):
        if item.is_file() and _FILE.fullmatch(item.name) and item.stat().st_size <= max_bytes:
            data = item.read_bytes()
            files[digest_of(data)] = data
    return files
