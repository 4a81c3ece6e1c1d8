"""Reading the figures a page shows: every number on the monitoring pages
sits in an element marked ``data-figure="<name>"``."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}


class _FigureParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figures: dict[str, str] = {}
        self.open: list[list] = []  # [name, depth, text parts]
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.depth += 1
        name = dict(attrs).get("data-figure")
        if name:
            self.open.append([name, self.depth, []])

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.open and self.open[-1][1] == self.depth:
            name, _depth, parts = self.open.pop()
            assert name not in self.figures, f"figure {name} appears twice"
            self.figures[name] = " ".join("".join(parts).split())
        self.depth -= 1

    def handle_data(self, data):
        for entry in self.open:
            entry[2].append(data)


def figures(response) -> dict[str, str]:
    """``{name: text}`` of every marked figure of the page."""
    parser = _FigureParser()
    parser.feed(response.content.decode())
    return parser.figures


def pdf_strings(data: bytes) -> str:
    """The strings a reportlab PDF draws, joined by spaces. reportlab
    encodes each page stream as ASCII85 over zlib and draws text with
    ``(...) Tj``."""
    import base64
    import re
    import zlib

    assert data.startswith(b"%PDF-"), "not a PDF"
    found = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            content = zlib.decompress(base64.a85decode(raw.strip(), adobe=True))
        except (ValueError, zlib.error):
            continue
        for text in re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", content, re.S):
            found.append(text.replace(rb"\(", b"(").replace(rb"\)", b")").decode("latin-1"))
    return " ".join(found)


def sheet_rows(sheet) -> dict[str, list]:
    """``{first cell: the other cells}`` of every row of a worksheet."""
    return {row[0]: list(row[1:]) for row in sheet.iter_rows(values_only=True) if row and row[0] is not None}
