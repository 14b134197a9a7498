"""Reading an uploaded text file: a size limit, UTF-8 (with or without a BOM), clear messages."""

from __future__ import annotations

from typing import Any

from quizapp.services.errors import InvalidInput

MEGABYTE = 1024 * 1024


def read_text_upload(upload: Any, max_bytes: int, default_name: str) -> tuple[str, str]:
    """(file name, text) of an uploaded file, or InvalidInput saying what is wrong with it."""
    filename = getattr(upload, "filename", None) or default_name
    raw = upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise InvalidInput(f"{filename}: the file is larger than {max_bytes // MEGABYTE} MB.")
    try:
        return filename, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{filename}: the file is not UTF-8 text (save it as UTF-8).") from exc
