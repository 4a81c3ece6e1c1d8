"""Small PDFs for tests: a plain one a PDF reader opens, and ones that carry
what the portal refuses (a script, a launch action, an embedded file)."""

from __future__ import annotations


def build_pdf(*extra_objects: bytes, catalog_extra: bytes = b"", note: bytes = b"") -> bytes:
    """A one-page PDF with a correct cross-reference table. ``catalog_extra``
    goes into the catalog dictionary; ``extra_objects`` are numbered from 4;
    ``note`` is written as a comment (a marker a test can look for)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    if note:
        out += b"% " + note + b"\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def plain_pdf(note: bytes = b"") -> bytes:
    return build_pdf(note=note)


def pdf_with_javascript() -> bytes:
    return build_pdf(b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>", catalog_extra=b"/OpenAction 4 0 R")


def pdf_with_hidden_javascript() -> bytes:
    """The same script with its names written in #xx escapes, as malware
    writes them to get past a plain byte search."""
    return build_pdf(b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>", catalog_extra=b"/OpenAction 4 0 R")


def pdf_with_launch_action() -> bytes:
    return build_pdf(b"<< /S /Launch /F (cmd.exe) >>", catalog_extra=b"/OpenAction 4 0 R")


def pdf_with_embedded_file() -> bytes:
    return build_pdf(
        b"<< /Type /EmbeddedFile /Length 5 >>\nstream\nhello\nendstream",
        b"<< /Type /Filespec /F (a.exe) /EF << /F 4 0 R >> >>",
        b"<< /Names [(a.exe) 5 0 R] >>",
        catalog_extra=b"/Names << /EmbeddedFiles 6 0 R >>",
    )
