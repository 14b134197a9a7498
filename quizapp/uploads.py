"""Reading an uploaded text file: a size limit, UTF-8 (with or without a BOM), clear messages."""

from __future__ import annotations

from typing import Any

from quizapp.services.errors import InvalidInput

MEGABYTE = 1024 * 1024


def size_text(size: int) -> str:
    """A byte count as people read it: "2 MB", "1.5 MB", "256 KB"."""
    if size >= MEGABYTE:
        return f"{size / MEGABYTE:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


def read_text_upload(upload: Any, max_bytes: int, default_name: str) -> tuple[str, str]:
    """(file name, text) of an uploaded file, or InvalidInput saying what is wrong with it."""
    filename = getattr(upload, "filename", None) or default_name
    raw = upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise InvalidInput(f"{filename}: the file is larger than {size_text(max_bytes)}.")
    try:
        return filename, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{filename}: the file is not UTF-8 text (save it as UTF-8).") from exc
