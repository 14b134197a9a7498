import io

import pytest

from quizapp.services.errors import InvalidInput
from quizapp.uploads import read_text_upload


def upload(data: bytes, name: str | None = "file.txt") -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.filename = name  # type: ignore[attr-defined]
    return stream


def test_text_with_or_without_a_bom() -> None:
    assert read_text_upload(upload("é\n".encode()), 100, "x") == ("file.txt", "é\n")
    assert read_text_upload(upload(b"\xef\xbb\xbfa,b"), 100, "x") == ("file.txt", "a,b")
    assert read_text_upload(upload(b"a", None), 100, "default.csv")[0] == "default.csv"


def test_too_large_and_not_utf8_are_refused_with_the_file_name() -> None:
    with pytest.raises(InvalidInput, match=r"big\.csv: the file is larger than 1 MB"):
        read_text_upload(upload(b"x" * (1024 * 1024 + 1), "big.csv"), 1024 * 1024, "x")
    with pytest.raises(InvalidInput, match=r"latin\.csv: the file is not UTF-8"):
        read_text_upload(upload("café".encode("latin-1"), "latin.csv"), 100, "x")
