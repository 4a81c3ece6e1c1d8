"""Excel workbooks: the recap, and the list of complaints a user may see.

A workbook leaves the portal (it is mailed, copied to a flash drive), beyond
its access control and its access log. So a confidential complainant's
identity is never exported, not even to the officers who may read it on the
page, where every reveal is logged; an identified complainant's name goes to
whoever may see the complaint.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from humas_portal.core.models import User

from . import policy
from .models import Complaint
from .recap import Recap
from .workflow import IdentityMode

BOLD = Font(bold=True)

# Text beginning with these is run as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A value safe to put in a cell: complaint text typed by the public must
    never become a formula (CSV/Excel injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _sheet(workbook: Workbook, title: str, header: list[str], rows, *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    sheet.append([cell(h) for h in header])
    for column in range(1, len(header) + 1):
        sheet.cell(row=1, column=column).font = BOLD
    for row in rows:
        sheet.append([cell(value) for value in row])
    for column, title_text in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(12, min(50, len(title_text) + 4))
    sheet.freeze_panes = "A2"
    return sheet


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def recap_workbook(recap: Recap) -> bytes:
    workbook = Workbook()
    overall = recap.overall
    summary = [
        [_("Periode"), recap.period_label],
        [_("Unit"), recap.unit.name if recap.unit else _("Semua unit yang dipantau")],
        [_("Jumlah pengaduan"), overall.total],
        [_("Sudah dijawab"), overall.answered],
        [_("Rata-rata waktu verifikasi (hari kerja)"), overall.avg_verify_days],
        [_("Rata-rata waktu sampai dijawab (hari)"), overall.avg_answer_days],
        [_("Rata-rata kepuasan (1–5)"), overall.avg_rating],
        [_("Jumlah penilaian"), len(overall.ratings)],
        [],
    ]
    for title, bars in (
        (_("Menurut jenis"), recap.by_kind),
        (_("Menurut saluran"), recap.by_channel),
        (_("Menurut status"), recap.by_status),
        (_("Sebaran penilaian"), recap.rating_distribution),
    ):
        summary.append([title])
        summary += [[bar.label, bar.count] for bar in bars]
        summary.append([])
    sheet = _sheet(workbook, _("Ringkasan"), [_("Rekap pengaduan masyarakat"), ""], summary, first=True)
    sheet.column_dimensions["A"].width = 45

    group_header = [
        _("Jumlah"),
        _("Dijawab"),
        _("Rata-rata verifikasi (hari kerja)"),
        _("Rata-rata sampai dijawab (hari)"),
        _("Rata-rata kepuasan"),
    ]

    def group_row(group):
        return [group.total, group.answered, group.avg_verify_days, group.avg_answer_days, group.avg_rating]

    _sheet(
        workbook,
        _("Per unit"),
        [_("Unit"), *group_header],
        [[group.label, *group_row(group)] for group in recap.per_unit],
    )
    _sheet(
        workbook,
        _("Per bulan"),
        [_("Bulan"), *group_header],
        [[f"{group.label} {recap.year}", *group_row(group)] for group in recap.per_month],
    )
    return _bytes(workbook)


def complaints_workbook(*, user: User, complaints) -> bytes:
    """The complaints listed for ``user``, one row each; identity columns
    follow the rule in the module docstring."""
    workbook = Workbook()
    header = [
        _("Kode pelacakan"),
        _("Diterima"),
        _("Unit"),
        _("Jenis"),
        _("Saluran"),
        _("Judul"),
        _("Status"),
        _("Batas tahap berjalan"),
        _("Lewat batas"),
        _("Identitas"),
        _("Nama pelapor"),
        _("Email pelapor"),
        _("Telepon pelapor"),
        _("Ditugaskan ke"),
        _("Diteruskan ke"),
        _("Nomor rujukan"),
        _("Penilaian"),
    ]
    now = timezone.now()
    rows = []
    for complaint in complaints:
        complaint: Complaint
        if complaint.identity_mode == IdentityMode.IDENTIFIED and policy.can_view_identity(user, complaint):
            identity = [complaint.reporter_name, complaint.reporter_email, complaint.reporter_phone]
        elif complaint.identity_mode == IdentityMode.ANONYMOUS:
            identity = ["", "", ""]
        else:
            identity = [_("Dirahasiakan"), "", ""]
        deadline = complaint.current_deadline()
        assigned = ", ".join(
            str(part) for part in (complaint.assigned_unit, complaint.assignee) if part is not None
        )
        rows.append(
            [
                complaint.tracking_code,
                timezone.localtime(complaint.received_at, complaint.unit.tzinfo).strftime("%Y-%m-%d %H:%M"),
                complaint.unit.name,
                complaint.kind_label,
                complaint.get_channel_display(),
                complaint.subject,
                complaint.get_status_display(),
                deadline[1].isoformat() if deadline else "",
                _("Ya") if complaint.is_overdue(now) else "",
                complaint.get_identity_mode_display(),
                *identity,
                assigned,
                complaint.get_forwarded_to_display() if complaint.forwarded_to else "",
                complaint.external_reference,
                complaint.rating or "",
            ]
        )
    _sheet(workbook, _("Pengaduan"), header, rows, first=True)
    return _bytes(workbook)
