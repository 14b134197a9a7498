"""What an uploaded or imported image is, from its bytes alone (pure: no Flask, no database).

Why magic bytes and not the file name or the browser's content type: both are chosen by the
sender. Only PNG, JPEG, GIF and WebP are recognised; anything else (SVG, which can carry
script, included) is refused.
"""

from __future__ import annotations

import hashlib

CONTENT_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


def sniff_content_type(data: bytes) -> str | None:
    """The content type that the first bytes prove, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def digest_of(data: bytes) -> str:
    """The SHA-256 of the bytes, in hex: the image's key and the last part of its URL."""
    return hashlib.sha256(data).hexdigest()


def file_name(digest: str, content_type: str) -> str:
    """The name an export gives the image, such as `<digest>.png`."""
    return f"{digest}.{CONTENT_TYPES.get(content_type, 'bin')}"
