"""Written notices as PDF letters on the unit's letterhead (reportlab).

The letter follows the forms of Perki 1/2021: the registration details of the
request, what is decided, and what the requester can do next with its date.
Requester text is escaped before it goes into reportlab's paragraph markup.
"""

from __future__ import annotations

import io
from datetime import date
from html import escape

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from humas_portal.core.models import WorkUnit
from humas_portal.core.workdays import add_working_days

from .models import Decision, NoticeKind, Objection, PpidProfile, PpidRequest


def _styles():
    base = getSampleStyleSheet()
    return {
        "body": ParagraphStyle("body", parent=base["Normal"], fontName="Helvetica", fontSize=10, leading=14),
        "small": ParagraphStyle(
            "small", parent=base["Normal"], fontName="Helvetica", fontSize=8.5, leading=11
        ),
        "head1": ParagraphStyle(
            "head1",
            parent=base["Normal"],
            fontName="Helvetica-Bold",
            fontSize=12,
            leading=15,
            alignment=TA_CENTER,
        ),
        "head2": ParagraphStyle(
            "head2",
            parent=base["Normal"],
            fontName="Helvetica-Bold",
            fontSize=14,
            leading=18,
            alignment=TA_CENTER,
        ),
        "head3": ParagraphStyle(
            "head3", parent=base["Normal"], fontName="Helvetica", fontSize=9, leading=12, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title",
            parent=base["Normal"],
            fontName="Helvetica-Bold",
            fontSize=12,
            leading=16,
            alignment=TA_CENTER,
        ),
        "center": ParagraphStyle(
            "center", parent=base["Normal"], fontName="Helvetica", fontSize=10, alignment=TA_CENTER
        ),
    }


def _text(value) -> str:
    """Plain text made safe for reportlab markup, line breaks kept."""
    return escape(str(value or "")).replace("\n", "<br/>")


def long_date(value: date) -> str:
    return formats.date_format(value, "j F Y")


def letterhead(unit: WorkUnit, profile: PpidProfile | None, styles) -> list:
    contacts = [
        part for part in (unit.phone and _("Telepon %(phone)s") % {"phone": unit.phone}, unit.email) if part
    ]
    if profile and profile.website:
        contacts.append(profile.website)
    flow = [
        Paragraph(_("KEMENTERIAN AGAMA REPUBLIK INDONESIA"), styles["head1"]),
        Paragraph(_text(unit.name.upper()), styles["head2"]),
    ]
    if unit.address:
        flow.append(Paragraph(_text(unit.address.replace("\n", ", ")), styles["head3"]))
    if contacts:
        flow.append(Paragraph(_text(" · ".join(contacts)), styles["head3"]))
    flow += [
        Spacer(1, 4),
        HRFlowable(width="100%", thickness=2, color=colors.black, spaceBefore=2, spaceAfter=1),
        HRFlowable(width="100%", thickness=0.5, color=colors.black, spaceAfter=10),
    ]
    return flow


def _fields(rows: list[tuple[str, str]], styles) -> Table:
    data = [
        [Paragraph(_text(label), styles["body"]), ":", Paragraph(value, styles["body"])]
        for label, value in rows
    ]
    table = Table(data, colWidths=[5.2 * cm, 0.4 * cm, None])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _signature(unit: WorkUnit, issued_on: date, title: str, name: str, styles) -> Table:
    place = unit.short_name or unit.name
    lines = [
        Paragraph(_text(f"{place}, {long_date(issued_on)}"), styles["body"]),
        Paragraph(_text(title), styles["body"]),
        Spacer(1, 36),
        Paragraph(f"<b>{_text(name)}</b>", styles["body"]),
    ]
    table = Table([[None, lines]], colWidths=[8.5 * cm, None])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _request_rows(request: PpidRequest) -> list[tuple[str, str]]:
    contact = " / ".join(part for part in (request.phone, request.email) if part)
    return [
        (_("Nomor pendaftaran"), _text(request.registration_number)),
        (_("Tanggal permohonan"), _text(long_date(request.received_on))),
        (_("Nama pemohon"), _text(request.name)),
        (_("Alamat"), _text(request.address)),
        (_("Telepon/email"), _text(contact)),
        (_("Rincian informasi yang dibutuhkan"), _text(request.information_requested)),
        (_("Tujuan penggunaan informasi"), _text(request.purpose)),
    ]


def _ppid_signatory(request: PpidRequest, profile: PpidProfile | None, actor) -> tuple[str, str]:
    title = (profile and profile.signatory_title) or _("PPID %(unit)s") % {"unit": request.unit.name}
    name = (profile and profile.signatory_name) or (actor.get_full_name() if actor else "") or "-"
    return title, name


def _decision_body(request: PpidRequest, styles) -> list:
    flow = [
        Paragraph(_("Berdasarkan permohonan informasi tersebut, kami sampaikan:"), styles["body"]),
        Spacer(1, 4),
    ]
    rows = [(_("Keputusan"), f"<b>{_text(request.get_decision_display())}</b>")]
    if request.decision in (Decision.ACCEPTED, Decision.PARTIAL):
        rows += [
            (_("Bentuk informasi yang tersedia"), _text(request.get_answer_form_display() or "-")),
            (_("Format"), _text(request.answer_format or "-")),
            (
                _("Biaya yang dibutuhkan"),
                _text(
                    _("Rp%(amount)s %(note)s")
                    % {"amount": f"{request.fee_amount:,}".replace(",", "."), "note": request.fee_note}
                    if request.fee_amount
                    else _("Tidak dipungut biaya")
                ),
            ),
            (_("Cara penyampaian"), _text(request.get_delivery_method_display())),
        ]
    if request.decision == Decision.REFUSED:
        rows += [
            (_("Dasar pengecualian"), _text(request.get_refusal_ground_display())),
            (_("Uji konsekuensi"), _text(request.consequence_test)),
        ]
    if request.decision == Decision.NOT_HELD:
        rows.append((_("Informasi dikuasai oleh"), _text(request.holder_info)))
    if request.answer_note:
        rows.append((_("Penjelasan"), _text(request.answer_note)))
    flow.append(_fields(rows, styles))
    redactions = list(request.redactions.all())
    if redactions:
        flow += [
            Spacer(1, 6),
            Paragraph(_("<b>Penjelasan penghitaman/pengaburan informasi</b>"), styles["body"]),
        ]
        data = [[_("Bagian"), _("Dasar pengecualian"), _("Alasan")]] + [
            [
                Paragraph(_text(r.part), styles["small"]),
                Paragraph(_text(r.get_ground_display()), styles["small"]),
                Paragraph(_text(r.reason), styles["small"]),
            ]
            for r in redactions
        ]
        table = Table(data, colWidths=[4.5 * cm, 5.5 * cm, None], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        flow.append(table)
    window = request.objection_window(request.decided_on)
    if window:
        flow += [
            Spacer(1, 8),
            Paragraph(
                _text(
                    _(
                        "Apabila Saudara tidak puas dengan keputusan ini, Saudara dapat mengajukan keberatan "
                        "kepada Atasan PPID paling lambat %(date)s (%(days)s hari kerja), melalui tautan "
                        "pelacakan permohonan Saudara."
                    )
                    % {"date": long_date(window[1]), "days": settings.PPID_OBJECTION_FILING_WORKING_DAYS}
                ),
                styles["body"],
            ),
        ]
    return flow


def _extension_body(request: PpidRequest, styles) -> list:
    return [
        Paragraph(
            _text(
                _(
                    "Permohonan informasi Saudara belum dapat kami penuhi dalam %(days)s hari kerja. Sesuai Pasal 22 "
                    "ayat (8) Undang-Undang Nomor 14 Tahun 2008, jangka waktu pemberitahuan tertulis kami perpanjang "
                    "paling lambat %(extra)s hari kerja, sehingga pemberitahuan akan kami sampaikan paling lambat %(date)s."
                )
                % {
                    "days": settings.PPID_RESPONSE_WORKING_DAYS,
                    "extra": settings.PPID_EXTENSION_WORKING_DAYS,
                    "date": long_date(request.extended_due_on),
                }
            ),
            styles["body"],
        ),
        Spacer(1, 4),
        _fields([(_("Alasan perpanjangan"), _text(request.extension_reason))], styles),
    ]


def _objection_body(objection: Objection, styles) -> list:
    rows = [
        (_("Nomor registrasi keberatan"), _text(objection.registration_number)),
        (_("Tanggal keberatan"), _text(long_date(objection.filed_on))),
        (_("Alasan keberatan"), _text("\n".join(objection.ground_labels()))),
        (_("Kasus posisi"), _text(objection.reasons)),
        (_("Putusan Atasan PPID"), f"<b>{_text(objection.get_outcome_display())}</b>"),
        (_("Tanggapan"), _text(objection.answer)),
    ]
    flow = [_fields(rows, styles)]
    if objection.answered_on:
        last_day = add_working_days(objection.answered_on, settings.PPID_KOMISI_INFORMASI_WORKING_DAYS)
        flow += [
            Spacer(1, 8),
            Paragraph(
                _text(
                    _(
                        "Apabila Saudara tidak puas dengan tanggapan ini, Saudara dapat mengajukan permohonan "
                        "penyelesaian sengketa informasi publik kepada Komisi Informasi paling lambat %(date)s "
                        "(%(days)s hari kerja sejak tanggapan ini diterima)."
                    )
                    % {"date": long_date(last_day), "days": settings.PPID_KOMISI_INFORMASI_WORKING_DAYS}
                ),
                styles["body"],
            ),
        ]
    return flow


def render_notice_pdf(*, request: PpidRequest, kind: str, number: str, issued_on: date, actor=None) -> bytes:
    """The letter for one notice, as PDF bytes."""
    with translation.override(settings.LANGUAGE_CODE):
        styles = _styles()
        unit = request.unit
        profile = PpidProfile.objects.filter(unit=unit).first()
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=2.2 * cm,
            rightMargin=2.2 * cm,
            topMargin=1.5 * cm,
            bottomMargin=1.8 * cm,
            title=str(NoticeKind(kind).label),
            author=unit.name,
        )
        flow = letterhead(unit, profile, styles)
        flow += [
            Paragraph(_text(str(NoticeKind(kind).label).upper()), styles["title"]),
            Paragraph(_text(_("Nomor: %(number)s") % {"number": number}), styles["center"]),
            Spacer(1, 10),
        ]
        if kind == NoticeKind.OBJECTION_ANSWER:
            objection = request.objection
            flow += [_fields(_request_rows(request), styles), Spacer(1, 8)]
            flow += _objection_body(objection, styles)
            signatory_title = _("Atasan PPID %(unit)s") % {"unit": unit.name}
            signatory_name = (actor.get_full_name() if actor else "") or "-"
        else:
            flow += [_fields(_request_rows(request), styles), Spacer(1, 8)]
            flow += (
                _extension_body(request, styles)
                if kind == NoticeKind.EXTENSION
                else _decision_body(request, styles)
            )
            signatory_title, signatory_name = _ppid_signatory(request, profile, actor)
        flow += [Spacer(1, 16), _signature(unit, issued_on, signatory_title, signatory_name, styles)]
        doc.build(flow)
        return buffer.getvalue()
