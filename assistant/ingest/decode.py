"""Decoding file bytes to text: UTF-8, UTF-16/32 with a byte-order mark, else detected."""

from __future__ import annotations

import codecs
from pathlib import Path

from assistant.errors import LoadError

# The library's languages are Indonesian, English and Japanese: weigh only the
# encodings such files come in, so Latin text is not read as Baltic or Cyrillic.
_ENCODINGS = ["cp1252", "latin_1", "utf_16", "shift_jis", "cp932", "euc_jp", "iso2022_jp"]

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _unreadable(path: Path) -> LoadError:
    return LoadError(
        f"{path.name}: not readable as text (binary content or unknown encoding)",
        "save it as UTF-8 text, or remove it from the library",
    )


def decode_bytes(data: bytes, path: Path) -> tuple[str, str | None]:
    """Decode file bytes: a byte-order mark names the encoding; else UTF-8, else the
    detected encoding.

    Returns the text and a warning when the encoding had to be guessed.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise _unreadable(path) from None
            if "\x00" in text:  # a BOM in front of binary data
                raise _unreadable(path)
            return text, None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_ENCODINGS).best() or from_bytes(data).best()
    if best is None or b"\x00" in data[:4096]:
        raise _unreadable(path)
    return str(best), f"not UTF-8: decoded as {best.encoding}"
