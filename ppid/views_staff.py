"""Staff pages: the queue of each PPID unit, a request's page with its
actions, objections for the Atasan PPID, the PPID page and DIP editors, and
the yearly report. Every view asks ``ppid.policy`` and acts through
``ppid.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from humas_portal.core.audit import history_for
from humas_portal.core.models import Role, WorkUnit
from humas_portal.core.policy import has_any_role, unit_filter
from humas_portal.core.workdays import working_days_between
from humas_portal.core.workflow import WorkflowError

from . import policy, reports, services
from .files import file_response
from .forms import (
    AnswerRequestForm,
    DipDocumentForm,
    DipEntryForm,
    ExtendForm,
    ObjectionAnswerForm,
    OfficialFormSet,
    ProfileForm,
    RedactionFormSet,
    ReportForm,
    apply_service_errors,
    year_choices,
)
from .models import (
    OPEN_STATUSES,
    AnnualReport,
    DipEntry,
    Objection,
    ObjectionStatus,
    PpidProfile,
    PpidRequest,
    RequestStatus,
    local_today,
)
from .views import export_response

QUEUE_PAGE_SIZE = 50

QUEUE_FILTERS = {
    "open": Q(status__in=OPEN_STATUSES),
    "answered": Q(status=RequestStatus.ANSWERED),
    "closed": Q(status=RequestStatus.CLOSED),
    "all": Q(),
}


def _managed_profiles(user):
    """PPID pages of the units the user covers as PPID."""
    return (
        PpidProfile.objects.filter(unit_filter(user, Role.PPID))
        .filter(unit__is_active=True)
        .select_related("unit")
    )


def _managed_unit(user, slug: str) -> WorkUnit:
    unit = get_object_or_404(WorkUnit.objects.active(), slug=slug)
    if not policy.can_manage_unit(user, unit):
        raise PermissionDenied
    return unit


@login_required
def queue(request):
    """A PPID unit's requests ordered by deadline, with working days left.

    Queries: session, user, role assignments, the user's PPID units, the
    page count and the page of requests (with unit and objection joined) —
    the same for 3 requests as for 30.
    """
    if not has_any_role(request.user, [Role.PPID]):
        if has_any_role(request.user, [Role.ATASAN_PPID]):
            return redirect("ppid:objections")
        raise PermissionDenied
    profiles = list(_managed_profiles(request.user))
    selected = None
    wanted = request.GET.get("unit")
    for profile in profiles:
        if profile.unit.slug == wanted or (wanted is None and selected is None):
            selected = profile.unit
    if wanted and selected is None:
        raise Http404
    status = request.GET.get("status", "open")
    if status not in QUEUE_FILTERS:
        status = "open"
    rows = []
    page = None
    if selected is not None:
        requests = PpidRequest.objects.filter(unit=selected).filter(QUEUE_FILTERS[status]).for_queue()
        page = Paginator(requests, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        today = local_today(selected)
        for item in page:
            days_left = item.working_days_left(today) if item.is_open else None
            overdue = item.is_overdue(today)
            rows.append(
                {
                    "req": item,
                    "days_left": days_left,
                    "overdue": overdue,
                    "days_late": -days_left if overdue else 0,
                }
            )
    return render(
        request,
        "ppid/staff/queue.html",
        {"profiles": profiles, "selected": selected, "rows": rows, "page": page, "status": status},
    )


def _staff_request(user, pk: int) -> PpidRequest:
    ppid_request = get_object_or_404(
        PpidRequest.objects.select_related("unit", "decided_by", "objection", "objection__answered_by"), pk=pk
    )
    if not policy.can_view_request(user, ppid_request):
        raise PermissionDenied
    return ppid_request


@login_required
@never_cache
def staff_request(request, pk):
    ppid_request = _staff_request(request.user, pk)
    today = ppid_request.today()
    objection = getattr(ppid_request, "objection", None)
    can_handle = policy.can_handle_request(request.user, ppid_request)
    history = list(history_for(ppid_request))
    if objection:
        history = sorted(history + list(history_for(objection)), key=lambda row: (row.created_at, row.pk))
    return render(
        request,
        "ppid/staff/request_detail.html",
        {
            "req": ppid_request,
            "unit": ppid_request.unit,
            "today": today,
            "days_left": ppid_request.working_days_left(today) if ppid_request.is_open else None,
            "overdue": ppid_request.is_overdue(today),
            "can_handle": can_handle,
            "can_view_identity": policy.can_view_identity(request.user, ppid_request),
            "can_extend": can_handle
            and services.request_allows(ppid_request, "extend")
            and today <= ppid_request.due_on,
            "can_answer": can_handle and services.request_allows(ppid_request, "answer"),
            "can_decide": objection is not None
            and policy.can_decide_objection(request.user, objection)
            and services.objection_allows(objection, "answer"),
            "extend_form": ExtendForm(),
            "objection": objection,
            "notices": ppid_request.notices.all(),
            "attachments": ppid_request.attachments.all(),
            "redactions": ppid_request.redactions.all(),
            "identity_documents": ppid_request.identity_documents.all(),
            "history": history,
            "objection_window": ppid_request.objection_window(today),
        },
    )


@login_required
@require_POST
def staff_extend(request, pk):
    ppid_request = _staff_request(request.user, pk)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan perpanjangan."))
        return redirect(ppid_request)
    try:
        services.ppid_request_extend(
            request=ppid_request, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, _("Jangka waktu diperpanjang dan pemberitahuan dikirim kepada pemohon."))
    return redirect(ppid_request)


@login_required
def staff_answer(request, pk):
    ppid_request = _staff_request(request.user, pk)
    if not policy.can_handle_request(request.user, ppid_request):
        raise PermissionDenied
    if not services.request_allows(ppid_request, "answer"):
        messages.info(request, _("Permohonan ini sudah dijawab."))
        return redirect(ppid_request)
    if request.method == "POST":
        form = AnswerRequestForm(request.POST, request.FILES)
        redactions = RedactionFormSet(request.POST, prefix="redaksi")
        if form.is_valid() and redactions.is_valid():
            data = form.cleaned_data
            try:
                services.ppid_request_answer(
                    request=ppid_request,
                    actor=request.user,
                    decision=data["decision"],
                    answer_note=data["answer_note"],
                    answer_form=data["answer_form"],
                    answer_format=data["answer_format"],
                    fee_amount=data["fee_amount"] or 0,
                    fee_note=data["fee_note"],
                    refusal_ground=data["refusal_ground"],
                    consequence_test=data["consequence_test"],
                    holder_info=data["holder_info"],
                    redactions=[
                        services.RedactionInput(part=r["part"], ground=r["ground"], reason=r["reason"])
                        for r in redactions.cleaned_data
                        if r.get("part")
                    ],
                    files=data["files"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Pemberitahuan tertulis dibuat dan dikirim kepada pemohon."))
                return redirect(ppid_request)
    else:
        form = AnswerRequestForm()
        redactions = RedactionFormSet(prefix="redaksi")
    return render(
        request,
        "ppid/staff/answer.html",
        {"req": ppid_request, "unit": ppid_request.unit, "form": form, "redactions": redactions},
    )


@login_required
@never_cache
def staff_identity(request, pk):
    """The full NIK / entity numbers: shown on a page of their own so that
    each look is a deliberate, logged act."""
    ppid_request = _staff_request(request.user, pk)
    revealed = services.ppid_identity_reveal(request=ppid_request, actor=request.user)
    response = render(
        request,
        "ppid/staff/identity.html",
        {
            "req": ppid_request,
            "revealed": revealed,
            "identity_documents": ppid_request.identity_documents.all(),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@never_cache
def staff_identity_document(request, pk, public_id):
    ppid_request = _staff_request(request.user, pk)
    document = get_object_or_404(ppid_request.identity_documents, public_id=public_id)
    data = services.ppid_identity_document_open(document=document, actor=request.user)
    return file_response(data, filename=document.original_name, content_type=document.content_type)


@login_required
def staff_attachment(request, pk, public_id):
    ppid_request = _staff_request(request.user, pk)
    attachment = get_object_or_404(ppid_request.attachments, public_id=public_id)
    with attachment.file.open("rb") as handle:
        data = handle.read()
    return file_response(data, filename=attachment.original_name, content_type=attachment.content_type)


@login_required
def staff_notice(request, pk, public_id):
    ppid_request = _staff_request(request.user, pk)
    notice = get_object_or_404(ppid_request.notices, public_id=public_id)
    filename = f"{notice.get_kind_display()} {ppid_request.registration_number}.pdf".replace("/", "-")
    return file_response(services.notice_pdf(notice), filename=filename, content_type="application/pdf")


# --- Objections ----------------------------------------------------------------


@login_required
def objections(request):
    """Objections waiting for the Atasan PPID, nearest deadline first."""
    if not has_any_role(request.user, [Role.ATASAN_PPID]):
        raise PermissionDenied
    items = (
        Objection.objects.filter(policy.objection_filter(request.user))
        .select_related("request__unit")
        .order_by("status", "due_on", "id")
    )
    page = Paginator(items, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"objection": o, "overdue": o.is_overdue(), "days_left": None} for o in page]
    for row in rows:
        objection = row["objection"]
        if objection.status == ObjectionStatus.FILED:
            row["days_left"] = working_days_between(local_today(objection.request.unit), objection.due_on)
    return render(request, "ppid/staff/objections.html", {"rows": rows, "page": page})


@login_required
def staff_objection(request, pk):
    objection = get_object_or_404(Objection.objects.select_related("request__unit", "answered_by"), pk=pk)
    may_decide = policy.can_decide_objection(request.user, objection)
    if not (may_decide or policy.can_handle_request(request.user, objection.request)):
        raise PermissionDenied
    form = ObjectionAnswerForm()
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        form = ObjectionAnswerForm(request.POST)
        if form.is_valid():
            try:
                services.ppid_objection_answer(
                    objection=objection,
                    actor=request.user,
                    outcome=form.cleaned_data["outcome"],
                    answer=form.cleaned_data["answer"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Tanggapan atas keberatan dikirim kepada pemohon."))
                return redirect("ppid:staff_objection", pk=objection.pk)
    return render(
        request,
        "ppid/staff/objection_detail.html",
        {
            "objection": objection,
            "req": objection.request,
            "unit": objection.request.unit,
            "form": form,
            "can_decide": may_decide and services.objection_allows(objection, "answer"),
            "overdue": objection.is_overdue(),
            "komisi_window": objection.komisi_window(),
            "notices": objection.request.notices.all(),
        },
    )


# --- The PPID page -------------------------------------------------------------


@login_required
def profile_edit(request, slug):
    unit = _managed_unit(request.user, slug)
    profile = PpidProfile.objects.filter(unit=unit).first() or PpidProfile(unit=unit)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        officials = OfficialFormSet(request.POST, prefix="pejabat")
        if form.is_valid() and officials.is_valid():
            services.ppid_profile_save(
                unit=unit,
                actor=request.user,
                data=form.cleaned_data,
                officials=[
                    services.OfficialInput(
                        ppid_position=o.get("ppid_position", ""),
                        name=o.get("name", ""),
                        office_title=o.get("office_title", ""),
                    )
                    for o in officials.cleaned_data
                    if o
                ],
            )
            messages.success(request, _("Profil PPID disimpan."))
            return redirect("ppid:profile_edit", slug=unit.slug)
    else:
        form = ProfileForm(instance=profile)
        initial = (
            [
                {"ppid_position": o.ppid_position, "name": o.name, "office_title": o.office_title}
                for o in profile.officials.all()
            ]
            if profile.pk
            else []
        )
        officials = OfficialFormSet(prefix="pejabat", initial=initial)
    return render(
        request,
        "ppid/staff/profile_form.html",
        {"unit": unit, "profile": profile, "form": form, "officials": officials},
    )


@login_required
def dip_manage(request, slug):
    unit = _managed_unit(request.user, slug)
    entries = DipEntry.objects.filter(unit=unit).annotate(document_count=Count("documents"))
    return render(request, "ppid/staff/dip_list.html", {"unit": unit, "entries": entries})


@login_required
def dip_edit(request, slug, pk=None):
    unit = _managed_unit(request.user, slug)
    entry = get_object_or_404(DipEntry, pk=pk, unit=unit) if pk else None
    if request.method == "POST":
        form = DipEntryForm(request.POST, instance=entry or DipEntry(unit=unit))
        if form.is_valid():
            try:
                entry = services.ppid_dip_entry_save(
                    unit=unit, actor=request.user, data=form.cleaned_data, entry=entry
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Entri DIP disimpan."))
                return redirect("ppid:dip_edit", slug=unit.slug, pk=entry.pk)
    else:
        form = DipEntryForm(instance=entry)
    return render(
        request,
        "ppid/staff/dip_form.html",
        {
            "unit": unit,
            "entry": entry,
            "form": form,
            "document_form": DipDocumentForm(),
            "documents": entry.documents.all() if entry else [],
        },
    )


@login_required
@require_POST
def dip_delete(request, slug, pk):
    unit = _managed_unit(request.user, slug)
    entry = get_object_or_404(DipEntry, pk=pk, unit=unit)
    services.ppid_dip_entry_delete(entry=entry, actor=request.user)
    messages.success(request, _("Entri DIP dihapus."))
    return redirect("ppid:dip_manage", slug=unit.slug)


@login_required
@require_POST
def dip_document_add(request, slug, pk):
    unit = _managed_unit(request.user, slug)
    entry = get_object_or_404(DipEntry, pk=pk, unit=unit)
    form = DipDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.ppid_dip_document_add(
                entry=entry,
                actor=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except (ValidationError, WorkflowError) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Dokumen diunggah."))
    else:
        messages.error(request, _("Pilih berkas yang akan diunggah."))
    return redirect("ppid:dip_edit", slug=unit.slug, pk=entry.pk)


@login_required
@require_POST
def dip_document_delete(request, slug, pk, public_id):
    unit = _managed_unit(request.user, slug)
    entry = get_object_or_404(DipEntry, pk=pk, unit=unit)
    document = get_object_or_404(entry.documents, public_id=public_id)
    services.ppid_dip_document_delete(document=document, actor=request.user)
    messages.success(request, _("Dokumen dihapus."))
    return redirect("ppid:dip_edit", slug=unit.slug, pk=entry.pk)


# --- Yearly report -------------------------------------------------------------


def _report_unit(user, slug: str) -> WorkUnit:
    unit = get_object_or_404(WorkUnit.objects.active(), slug=slug)
    if not policy.can_view_report(user, unit):
        raise PermissionDenied
    return unit


def _report_year(request) -> int:
    try:
        year = int(request.GET.get("tahun") or request.POST.get("tahun") or 0)
    except ValueError:
        year = 0
    if year in year_choices():
        return year
    # The report is due by 31 March for the year before: open on that one
    # until then.
    today = timezone.localdate()
    return today.year - 1 if today.month <= 3 else today.year


@login_required
def staff_report(request, slug):
    unit = _report_unit(request.user, slug)
    year = _report_year(request)
    stats = reports.build_report_stats(unit=unit, year=year)
    annual = AnnualReport.objects.filter(unit=unit, year=year).first()
    can_publish = policy.can_publish_report(request.user, unit)
    if request.method == "POST":
        if not can_publish:
            raise PermissionDenied
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.ppid_report_publish(unit=unit, year=year, actor=request.user, **form.cleaned_data)
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Laporan tahunan diterbitkan di halaman PPID."))
                return redirect(f"{request.path}?tahun={year}")
    else:
        form = ReportForm(
            initial={
                "overview": annual.overview if annual else "",
                "constraints_text": annual.constraints_text if annual else "",
                "recommendations": annual.recommendations if annual else "",
                "komisi_disputes": annual.komisi_disputes if annual else 0,
            }
        )
    stats["komisi_disputes"] = annual.komisi_disputes if annual else 0
    return render(
        request,
        "ppid/staff/report.html",
        {
            "unit": unit,
            "year": year,
            "years": year_choices(),
            "stats": stats,
            "charts": reports.charts(stats),
            "summary": reports.summary_rows(stats),
            "unit_table": reports.unit_table(stats),
            "annual": annual,
            "form": form,
            "can_publish": can_publish,
        },
    )


@login_required
def staff_report_export(request, slug, fmt):
    unit = _report_unit(request.user, slug)
    year = _report_year(request)
    stats = reports.build_report_stats(unit=unit, year=year)
    annual = AnnualReport.objects.filter(unit=unit, year=year).first()
    stats["komisi_disputes"] = annual.komisi_disputes if annual else 0
    return export_response(unit=unit, stats=stats, report=annual, fmt=fmt)
