"""The visible text of a reportlab PDF, for assertions: page streams are
ASCII85- then Flate-encoded and strings are drawn with ``(…) Tj``."""

import base64
import re
import zlib


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            content = zlib.decompress(base64.a85decode(stream.strip(), adobe=True))
        except (ValueError, zlib.error):
            continue
        for literal in re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", content, re.S):
            chunks.append(literal.replace(rb"\(", b"(").replace(rb"\)", b")").decode("latin-1"))
    return " ".join(chunks)
