"""The officers' desk: the triage queue, a complaint's page and its actions,
intake of complaints received offline, QR locations and posters, the recap
and the exports. Every view asks ``dumas.policy``; what a user may not see
answers 404, so that even the existence of a whistleblowing report stays
hidden."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from humas_portal.core.audit import history_for
from humas_portal.core.workflow import WorkflowError

from . import codes, excel, policy, poster, services
from .forms import (
    AssignForm,
    ForwardForm,
    LocationForm,
    NoteForm,
    QueueFilterForm,
    RecapFilterForm,
    ReportForm,
    StaffComplaintForm,
)
from .models import Complaint, ComplaintAttachment, ComplaintLocation
from .recap import build_recap
from .workflow import COMPLAINT_TRANSITIONS, ComplaintAction, ComplaintStatus, IdentityMode

# How the audit trail's actions read on a complaint's page.
HISTORY_LABELS = {
    **dict(ComplaintAction.choices),
    "submit": gettext_lazy("Pengaduan diterima"),
    "assign": gettext_lazy("Penugasan"),
    "report": gettext_lazy("Laporan tindak lanjut"),
    "add_information": gettext_lazy("Pelapor menambah informasi"),
    "rate": gettext_lazy("Pelapor memberi penilaian"),
    "view_identity": gettext_lazy("Identitas pelapor dilihat"),
}

PAGE_SIZE = 25
EXPORT_LIMIT = 5000

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_desk(user) -> None:
    if not policy.can_use_desk(user):
        raise PermissionDenied


def _visible_or_404(user, pk: int) -> Complaint:
    complaint = get_object_or_404(
        Complaint.objects.select_related(
            "unit", "office", "location", "assigned_unit", "assignee", "recorded_by"
        ),
        pk=pk,
    )
    if not policy.can_view(user, complaint):
        raise Http404
    return complaint


def _filtered_queue(request):
    form = QueueFilterForm(request.GET or None)
    complaints = policy.visible_complaints(request.user).for_queue()
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            code = codes.normalize(data["q"])
            complaints = complaints.filter(
                Q(tracking_code=code)
                if code
                else Q(subject__icontains=data["q"]) | Q(tracking_code__icontains=data["q"].strip().upper())
            )
        if data["status"]:
            complaints = complaints.filter(status=data["status"])
        if data["kind"]:
            complaints = complaints.filter(kind=data["kind"])
        if data["overdue"]:
            complaints = complaints.overdue()
    return form, complaints


@login_required
@require_GET
def queue(request):
    """The triage queue: what the user may see, overdue complaints first,
    then by the deadline of each one's current stage, soonest first."""
    _require_desk(request.user)
    form, complaints = _filtered_queue(request)
    now = timezone.now()
    page = Paginator(complaints.by_urgency(now), PAGE_SIZE).get_page(request.GET.get("halaman"))
    rows = [{"complaint": c, "deadline": c.current_deadline(), "overdue": c.stage_overdue} for c in page]
    visible = policy.visible_complaints(request.user)
    return render(
        request,
        "dumas/desk/queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "counts": {
                "received": visible.awaiting_verification().count(),
                "overdue": visible.overdue(now).count(),
            },
            "can_record": policy.record_units(request.user).exists(),
        },
    )


@login_required
@require_GET
def queue_export(request):
    _require_desk(request.user)
    _form, complaints = _filtered_queue(request)
    complaints = complaints.order_by("-received_at", "-id")
    content = excel.complaints_workbook(user=request.user, complaints=complaints[:EXPORT_LIMIT])
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="pengaduan-{timezone.localdate():%Y%m%d}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@sensitive_variables("identity")
@login_required
@require_GET
def detail(request, pk):
    complaint = _visible_or_404(request.user, pk)
    user = request.user
    identity = None
    identity_hidden = False
    if policy.can_view_identity(user, complaint):
        if complaint.identity_mode == IdentityMode.IDENTIFIED or request.GET.get("identitas") == "tampil":
            identity = services.complaint_identity_view(complaint=complaint, actor=user)
        else:
            identity_hidden = True
    actions = policy.allowed_actions(user, complaint)
    statuses = dict(ComplaintStatus.choices)
    action_forms = [
        {
            "action": action,
            "label": ComplaintAction(action).label,
            "note_required": COMPLAINT_TRANSITIONS[action].note_required,
            "note_is_public": COMPLAINT_TRANSITIONS[action].note_is_public,
        }
        for action in actions
        if action != ComplaintAction.FORWARD
    ]
    return render(
        request,
        "dumas/desk/detail.html",
        {
            "complaint": complaint,
            "identity": identity,
            "identity_hidden": identity_hidden,
            "is_officer": policy.is_officer_for(user, complaint),
            "deadline": complaint.current_deadline(),
            "overdue": complaint.is_overdue(),
            "action_forms": action_forms,
            "forward_form": ForwardForm() if ComplaintAction.FORWARD in actions else None,
            "assign_form": AssignForm(complaint=complaint) if policy.can_assign(user, complaint) else None,
            "report_form": ReportForm() if policy.can_act(user, complaint, policy.REPORT) else None,
            "thread": complaint.messages.select_related("author").prefetch_related("attachments"),
            "attachments": complaint.attachments.all(),
            "history": [
                {
                    "entry": entry,
                    "action": HISTORY_LABELS.get(entry.action, entry.action),
                    "status": statuses.get(entry.to_state, "") if entry.to_state != entry.from_state else "",
                }
                for entry in history_for(complaint)
            ],
        },
    )


ACTION_SERVICES = {
    ComplaintAction.VERIFY: services.complaint_verify,
    ComplaintAction.HOLD: services.complaint_hold,
    ComplaintAction.REJECT_AUTHORITY: services.complaint_reject_authority,
    ComplaintAction.ARCHIVE: services.complaint_archive,
    ComplaintAction.FOLLOW_UP: services.complaint_follow_up,
    ComplaintAction.CLOSE: services.complaint_close,
}


def _run(request, complaint: Complaint, call, success: str):
    try:
        call()
    except (WorkflowError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, success)
    return redirect("dumas:detail", pk=complaint.pk)


@login_required
@require_POST
def act(request, pk, action):
    complaint = _visible_or_404(request.user, pk)
    if action != ComplaintAction.ANSWER and action not in ACTION_SERVICES:
        raise Http404
    if not policy.can_act(request.user, complaint, action):
        raise PermissionDenied
    form = NoteForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    if action == ComplaintAction.ANSWER:
        call = lambda: services.complaint_answer(complaint=complaint, actor=request.user, answer=note)  # noqa: E731
    else:
        service = ACTION_SERVICES[action]
        call = lambda: service(complaint=complaint, actor=request.user, note=note)  # noqa: E731
    return _run(
        request,
        complaint,
        call,
        _("Pengaduan %(code)s: %(action)s berhasil.")
        % {"code": complaint.tracking_code, "action": ComplaintAction(action).label},
    )


@login_required
@require_POST
def forward(request, pk):
    complaint = _visible_or_404(request.user, pk)
    if not policy.can_act(request.user, complaint, ComplaintAction.FORWARD):
        raise PermissionDenied
    form = ForwardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Lengkapi instansi tujuan dan nomor rujukan."))
        return redirect("dumas:detail", pk=complaint.pk)
    return _run(
        request,
        complaint,
        lambda: services.complaint_forward(complaint=complaint, actor=request.user, **form.cleaned_data),
        _("Pengaduan diteruskan dan nomor rujukannya dicatat."),
    )


@login_required
@require_POST
def assign(request, pk):
    complaint = _visible_or_404(request.user, pk)
    if not policy.can_act(request.user, complaint, policy.ASSIGN):
        raise PermissionDenied
    form = AssignForm(request.POST, complaint=complaint)
    if not form.is_valid():
        messages.error(
            request, " ".join(form.errors.get("__all__", [])) or _("Pilihan penugasan tidak valid.")
        )
        return redirect("dumas:detail", pk=complaint.pk)
    return _run(
        request,
        complaint,
        lambda: services.complaint_assign(complaint=complaint, actor=request.user, **form.cleaned_data),
        _("Penugasan disimpan dan penerima tugas diberi tahu."),
    )


@login_required
@require_POST
def report(request, pk):
    complaint = _visible_or_404(request.user, pk)
    if not policy.can_act(request.user, complaint, policy.REPORT):
        raise PermissionDenied
    form = ReportForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _run(
        request,
        complaint,
        lambda: services.complaint_report(complaint=complaint, actor=request.user, note=note),
        _("Laporan tindak lanjut disimpan."),
    )


@login_required
@require_GET
def attachment(request, pk):
    """Attachments live outside MEDIA_ROOT and come only through here."""
    item = get_object_or_404(ComplaintAttachment.objects.select_related("complaint__unit"), pk=pk)
    complaint = _visible_or_404(request.user, item.complaint_id)
    inline = item.kind == "image"
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=not inline,
        filename=f"{complaint.tracking_code}-{item.pk}.{item.file.name.rsplit('.', 1)[-1]}",
    )
    # A PDF or image opened from here can run nothing and reach nothing.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@sensitive_post_parameters("reporter_name", "reporter_email", "reporter_phone")
@login_required
@require_http_methods(["GET", "POST"])
def record(request):
    """A complaint received at the PTSP desk, by WhatsApp, phone, email or
    letter, entered by an officer with its channel."""
    if not policy.record_units(request.user).exists():
        raise PermissionDenied
    if request.method == "POST":
        form = StaffComplaintForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                complaint = services.complaint_submit(recorded_by=request.user, **form.submit_kwargs())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Pengaduan dicatat dengan kode %(code)s. %(confirmation)s")
                    % {"code": complaint.tracking_code, "confirmation": complaint.get_confirmation_display()},
                )
                if policy.can_view(request.user, complaint):
                    return redirect(complaint)
                # A whistleblowing report taken at a satker's desk goes to the
                # office's officers; the one who typed it sees it no more.
                return redirect("dumas:queue")
    else:
        form = StaffComplaintForm(user=request.user)
    return render(request, "dumas/desk/record.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def locations(request):
    units = policy.location_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form = LocationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                location = services.location_create(actor=request.user, **form.cleaned_data)
        except IntegrityError:
            form.add_error("name", _("Unit ini sudah memiliki lokasi dengan nama tersebut."))
        else:
            messages.success(
                request, _("Lokasi “%(name)s” dibuat. Cetak posternya.") % {"name": location.name}
            )
            return redirect("dumas:locations")
    items = (
        ComplaintLocation.objects.filter(unit__in=units).select_related("unit").order_by("unit__path", "name")
    )
    return render(request, "dumas/desk/locations.html", {"form": form, "locations": items})


def _managed_location_or_404(user, pk) -> ComplaintLocation:
    location = get_object_or_404(ComplaintLocation.objects.select_related("unit"), pk=pk)
    if not policy.can_manage_locations(user, location.unit):
        raise Http404
    return location


@login_required
@require_POST
def location_toggle(request, pk):
    location = _managed_location_or_404(request.user, pk)
    services.location_set_active(location=location, actor=request.user, active=not location.is_active)
    return redirect("dumas:locations")


@login_required
@require_GET
def location_poster(request, pk):
    location = _managed_location_or_404(request.user, pk)
    pdf = poster.poster_pdf(
        unit_name=location.unit.name, location_name=location.name, url=location.form_url()
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="poster-pengaduan-{location.unit.slug}-{location.pk}.pdf"'
    )
    return response


def _recap_filters(request):
    if not policy.can_view_recap(request.user):
        raise PermissionDenied
    form = RecapFilterForm(request.GET or {"year": timezone.localdate().year}, user=request.user)
    if form.is_valid():
        return form, form.cleaned_data["year"], form.cleaned_data["month"], form.cleaned_data["unit"]
    return form, timezone.localdate().year, None, None


@login_required
@require_GET
def recap(request):
    form, year, month, unit = _recap_filters(request)
    data = build_recap(user=request.user, year=year, month=month, unit=unit)
    top_month = max((group.total for group in data.per_month), default=0)
    return render(
        request,
        "dumas/desk/recap.html",
        {
            "form": form,
            "recap": data,
            "months_chart": [
                {
                    "group": group,
                    "number": number,
                    "height": round(group.total * 100 / top_month) if top_month else 0,
                }
                for number, group in enumerate(data.per_month, start=1)
            ],
        },
    )


@login_required
@require_GET
def recap_export(request):
    _form, year, month, unit = _recap_filters(request)
    data = build_recap(user=request.user, year=year, month=month, unit=unit)
    response = HttpResponse(excel.recap_workbook(data), content_type=XLSX)
    suffix = f"{year}-{month:02d}" if month else str(year)
    response["Content-Disposition"] = f'attachment; filename="rekap-pengaduan-{suffix}.xlsx"'
    return response
