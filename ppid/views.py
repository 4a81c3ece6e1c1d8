"""Public pages: the PPID showcase of each unit, the request form, and the
requester's private tracking page.

The tracking link is the requester's only key: every view under it looks the
request up by the hash of the token, and everything it serves (notices,
answer files) is fetched through that request, so no other identifier in a
public URL opens anything on its own.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from humas_portal.core.audit import history_for
from humas_portal.core.held_uploads import HeldUploads
from humas_portal.core.models import WorkUnit
from humas_portal.core.ratelimit import ratelimit
from humas_portal.core.workflow import WorkflowError

from . import reports, services
from .files import file_response
from .forms import ObjectionForm, ReissueForm, RequestForm, apply_service_errors
from .models import (
    AnnualReport,
    DipCategory,
    DipDocument,
    DipEntry,
    PpidProfile,
    PpidRequest,
    ppid_home,
)

PUBLIC_DIP_ORDER = [DipCategory.BERKALA, DipCategory.SERTA_MERTA, DipCategory.SETIAP_SAAT]


def _private(response: HttpResponse) -> HttpResponse:
    """Pages behind a tracking link: never cached, never indexed, and the
    link never leaks to another site through the Referer header.

    ``same-origin`` rather than ``no-referrer``: under ``no-referrer``
    Chromium posts the page's forms with ``Origin: null``, which Django's
    CSRF check refuses, so the objection form could not be sent."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


# --- Showcase ------------------------------------------------------------------


def index(request):
    profiles = PpidProfile.objects.published().select_related("unit").order_by("unit__path")
    return render(request, "ppid/index.html", {"profiles": profiles})


def unit_page(request, slug):
    unit = get_object_or_404(WorkUnit.objects.active(), slug=slug)
    profile = PpidProfile.objects.published().filter(unit=unit).prefetch_related("officials").first()
    if profile is None:
        # A KUA or madrasah without its own PPID page: its office's PPID
        # answers for it.
        home = ppid_home(unit)
        if home.pk != unit.pk and PpidProfile.objects.published().filter(unit=home).exists():
            return redirect("ppid:unit", slug=home.slug)
        # Unit pages link here for every unit; one whose office has not yet
        # published a PPID page sends the reader to the list of those that have.
        return redirect("ppid:index")
    entries = list(
        DipEntry.objects.published()
        .filter(unit=unit)
        .prefetch_related(Prefetch("documents", queryset=DipDocument.objects.order_by("uploaded_at", "id")))
    )
    groups = [
        (DipCategory(category), [e for e in entries if e.category == category])
        for category in PUBLIC_DIP_ORDER
    ]
    exempt = [e for e in entries if e.category == DipCategory.DIKECUALIKAN]
    published_reports = AnnualReport.objects.published().filter(unit=unit).order_by("-year")
    return render(
        request,
        "ppid/unit.html",
        {
            "unit": unit,
            "profile": profile,
            "groups": groups,
            "exempt": exempt,
            "reports": published_reports,
            "settings": {
                "response_days": settings.PPID_RESPONSE_WORKING_DAYS,
                "extension_days": settings.PPID_EXTENSION_WORKING_DAYS,
                "objection_days": settings.PPID_OBJECTION_FILING_WORKING_DAYS,
            },
        },
    )


def dip_document(request, slug, public_id):
    """A DIP document, only while its entry is published and not exempt:
    an entry reclassified as exempt takes its files off line at once."""
    document = get_object_or_404(
        DipDocument.objects.select_related("entry__unit"),
        public_id=public_id,
        entry__unit__slug=slug,
        entry__in=DipEntry.objects.downloadable(),
        entry__unit__ppid_profile__is_published=True,
    )
    with document.file.open("rb") as handle:
        data = handle.read()
    # Not cached anywhere: a copy kept by a proxy would outlive a
    # reclassification of the entry as exempt.
    return file_response(data, filename=document.original_name, content_type=document.content_type)


# --- Requests ------------------------------------------------------------------


def _per_hour() -> int:
    return settings.PPID_SUBMISSIONS_PER_HOUR


def _soft_limit() -> int:
    return settings.PPID_SUBMISSIONS_SOFT_LIMIT


@ratelimit(
    scope="ppid-request",
    limit=_per_hour,
    soft_limit=_soft_limit,
    window=3600,
    template_name="ppid/ratelimited.html",
)
def request_create(request, slug):
    unit = get_object_or_404(WorkUnit.objects.active(), slug=slug)
    profile = get_object_or_404(PpidProfile.objects.published(), unit=unit)
    challenge = request.ratelimit.challenge_required
    if request.method != "POST":
        form = RequestForm(challenge=challenge)
        return render(request, "ppid/request_form.html", {"unit": unit, "profile": profile, "form": form})
    # Shown again after an error, the form keeps the files already chosen.
    held = HeldUploads.for_request(request, f"ppid-request:{unit.pk}")
    form = RequestForm(request.POST, request.FILES, challenge=challenge, held_uploads=held)
    if form.is_valid():
        data = form.cleaned_data
        try:
            submitted = services.ppid_request_submit(
                unit=unit,
                requester_kind=data["requester_kind"],
                name=data["name"],
                identity_number=data["identity_number"],
                address=data["address"],
                phone=data["phone"],
                email=data["email"],
                information_requested=data["information_requested"],
                purpose=data["purpose"],
                obtain_method=data["obtain_method"],
                delivery_method=data["delivery_method"],
                identity_document=data["identity_document"],
                via_proxy=data["via_proxy"],
                proxy_name=data["proxy_name"],
                proxy_identity_number=data["proxy_identity_number"],
                power_of_attorney=data["power_of_attorney"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _(
                    "Permohonan Anda terdaftar dengan nomor %(number)s. Simpan alamat halaman ini: "
                    "inilah tautan pribadi untuk memantau permohonan Anda."
                )
                % {"number": submitted.request.registration_number},
            )
            return redirect("ppid:track", token=submitted.token)
    return render(request, "ppid/request_form.html", {"unit": unit, "profile": profile, "form": form})


PUBLIC_EVENTS = {
    "submit": gettext_lazy("Permohonan diterima dan terdaftar"),
    "extend": gettext_lazy("Jangka waktu diperpanjang"),
    "answer": gettext_lazy("Pemberitahuan tertulis diberikan"),
    "objection_file": gettext_lazy("Keberatan diajukan"),
    "objection_answer": gettext_lazy("Keberatan ditanggapi Atasan PPID"),
    "close": gettext_lazy("Permohonan selesai"),
}


def _timeline(ppid_request: PpidRequest) -> list[dict]:
    """State changes the requester may see, without staff names or the
    log of who viewed their identity data."""
    rows = history_for(ppid_request).filter(action__in=list(PUBLIC_EVENTS))
    return [{"at": row.created_at, "label": PUBLIC_EVENTS[row.action], "note": row.note} for row in rows]


def _tracked(token: str) -> PpidRequest:
    ppid_request = services.ppid_request_by_token(token)
    if ppid_request is None:
        raise Http404
    return ppid_request


# The objection is a public form like the request: the same guard, and the
# same limits per address, counted on its own (the tracking page peeks at the
# count to ask the sum before the person types their case).
objection_limit = ratelimit(
    scope="ppid-objection",
    limit=_per_hour,
    soft_limit=_soft_limit,
    window=3600,
    template_name="ppid/ratelimited.html",
)


@never_cache
@objection_limit
def track(request, token):
    ppid_request = _tracked(token)
    form = ObjectionForm(challenge=request.ratelimit.challenge_required)
    return _private(_render_track(request, ppid_request, token, form))


def _render_track(request, ppid_request: PpidRequest, token: str, objection_form: ObjectionForm, status=200):
    today = ppid_request.today()
    objection = getattr(ppid_request, "objection", None)
    context = {
        "req": ppid_request,
        "unit": ppid_request.unit,
        "token": token,
        "today": today,
        "notices": ppid_request.notices.all(),
        "attachments": ppid_request.attachments.all(),
        "redactions": ppid_request.redactions.all(),
        "objection": objection,
        "objection_state": ppid_request.objection_state(today),
        "objection_window": ppid_request.objection_window(today),
        "komisi_window": objection.komisi_window() if objection else None,
        "objection_form": objection_form,
        "timeline": _timeline(ppid_request),
        "days_left": ppid_request.working_days_left(today) if ppid_request.is_open else None,
    }
    return render(request, "ppid/track.html", context, status=status)


@never_cache
def track_notice(request, token, public_id):
    ppid_request = _tracked(token)
    notice = get_object_or_404(ppid_request.notices, public_id=public_id)
    filename = f"{notice.get_kind_display()} {ppid_request.registration_number}.pdf".replace("/", "-")
    return file_response(services.notice_pdf(notice), filename=filename, content_type="application/pdf")


@never_cache
def track_attachment(request, token, public_id):
    ppid_request = _tracked(token)
    attachment = get_object_or_404(ppid_request.attachments, public_id=public_id)
    with attachment.file.open("rb") as handle:
        data = handle.read()
    return file_response(data, filename=attachment.original_name, content_type=attachment.content_type)


@require_POST
@objection_limit
def track_objection(request, token):
    ppid_request = _tracked(token)
    form = ObjectionForm(request.POST, challenge=request.ratelimit.challenge_required)
    if form.is_valid():
        try:
            objection = services.ppid_objection_file(
                request=ppid_request,
                grounds=form.cleaned_data["grounds"],
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Keberatan Anda terdaftar dengan nomor %(number)s.")
                % {"number": objection.registration_number},
            )
            return redirect("ppid:track", token=token)
    ppid_request.refresh_from_db()
    return _private(_render_track(request, ppid_request, token, form, status=400))


@ratelimit(
    scope="ppid-reissue",
    limit=_per_hour,
    soft_limit=_soft_limit,
    window=3600,
    template_name="ppid/ratelimited.html",
)
def reissue(request):
    """Lost the tracking link: a new one goes to the email the request was
    filed with. The answer is the same whether or not anything matched."""
    challenge = request.ratelimit.challenge_required
    if request.method == "POST":
        form = ReissueForm(request.POST, challenge=challenge)
        if form.is_valid():
            services.ppid_tracking_link_reissue(
                registration_number=form.cleaned_data["registration_number"], email=form.cleaned_data["email"]
            )
            messages.info(
                request,
                _(
                    "Bila nomor pendaftaran dan email cocok, tautan pelacakan baru telah dikirim ke email tersebut."
                ),
            )
            return redirect("ppid:reissue")
    else:
        form = ReissueForm(challenge=challenge)
    return render(request, "ppid/reissue.html", {"form": form})


# --- Published reports ---------------------------------------------------------


def _published_report(slug: str, year: int) -> AnnualReport:
    return get_object_or_404(
        AnnualReport.objects.published().select_related("unit"),
        unit__slug=slug,
        unit__is_active=True,
        year=year,
    )


def report(request, slug, year):
    annual = _published_report(slug, year)
    return render(
        request,
        "ppid/report_public.html",
        {
            "unit": annual.unit,
            "report": annual,
            "stats": annual.stats,
            "charts": reports.charts(annual.stats),
            "summary": reports.summary_rows(annual.stats),
            "unit_table": reports.unit_table(annual.stats),
            "pdf_url": reverse("ppid:report_export", kwargs={"slug": slug, "year": year, "fmt": "pdf"}),
            "xlsx_url": reverse("ppid:report_export", kwargs={"slug": slug, "year": year, "fmt": "xlsx"}),
        },
    )


def report_export(request, slug, year, fmt):
    annual = _published_report(slug, year)
    return export_response(unit=annual.unit, stats=annual.stats, report=annual, fmt=fmt)


def export_response(*, unit: WorkUnit, stats: dict, report: AnnualReport | None, fmt: str) -> HttpResponse:
    base = f"laporan-ppid-{unit.slug}-{stats['year']}"
    if fmt == "pdf":
        data = reports.report_pdf(unit=unit, stats=stats, report=report)
        return file_response(data, filename=f"{base}.pdf", content_type="application/pdf")
    if fmt == "xlsx":
        data = reports.report_xlsx(unit=unit, stats=stats, report=report)
        return file_response(
            data,
            filename=f"{base}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise Http404
