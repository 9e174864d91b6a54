"""Bytes to text: by the byte-order mark if there is one, else strict UTF-8 (a wrong guess
at an encoding would index garbage and cite it as if the document said it)."""

from __future__ import annotations

import codecs

from ..errors import CorpusFileError


def decode(data: bytes) -> str:
    """Text of a file: by its byte-order mark if it has one, else strict UTF-8."""
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise CorpusFileError(f"not valid {encoding.upper()} despite its byte-order mark") from exc
    if b"\x00" in data[:8192]:
        raise CorpusFileError("binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusFileError(f"not UTF-8 (byte {exc.start}); save it as UTF-8") from exc
