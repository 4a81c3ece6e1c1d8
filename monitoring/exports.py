"""The yearly evaluation of an office: the figures of the dashboard for one
calendar year, as an Excel workbook with a sheet per measure and a PDF
summary. Built by a worker (``services.evaluation_export_run``), which
reports its progress between the steps.

Everything here reads the same selectors as the dashboard, so a figure in
the export means what it means on the page. Dates are written in the
office's zone.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from humas_portal.core.models import WorkUnit
from news.models import PriorityProgram
from socialmedia.models import Platform

from . import selectors
from .models import ExportStep

# (step, percent reached when the step starts) reported to the job row.
Report = Callable[[str, int], None]


def _no_report(step: str, percent: int) -> None:
    return None


@dataclass
class Evaluation:
    office: WorkUnit
    year: int
    period: selectors.Period
    as_of: datetime
    generated_at: datetime
    scoring: selectors.Scoring
    units: list[WorkUnit]
    months: list[selectors.Month]
    news: dict[int, dict[tuple[int, int], int]]
    programs: dict[int, dict[str, int]]
    social: dict[int, dict[str, int]]
    approvals: dict[int, selectors.ApprovalStats]
    approvals_overall: selectors.ApprovalStats
    activity: dict[int, selectors.Activity]
    ppid: dict[int, selectors.PpidYear]
    dumas: dict[int, selectors.DumasYear]
    leaderboard: list[selectors.LeaderRow]

    def news_total(self, unit_id: int | None = None) -> int:
        if unit_id is not None:
            return sum(self.news.get(unit_id, {}).values())
        return sum(sum(months.values()) for months in self.news.values())

    def social_total(self, unit_id: int | None = None) -> int:
        if unit_id is not None:
            return sum(self.social.get(unit_id, {}).values())
        return sum(sum(platforms.values()) for platforms in self.social.values())

    def program_items(self, code: str) -> int:
        return sum(programs.get(code, 0) for programs in self.programs.values())

    def program_units(self, code: str) -> int:
        return sum(1 for programs in self.programs.values() if programs.get(code, 0))

    @property
    def programs_covered(self) -> int:
        return sum(1 for code in PriorityProgram.values if self.program_items(code))

    @property
    def silent_units(self) -> list[selectors.Activity]:
        return [a for a in self.activity.values() if a.is_silent]

    def ppid_total(self) -> selectors.PpidYear:
        rows = self.ppid.values()
        return selectors.PpidYear(
            sum(r.received for r in rows),
            sum(r.answered for r in rows),
            sum(r.answered_late for r in rows),
            sum(r.open for r in rows),
            sum(r.overdue for r in rows),
        )

    def dumas_total(self) -> selectors.DumasYear:
        rows = self.dumas.values()
        return selectors.DumasYear(
            sum(r.received for r in rows),
            sum(r.finished for r in rows),
            sum(r.open for r in rows),
            sum(r.overdue for r in rows),
        )


def collect(
    office: WorkUnit, year: int, *, now: datetime | None = None, report: Report = _no_report
) -> Evaluation:
    """Read every figure of the year, one aggregate query per measure."""
    now = now or timezone.now()
    period = selectors.calendar_year(year, office.tzinfo)
    # The state at the end of the year, or now for the year still running.
    as_of = min(now, period.end - timedelta(seconds=1))
    report(ExportStep.UNITS, 5)
    units = selectors.office_units(office, as_of=as_of)
    ids = [u.pk for u in units]
    report(ExportStep.NEWS, 15)
    news = selectors.news_per_unit_month(ids, period)
    report(ExportStep.PROGRAMS, 25)
    programs = selectors.news_per_unit_program(ids, period)
    report(ExportStep.SOCIAL, 35)
    social = selectors.social_per_unit_platform(ids, period)
    report(ExportStep.APPROVALS, 45)
    approvals, overall = selectors.approval_times(ids, period)
    report(ExportStep.SERVICES, 55)
    ppid = selectors.ppid_year(ids, year, now)
    dumas = selectors.dumas_year(ids, period, now)
    scoring = selectors.Scoring.from_settings()
    silent_days = settings.MONITORING_SILENT_DAYS
    return Evaluation(
        office=office,
        year=year,
        period=period,
        as_of=as_of,
        generated_at=now,
        scoring=scoring,
        units=units,
        months=period.months(),
        news=news,
        programs=programs,
        social=social,
        approvals=approvals,
        approvals_overall=overall,
        activity={u.pk: selectors.activity_of(u, as_of, silent_days) for u in units},
        ppid=ppid,
        dumas=dumas,
        leaderboard=selectors.rank_units(units, programs, social, scoring=scoring),
    )


def _local(ev: Evaluation, moment: datetime | None) -> datetime | None:
    """Excel has no time zones: write the office's wall-clock time."""
    if moment is None:
        return None
    return timezone.localtime(moment, ev.office.tzinfo).replace(tzinfo=None)


def _hours(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _platform_labels() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in Platform.choices]


def _program_labels() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in PriorityProgram.choices]


# --- Excel -------------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0B6B3A")
_TOTAL_FONT = Font(bold=True)


def _table(sheet, title: str, headers: list[str], rows: list[list], total: list | None = None) -> None:
    """A titled table starting at A1: header row frozen, columns sized."""
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(headers)
    for cell in sheet[3]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    if total is not None:
        sheet.append(total)
        for cell in sheet[sheet.max_row]:
            cell.font = _TOTAL_FONT
    sheet.freeze_panes = "B4"
    for index, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(str(r[index - 1])) for r in rows if r[index - 1] is not None])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 60)


def workbook_bytes(ev: Evaluation) -> bytes:
    """The workbook: a summary sheet, then one sheet per measure."""
    book = Workbook()
    summary = book.active
    summary.title = _("Ringkasan")[:31]
    _summary_sheet(summary, ev)

    label = {u.pk: selectors.unit_label(u) for u in ev.units}

    months_sheet = book.create_sheet(_("Berita per bulan")[:31])
    _table(
        months_sheet,
        _("Berita terbit per unit per bulan, %(year)s") % {"year": ev.year},
        [_("Unit")] + [m.short_label for m in ev.months] + [_("Jumlah")],
        [
            [label[u.pk]] + [ev.news.get(u.pk, {}).get(m.key, 0) for m in ev.months] + [ev.news_total(u.pk)]
            for u in ev.units
        ],
        total=[_("Jumlah")]
        + [sum(ev.news.get(u.pk, {}).get(m.key, 0) for u in ev.units) for m in ev.months]
        + [ev.news_total()],
    )

    programs = _program_labels()
    programs_sheet = book.create_sheet(_("Program prioritas")[:31])
    _table(
        programs_sheet,
        _("Berita terbit per program prioritas, %(year)s") % {"year": ev.year},
        [_("Unit")] + [name for _code, name in programs] + [_("Program diliput")],
        [
            [label[u.pk]]
            + [ev.programs.get(u.pk, {}).get(code, 0) for code, _name in programs]
            + [sum(1 for code, _name in programs if ev.programs.get(u.pk, {}).get(code, 0))]
            for u in ev.units
        ],
        total=[_("Jumlah berita")]
        + [ev.program_items(code) for code, _name in programs]
        + [ev.programs_covered],
    )
    programs_sheet.append([_("Unit yang meliput")] + [ev.program_units(code) for code, _name in programs])

    platforms = _platform_labels()
    social_sheet = book.create_sheet(_("Media sosial")[:31])
    _table(
        social_sheet,
        _("Unggahan media sosial yang terbit, %(year)s") % {"year": ev.year},
        [_("Unit")] + [name for _code, name in platforms] + [_("Jumlah")],
        [
            [label[u.pk]]
            + [ev.social.get(u.pk, {}).get(code, 0) for code, _name in platforms]
            + [ev.social_total(u.pk)]
            for u in ev.units
        ],
        total=[_("Jumlah")]
        + [sum(ev.social.get(u.pk, {}).get(code, 0) for u in ev.units) for code, _name in platforms]
        + [ev.social_total()],
    )

    activity_sheet = book.create_sheet(_("Keaktifan unit")[:31])
    _table(
        activity_sheet,
        _("Terbit terakhir per %(date)s (unit tidak aktif: lebih dari %(days)s hari)")
        % {
            "date": formats.date_format(timezone.localtime(ev.as_of, ev.office.tzinfo), "j F Y"),
            "days": settings.MONITORING_SILENT_DAYS,
        },
        [
            _("Unit"),
            _("Berita terakhir"),
            _("Medsos terakhir"),
            _("Hari sejak terbit terakhir"),
            _("Keterangan"),
        ],
        [
            [
                label[u.pk],
                _local(ev, ev.activity[u.pk].last_news_at),
                _local(ev, ev.activity[u.pk].last_social_at),
                ev.activity[u.pk].days,
                (_("Belum pernah terbit") if ev.activity[u.pk].days is None else _("Tidak aktif"))
                if ev.activity[u.pk].is_silent
                else _("Aktif"),
            ]
            for u in ev.units
        ],
    )
    for column in ("B", "C"):
        for cell in activity_sheet[column][3:]:
            cell.number_format = "yyyy-mm-dd hh:mm"
        activity_sheet.column_dimensions[column].width = 18

    approvals_sheet = book.create_sheet(_("Waktu verifikasi")[:31])
    _table(
        approvals_sheet,
        _("Waktu dari pengajuan sampai keputusan verifikator (jam), %(year)s") % {"year": ev.year},
        [_("Unit"), _("Berita diputuskan"), _("Median (jam)"), _("Rata-rata (jam)")],
        [
            [
                label[u.pk],
                ev.approvals.get(u.pk, selectors.ApprovalStats()).decided,
                _hours(ev.approvals.get(u.pk, selectors.ApprovalStats()).median_hours),
                _hours(ev.approvals.get(u.pk, selectors.ApprovalStats()).average_hours),
            ]
            for u in ev.units
        ],
        total=[
            _("Seluruh unit"),
            ev.approvals_overall.decided,
            _hours(ev.approvals_overall.median_hours),
            _hours(ev.approvals_overall.average_hours),
        ],
    )

    ppid_sheet = book.create_sheet(_("PPID")[:31])
    ppid_total = ev.ppid_total()
    _table(
        ppid_sheet,
        _("Permohonan informasi yang diterima tahun %(year)s") % {"year": ev.year},
        [
            _("Unit PPID"),
            _("Diterima"),
            _("Dijawab"),
            _("Dijawab terlambat"),
            _("Masih diproses"),
            _("Melewati batas waktu"),
        ],
        [
            [label[u.pk], r.received, r.answered, r.answered_late, r.open, r.overdue]
            for u in ev.units
            if (r := ev.ppid.get(u.pk))
        ],
        total=[
            _("Jumlah"),
            ppid_total.received,
            ppid_total.answered,
            ppid_total.answered_late,
            ppid_total.open,
            ppid_total.overdue,
        ],
    )

    dumas_sheet = book.create_sheet(_("Dumas")[:31])
    dumas_total = ev.dumas_total()
    _table(
        dumas_sheet,
        _("Pengaduan yang diterima tahun %(year)s (tanpa pelaporan pelanggaran)") % {"year": ev.year},
        [_("Unit"), _("Diterima"), _("Dijawab/selesai"), _("Masih terbuka"), _("Melewati batas waktu")],
        [
            [label[u.pk], r.received, r.finished, r.open, r.overdue]
            for u in ev.units
            if (r := ev.dumas.get(u.pk))
        ],
        total=[
            _("Jumlah"),
            dumas_total.received,
            dumas_total.finished,
            dumas_total.open,
            dumas_total.overdue,
        ],
    )

    ranking_sheet = book.create_sheet(_("Peringkat")[:31])
    _table(
        ranking_sheet,
        _scoring_text(ev.scoring),
        [_("Peringkat"), _("Unit"), _("Berita"), _("Unggahan medsos"), _("Program diliput"), _("Skor")],
        [[r.rank, r.label, r.news, r.social, r.programs, r.score] for r in ev.leaderboard],
    )

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _scoring_text(scoring: selectors.Scoring) -> str:
    return _(
        "Skor = %(news)s × berita terbit + %(social)s × unggahan medsos terbit + "
        "%(program)s × program prioritas yang diliput"
    ) % {"news": scoring.news, "social": scoring.social, "program": scoring.program}


def _summary_rows(ev: Evaluation) -> list[tuple[str, object]]:
    ppid, dumas = ev.ppid_total(), ev.dumas_total()
    return [
        (_("Unit yang dipantau"), len(ev.units)),
        (_("Berita terbit"), ev.news_total()),
        (_("Unggahan media sosial terbit"), ev.social_total()),
        (
            _("Program prioritas yang diliput"),
            _("%(covered)s dari %(total)s")
            % {"covered": ev.programs_covered, "total": len(PriorityProgram.values)},
        ),
        (
            _("Unit tidak aktif (lebih dari %(days)s hari)") % {"days": settings.MONITORING_SILENT_DAYS},
            len(ev.silent_units),
        ),
        (_("Berita diputuskan verifikator"), ev.approvals_overall.decided),
        (_("Median waktu verifikasi (jam)"), _hours(ev.approvals_overall.median_hours)),
        (_("Rata-rata waktu verifikasi (jam)"), _hours(ev.approvals_overall.average_hours)),
        (_("Permohonan PPID diterima"), ppid.received),
        (_("Permohonan PPID dijawab terlambat"), ppid.answered_late),
        (_("Permohonan PPID masih diproses"), ppid.open),
        (_("Permohonan PPID melewati batas waktu"), ppid.overdue),
        (_("Pengaduan Dumas diterima"), dumas.received),
        (_("Pengaduan Dumas masih terbuka"), dumas.open),
        (_("Pengaduan Dumas melewati batas waktu"), dumas.overdue),
    ]


def _summary_sheet(sheet, ev: Evaluation) -> None:
    sheet.append([_("Evaluasi Kinerja Humas Tahun %(year)s") % {"year": ev.year}])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([ev.office.name])
    sheet.append(
        [
            _("Disusun %(when)s")
            % {
                "when": formats.date_format(
                    timezone.localtime(ev.generated_at, ev.office.tzinfo), "j F Y H:i"
                )
            }
        ]
    )
    sheet.append([])
    for label, value in _summary_rows(ev):
        sheet.append([label, "" if value is None else value])
    sheet.append([])
    sheet.append([_scoring_text(ev.scoring)])
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 18


# --- PDF ---------------------------------------------------------------------


def _pdf_styles():
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontName="Helvetica-Bold", fontSize=15, leading=19
        ),
        "head": ParagraphStyle("head", parent=base["Heading2"], fontName="Helvetica-Bold", fontSize=11.5),
        "body": ParagraphStyle(
            "body", parent=base["Normal"], fontName="Helvetica", fontSize=9.5, leading=12.5
        ),
        "cell": ParagraphStyle(
            "cell", parent=base["Normal"], fontName="Helvetica", fontSize=8.5, leading=10.5
        ),
    }


def _pdf_table(rows: list[list], widths: list[float], styles) -> Table:
    cells = [
        [Paragraph(escape(str(v if v is not None else "–")), styles["cell"]) for v in row] for row in rows
    ]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8efe9")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b9c4bd")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def pdf_bytes(ev: Evaluation) -> bytes:
    """A summary of a few pages: totals, the leaderboard, program coverage,
    the units without publications, and the service backlogs."""
    styles = _pdf_styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
        title=_("Evaluasi Kinerja Humas Tahun %(year)s") % {"year": ev.year},
        author=ev.office.name,
    )
    width = A4[0] - 4 * cm
    story = [
        Paragraph(escape(_("Evaluasi Kinerja Humas Tahun %(year)s") % {"year": ev.year}), styles["title"]),
        Paragraph(escape(ev.office.name), styles["body"]),
        Paragraph(
            escape(
                _("Disusun %(when)s")
                % {
                    "when": formats.date_format(
                        timezone.localtime(ev.generated_at, ev.office.tzinfo), "j F Y H:i"
                    )
                }
            ),
            styles["body"],
        ),
        Spacer(1, 10),
        Paragraph(escape(_("Ringkasan")), styles["head"]),
        _pdf_table(
            [[_("Ukuran"), _("Nilai")]] + [[label, value] for label, value in _summary_rows(ev)],
            [width * 0.7, width * 0.3],
            styles,
        ),
        Spacer(1, 10),
        Paragraph(escape(_("Peringkat unit")), styles["head"]),
        Paragraph(escape(_scoring_text(ev.scoring)), styles["body"]),
        Spacer(1, 4),
        _pdf_table(
            [[_("Peringkat"), _("Unit"), _("Berita"), _("Medsos"), _("Program"), _("Skor")]]
            + [[r.rank, r.label, r.news, r.social, r.programs, r.score] for r in ev.leaderboard],
            [width * w for w in (0.11, 0.41, 0.12, 0.12, 0.12, 0.12)],
            styles,
        ),
        Spacer(1, 10),
        Paragraph(escape(_("Liputan program prioritas")), styles["head"]),
        _pdf_table(
            [[_("Program prioritas"), _("Berita"), _("Unit yang meliput")]]
            + [[name, ev.program_items(code), ev.program_units(code)] for code, name in _program_labels()],
            [width * 0.6, width * 0.2, width * 0.2],
            styles,
        ),
        Spacer(1, 10),
        Paragraph(
            escape(
                _("Unit tidak aktif (lebih dari %(days)s hari)") % {"days": settings.MONITORING_SILENT_DAYS}
            ),
            styles["head"],
        ),
    ]
    silent = ev.silent_units
    if silent:
        story.append(
            _pdf_table(
                [[_("Unit"), _("Hari sejak terbit terakhir")]]
                + [
                    [selectors.unit_label(a.unit), a.days if a.days is not None else _("Belum pernah terbit")]
                    for a in silent
                ],
                [width * 0.7, width * 0.3],
                styles,
            )
        )
    else:
        story.append(Paragraph(escape(_("Semua unit aktif.")), styles["body"]))
    document.build(story)
    return buffer.getvalue()
