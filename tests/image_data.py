"""Small real image files for tests, made here (no binary test files in the repository)."""

from __future__ import annotations

import struct
import zlib


def tiny_png(shade: int = 0) -> bytes:
    """A valid 1x1 grey PNG; a different `shade` gives different bytes (another hash)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(bytes([0, shade % 256]))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
