"""The yearly PPID report (Perki 1/2021): figures built from the requests and
objections themselves, shown with CSS bar charts and exported as PDF and
Excel.

Figures are a plain JSON-able dict so that a published report can keep them
frozen (``AnnualReport.stats``) and be rendered the same way later.
"""

from __future__ import annotations

import io
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from humas_portal.core.models import WorkUnit
from humas_portal.core.workdays import working_days_between

from .letters import _styles, _text, letterhead
from .models import (
    AnnualReport,
    Decision,
    ExemptionGround,
    Objection,
    ObjectionGround,
    ObjectionOutcome,
    PpidProfile,
    PpidRequest,
)

MONTHS = [
    gettext_lazy("Jan"),
    gettext_lazy("Feb"),
    gettext_lazy("Mar"),
    gettext_lazy("Apr"),
    gettext_lazy("Mei"),
    gettext_lazy("Jun"),
    gettext_lazy("Jul"),
    gettext_lazy("Agu"),
    gettext_lazy("Sep"),
    gettext_lazy("Okt"),
    gettext_lazy("Nov"),
    gettext_lazy("Des"),
]


def _empty_group() -> dict:
    return {
        "requests": 0,
        "answered": 0,
        "pending": 0,
        "accepted": 0,
        "partial": 0,
        "refused": 0,
        "not_held": 0,
        "extended": 0,
        "late": 0,
        "days": [],
        "refused_by_ground": {},
        "objections": 0,
        "objections_by_ground": {},
        "objection_outcomes": {},
        "objections_pending": 0,
    }


def _finish(group: dict) -> dict:
    days = group.pop("days")
    group["avg_days"] = round(statistics.fmean(days), 1) if days else None
    group["median_days"] = statistics.median(days) if days else None
    group["max_days"] = max(days) if days else None
    return group


def build_report_stats(*, unit: WorkUnit, year: int) -> dict:
    """The report figures for ``unit`` in ``year``; for an office, the office
    with every unit under it, and a row per unit that received requests.

    Requests count in the year they were received; objections in the year
    they were filed. Time taken is in working days from receipt to the
    written notice.
    """
    requests = (
        PpidRequest.objects.filter(unit__path__startswith=unit.path)
        .received_in(year)
        .select_related("unit")
        .only(
            "id",
            "status",
            "decision",
            "received_on",
            "decided_on",
            "due_on",
            "extended_due_on",
            "refusal_ground",
            "unit__id",
            "unit__name",
            "unit__code",
            "unit__path",
        )
        .order_by("unit__path", "id")
    )
    objections = (
        Objection.objects.filter(request__unit__path__startswith=unit.path, filed_on__year=year)
        .select_related("request__unit")
        .only(
            "id",
            "grounds",
            "outcome",
            "status",
            "request__unit__id",
            "request__unit__name",
            "request__unit__code",
            "request__unit__path",
        )
    )
    total = _empty_group()
    per_unit: dict[int, dict] = {}
    monthly = [0] * 12

    def groups_for(u: WorkUnit):
        if u.pk not in per_unit:
            per_unit[u.pk] = {"unit": u.name, "code": u.code, "path": u.path, **_empty_group()}
        return (total, per_unit[u.pk])

    decision_field = {
        Decision.ACCEPTED: "accepted",
        Decision.PARTIAL: "partial",
        Decision.REFUSED: "refused",
        Decision.NOT_HELD: "not_held",
    }
    for request in requests:
        monthly[request.received_on.month - 1] += 1
        for group in groups_for(request.unit):
            group["requests"] += 1
            if request.extended_due_on:
                group["extended"] += 1
            if request.decision:
                group["answered"] += 1
                group[decision_field[request.decision]] += 1
                group["days"].append(working_days_between(request.received_on, request.decided_on))
                if request.decided_on > request.effective_due_on:
                    group["late"] += 1
                if request.decision == Decision.REFUSED and request.refusal_ground:
                    grounds = group["refused_by_ground"]
                    grounds[request.refusal_ground] = grounds.get(request.refusal_ground, 0) + 1
            else:
                group["pending"] += 1
    for objection in objections:
        for group in groups_for(objection.request.unit):
            group["objections"] += 1
            for ground in objection.grounds:
                group["objections_by_ground"][ground] = group["objections_by_ground"].get(ground, 0) + 1
            if objection.outcome:
                outcomes = group["objection_outcomes"]
                outcomes[objection.outcome] = outcomes.get(objection.outcome, 0) + 1
            else:
                group["objections_pending"] += 1
    return {
        "year": year,
        "unit": {"name": unit.name, "code": unit.code},
        "generated_at": timezone.now().isoformat(),
        "totals": _finish(total),
        "per_unit": [_finish(row) for row in sorted(per_unit.values(), key=lambda r: r["path"])],
        "monthly": monthly,
        "komisi_disputes": 0,
    }


# --- Presentation --------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    percent: int


def _bars(pairs: list[tuple[str, int]]) -> list[Bar]:
    top = max([v for _, v in pairs] + [1])
    return [Bar(label, value, round(value * 100 / top)) for label, value in pairs]


def charts(stats: dict) -> dict[str, list[Bar]]:
    t = stats["totals"]
    return {
        "decisions": _bars(
            [
                (str(Decision.ACCEPTED.label), t["accepted"]),
                (str(Decision.PARTIAL.label), t["partial"]),
                (str(Decision.REFUSED.label), t["refused"]),
                (str(Decision.NOT_HELD.label), t["not_held"]),
                (_("Belum dijawab"), t["pending"]),
            ]
        ),
        "refusal_grounds": _bars(
            [
                (str(g.label), t["refused_by_ground"].get(g.value, 0))
                for g in ExemptionGround
                if t["refused_by_ground"].get(g.value)
            ]
        ),
        "objection_outcomes": _bars(
            [(str(o.label), t["objection_outcomes"].get(o.value, 0)) for o in ObjectionOutcome]
            + [(_("Belum ditanggapi"), t["objections_pending"])]
        ),
        "monthly": _bars([(str(m), c) for m, c in zip(MONTHS, stats["monthly"], strict=True)]),
    }


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def summary_rows(stats: dict) -> list[tuple[str, str]]:
    t = stats["totals"]
    return [
        (_("Jumlah permohonan informasi"), _number(t["requests"])),
        (_("Permohonan yang sudah dijawab"), _number(t["answered"])),
        (_("Permohonan yang belum dijawab"), _number(t["pending"])),
        (_("Dipenuhi seluruhnya"), _number(t["accepted"])),
        (_("Dipenuhi sebagian"), _number(t["partial"])),
        (_("Ditolak"), _number(t["refused"])),
        (_("Informasi tidak dikuasai"), _number(t["not_held"])),
        (_("Diperpanjang"), _number(t["extended"])),
        (_("Dijawab melewati batas waktu"), _number(t["late"])),
        (_("Rata-rata waktu penyelesaian (hari kerja)"), _number(t["avg_days"])),
        (_("Median waktu penyelesaian (hari kerja)"), _number(t["median_days"])),
        (_("Waktu penyelesaian terlama (hari kerja)"), _number(t["max_days"])),
        (_("Jumlah keberatan"), _number(t["objections"])),
        (_("Keberatan belum ditanggapi"), _number(t["objections_pending"])),
        (_("Sengketa di Komisi Informasi"), _number(stats.get("komisi_disputes", 0))),
    ]


def ground_rows(stats: dict) -> tuple[list[tuple[str, int]], list[tuple[str, int]], list[tuple[str, int]]]:
    t = stats["totals"]
    refused = [(str(g.label), t["refused_by_ground"].get(g.value, 0)) for g in ExemptionGround]
    objection_grounds = [(str(g.label), t["objections_by_ground"].get(g.value, 0)) for g in ObjectionGround]
    outcomes = [(str(o.label), t["objection_outcomes"].get(o.value, 0)) for o in ObjectionOutcome]
    return refused, objection_grounds, outcomes


UNIT_COLUMNS = [
    ("unit", gettext_lazy("Unit")),
    ("requests", gettext_lazy("Permohonan")),
    ("accepted", gettext_lazy("Seluruhnya")),
    ("partial", gettext_lazy("Sebagian")),
    ("refused", gettext_lazy("Ditolak")),
    ("not_held", gettext_lazy("Tidak dikuasai")),
    ("pending", gettext_lazy("Belum dijawab")),
    ("avg_days", gettext_lazy("Rata-rata hari")),
    ("median_days", gettext_lazy("Median hari")),
    ("objections", gettext_lazy("Keberatan")),
]


def unit_table(stats: dict) -> tuple[list[str], list[list[str]]]:
    header = [str(label) for _key, label in UNIT_COLUMNS]
    rows = [
        [row["unit"]] + [_number(row[key]) for key, _label in UNIT_COLUMNS[1:]] for row in stats["per_unit"]
    ]
    return header, rows


def _title(stats: dict) -> str:
    return _("Laporan Layanan Informasi Publik Tahun %(year)s") % {"year": stats["year"]}


def report_pdf(*, unit: WorkUnit, stats: dict, report: AnnualReport | None = None) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        styles = _styles()
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=landscape(A4),
            leftMargin=1.8 * cm,
            rightMargin=1.8 * cm,
            topMargin=1.4 * cm,
            bottomMargin=1.4 * cm,
            title=_title(stats),
            author=unit.name,
        )
        profile = PpidProfile.objects.filter(unit=unit).first()
        grid = TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
        flow = letterhead(unit, profile, styles)
        flow += [Paragraph(_text(_title(stats).upper()), styles["title"]), Spacer(1, 10)]
        if report is not None:
            for heading, body in (
                (_("Gambaran umum kebijakan dan pelayanan informasi"), report.overview),
                (_("Kendala pelaksanaan"), report.constraints_text),
                (_("Rekomendasi dan rencana tindak lanjut"), report.recommendations),
            ):
                if body:
                    flow += [
                        Paragraph(f"<b>{_text(heading)}</b>", styles["body"]),
                        Paragraph(_text(body), styles["body"]),
                        Spacer(1, 6),
                    ]
        summary = Table(
            [[_("Uraian"), _("Jumlah")]] + [list(r) for r in summary_rows(stats)], colWidths=[12 * cm, 4 * cm]
        )
        summary.setStyle(grid)
        flow += [Paragraph(f"<b>{_text(_('Ringkasan'))}</b>", styles["body"]), summary, Spacer(1, 10)]
        refused, objection_grounds, outcomes = ground_rows(stats)
        for heading, rows in (
            (_("Penolakan menurut dasar pengecualian (Pasal 17)"), refused),
            (_("Keberatan menurut alasan (Pasal 35)"), objection_grounds),
            (_("Putusan atas keberatan"), outcomes),
        ):
            table = Table(
                [[_("Uraian"), _("Jumlah")]]
                + [[Paragraph(_text(label), styles["small"]), str(value)] for label, value in rows],
                colWidths=[20 * cm, 4 * cm],
            )
            table.setStyle(grid)
            flow += [Paragraph(f"<b>{_text(heading)}</b>", styles["body"]), table, Spacer(1, 10)]
        header, rows = unit_table(stats)
        if rows:
            table = Table(
                [header] + [[Paragraph(_text(r[0]), styles["small"])] + r[1:] for r in rows], repeatRows=1
            )
            table.setStyle(grid)
            flow += [Paragraph(f"<b>{_text(_('Rincian per unit'))}</b>", styles["body"]), table]
        doc.build(flow)
        return buffer.getvalue()


def report_xlsx(*, unit: WorkUnit, stats: dict, report: AnnualReport | None = None) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        workbook = Workbook()
        bold = Font(bold=True)
        sheet = workbook.active
        sheet.title = _("Ringkasan")[:31]
        sheet.append([_title(stats)])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([unit.name])
        sheet.append([])
        sheet.append([_("Uraian"), _("Jumlah")])
        for cell in sheet[4]:
            cell.font = bold
        t = stats["totals"]
        numeric = dict(
            zip(
                [label for label, _value in summary_rows(stats)],
                [
                    t["requests"],
                    t["answered"],
                    t["pending"],
                    t["accepted"],
                    t["partial"],
                    t["refused"],
                    t["not_held"],
                    t["extended"],
                    t["late"],
                    t["avg_days"],
                    t["median_days"],
                    t["max_days"],
                    t["objections"],
                    t["objections_pending"],
                    stats.get("komisi_disputes", 0),
                ],
                strict=True,
            )
        )
        for label, value in numeric.items():
            sheet.append([label, value])
        sheet.column_dimensions["A"].width = 50
        refused, objection_grounds, outcomes = ground_rows(stats)
        for title, rows in (
            (_("Alasan penolakan"), refused),
            (_("Alasan keberatan"), objection_grounds),
            (_("Putusan keberatan"), outcomes),
        ):
            ws = workbook.create_sheet(title[:31])
            ws.append([_("Uraian"), _("Jumlah")])
            for cell in ws[1]:
                cell.font = bold
            for label, value in rows:
                ws.append([label, value])
            ws.column_dimensions["A"].width = 90
        ws = workbook.create_sheet(_("Per unit")[:31])
        ws.append([str(label) for _key, label in UNIT_COLUMNS])
        for cell in ws[1]:
            cell.font = bold
        for row in stats["per_unit"]:
            ws.append([row[key] for key, _label in UNIT_COLUMNS])
        ws.column_dimensions["A"].width = 45
        ws = workbook.create_sheet(_("Per bulan")[:31])
        ws.append([_("Bulan"), _("Permohonan")])
        for month, count in zip(MONTHS, stats["monthly"], strict=True):
            ws.append([str(month), count])
        if report is not None:
            ws = workbook.create_sheet(_("Narasi")[:31])
            for heading, body in (
                (_("Gambaran umum kebijakan dan pelayanan informasi"), report.overview),
                (_("Kendala pelaksanaan"), report.constraints_text),
                (_("Rekomendasi dan rencana tindak lanjut"), report.recommendations),
            ):
                ws.append([heading])
                ws.append([body])
                ws.append([])
            ws.column_dimensions["A"].width = 120
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
