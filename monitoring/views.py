"""Monitoring pages: the office dashboard, the leaderboard and the yearly
evaluation exports with their progress and downloads.

Each page works on one office, named by ``?kantor=<id>``. Without it, a
person who may open a single office goes straight to it and one with roles
at several offices picks one. ``policy`` decides every access.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from humas_portal.core.models import WorkUnit
from humas_portal.core.storage import private_storage

from . import policy, selectors, services
from .forms import ExportForm, PeriodForm
from .models import EvaluationExport, ExportStatus, ExportStep

# Leaderboard columns that ``?sort=`` accepts, in the order shown.
LEADERBOARD_COLUMNS = ("unit", "berita", "medsos", "program", "skor")

# How many past exports of an office the page lists.
EXPORTS_LISTED = 20


def _office_for(request, action: str, title: str) -> tuple[WorkUnit, list[WorkUnit]] | HttpResponse:
    """The office the page is about and the offices the user may switch to,
    or the page that asks them to pick one."""
    choices = list(policy.offices_for(request.user, action))
    raw = request.GET.get("kantor", "")
    if raw:
        if not raw.isdigit():
            raise Http404
        # The offices to choose from are loaded anyway; most requests name one.
        office = next((c for c in choices if c.pk == int(raw)), None) or get_object_or_404(
            WorkUnit, pk=int(raw)
        )
        if not policy.can(request.user, action, office):
            raise PermissionDenied
        return office, choices
    if not choices:
        raise PermissionDenied
    if len(choices) == 1:
        return choices[0], choices
    return render(
        request,
        "monitoring/choose_office.html",
        {"choices": choices, "title": title, "target": request.path},
    )


@login_required
@require_GET
def dashboard(request):
    resolved = _office_for(request, policy.VIEW_DASHBOARD, _("Dasbor pemantauan humas"))
    if isinstance(resolved, HttpResponse):
        return resolved
    office, choices = resolved
    data = selectors.dashboard_for(office)
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "office": office,
            "choices": choices,
            "data": data,
            "can_export": policy.can(request.user, policy.REQUEST_EXPORT, office),
            "program_count": len(data.programs),
        },
    )


@login_required
@require_GET
def leaderboard(request):
    resolved = _office_for(request, policy.VIEW_LEADERBOARD, _("Peringkat unit"))
    if isinstance(resolved, HttpResponse):
        return resolved
    office, choices = resolved
    form = PeriodForm(request.GET or None, tz=office.tzinfo)
    period = form.period()
    sort = request.GET.get("sort", "skor")
    if sort not in selectors.LEADERBOARD_SORTS:
        sort = "skor"
    scoring = selectors.Scoring.from_settings()
    rows = selectors.leaderboard_for(office, period, scoring=scoring, sort=sort)
    return render(
        request,
        "monitoring/leaderboard.html",
        {
            "office": office,
            "choices": choices,
            "form": form,
            "period": period,
            "rows": rows,
            "sort": sort,
            "columns": LEADERBOARD_COLUMNS,
            "scoring": scoring,
            # Switching office keeps the chosen period and order.
            "keep": {
                key: request.GET[key] for key in ("periode", "dari", "sampai", "sort") if request.GET.get(key)
            },
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def exports(request):
    resolved = _office_for(request, policy.REQUEST_EXPORT, _("Evaluasi tahunan"))
    if isinstance(resolved, HttpResponse):
        return resolved
    office, choices = resolved
    form = ExportForm(request.POST or None, tz=office.tzinfo)
    if request.method == "POST" and form.is_valid():
        try:
            export = services.evaluation_export_request(
                office=office, year=form.cleaned_data["tahun"], actor=request.user
            )
        except services.MonitoringError as error:
            form.add_error("tahun", str(error))
        else:
            messages.success(
                request,
                _("Evaluasi tahun %(year)s sedang disusun. Halaman ini menampilkan kemajuannya.")
                % {"year": export.year},
            )
            return redirect(reverse("monitoring:exports") + f"?kantor={office.pk}")
    jobs = list(EvaluationExport.objects.of_office(office).select_related("requested_by")[:EXPORTS_LISTED])
    return render(
        request,
        "monitoring/exports.html",
        {
            "office": office,
            "choices": choices,
            "form": form,
            "jobs": jobs,
            "any_active": any(job.is_active for job in jobs),
        },
    )


def _export_for(request, pk: int) -> EvaluationExport:
    export = get_object_or_404(EvaluationExport.objects.select_related("office"), pk=pk)
    if not policy.can(request.user, policy.DOWNLOAD_EXPORT, export.office):
        raise PermissionDenied
    return export


@login_required
@require_GET
@never_cache
def export_status(request, pk: int):
    """The job's state for the page's progress bar, polled every few
    seconds while the worker builds the files."""
    export = _export_for(request, pk)
    done = export.status == ExportStatus.DONE
    return JsonResponse(
        {
            "id": export.pk,
            "status": export.status,
            "status_label": export.get_status_display(),
            "progress": export.progress,
            "step_label": str(ExportStep(export.step).label) if export.step in ExportStep.values else "",
            "done": done,
            "failed": export.status == ExportStatus.FAILED,
            "downloads": {
                "excel": export.download_url("excel") if done and export.workbook else "",
                "pdf": export.download_url("pdf") if done and export.summary_pdf else "",
            },
        }
    )


DOWNLOADS = {
    "excel": ("workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("summary_pdf", "application/pdf", "pdf"),
}


@login_required
@require_GET
def export_download(request, pk: int, kind: str):
    """Serve a finished export's file from the private storage."""
    if kind not in DOWNLOADS:
        raise Http404
    export = _export_for(request, pk)
    field_name, content_type, extension = DOWNLOADS[kind]
    name = getattr(export, field_name).name
    if export.status != ExportStatus.DONE or not name or not private_storage.exists(name):
        raise Http404
    filename = f"evaluasi-humas-{export.office.code}-{export.year}.{extension}"
    response = FileResponse(
        private_storage.open(name, "rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
