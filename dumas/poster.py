"""The A4 poster that hangs at a QR location: the unit's name, the QR code
that opens the complaint form for that unit and place, and short
instructions in Indonesian.

The QR code is drawn as vector squares rather than pasted as a picture, so it
stays sharp however the poster is printed or enlarged.
"""

from __future__ import annotations

import io

import segno
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

GREEN = HexColor("#0b6b3a")


def qr_code(url: str) -> segno.QRCode:
    # Level M survives a scuffed or partly covered poster.
    return segno.make(url, error="m", micro=False)


def _draw_qr(pdf: canvas.Canvas, code: segno.QRCode, *, x: float, y: float, size: float) -> None:
    """Draw the code with its quiet zone, its top-left corner at (x, y + size)."""
    border = 4
    modules = code.symbol_size(border=border)[0]
    cell = size / modules
    pdf.setFillColor(white)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    pdf.setFillColor(black)
    for row_index, row in enumerate(code.matrix):
        top = y + size - (row_index + border + 1) * cell
        column = 0
        # One rectangle per run of dark modules keeps the file small.
        while column < len(row):
            if row[column]:
                start = column
                while column < len(row) and row[column]:
                    column += 1
                pdf.rect(x + (start + border) * cell, top, (column - start) * cell, cell, stroke=0, fill=1)
            else:
                column += 1


def _centered_lines(pdf, text, *, font, size, y, width, page_width, leading=None) -> float:
    leading = leading or size * 1.25
    for line in simpleSplit(text, font, size, width):
        pdf.setFont(font, size)
        pdf.drawCentredString(page_width / 2, y, line)
        y -= leading
    return y


def poster_pdf(*, unit_name: str, location_name: str, url: str) -> bytes:
    """The poster as PDF bytes."""
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    pdf.setTitle(
        _("Poster pengaduan %(unit)s: %(location)s") % {"unit": unit_name, "location": location_name}
    )
    pdf.setAuthor(unit_name)

    pdf.setFillColor(GREEN)
    pdf.rect(0, height - 48 * mm, width, 48 * mm, stroke=0, fill=1)
    pdf.setFillColor(white)
    y = _centered_lines(
        pdf,
        _("LAYANAN PENGADUAN MASYARAKAT"),
        font="Helvetica-Bold",
        size=24,
        y=height - 20 * mm,
        width=width - 30 * mm,
        page_width=width,
    )
    _centered_lines(
        pdf, unit_name, font="Helvetica", size=16, y=y - 2 * mm, width=width - 30 * mm, page_width=width
    )

    pdf.setFillColor(black)
    qr_size = 110 * mm
    qr_top = height - 60 * mm
    _draw_qr(pdf, qr_code(url), x=(width - qr_size) / 2, y=qr_top - qr_size, size=qr_size)

    y = qr_top - qr_size - 10 * mm
    y = _centered_lines(
        pdf,
        _("Pindai kode QR ini dengan kamera ponsel Anda"),
        font="Helvetica-Bold",
        size=18,
        y=y,
        width=width - 30 * mm,
        page_width=width,
    )
    steps = [
        _("1. Pilih jenis laporan: pengaduan, aspirasi, permintaan informasi, atau pelaporan pelanggaran."),
        _("2. Tuliskan kejadiannya. Anda boleh melapor secara rahasia atau anonim."),
        _("3. Simpan kode pelacakan untuk melihat jawaban petugas."),
    ]
    y -= 4 * mm
    for step in steps:
        y = _centered_lines(
            pdf, step, font="Helvetica", size=12.5, y=y, width=width - 40 * mm, page_width=width
        )
        y -= 1.5 * mm
    y -= 4 * mm
    pdf.setFillColor(GREEN)
    y = _centered_lines(
        pdf,
        _("Lokasi: %(location)s") % {"location": location_name},
        font="Helvetica-Bold",
        size=12,
        y=y,
        width=width - 30 * mm,
        page_width=width,
    )
    pdf.setFillColor(black)
    _centered_lines(pdf, url, font="Helvetica", size=9, y=y - 2 * mm, width=width - 20 * mm, page_width=width)
    pdf.setFont("Helvetica-Oblique", 9)
    pdf.drawCentredString(
        width / 2,
        12 * mm,
        _("Layanan ini tidak dipungut biaya. Identitas pelapor dilindungi."),
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
