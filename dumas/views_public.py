"""Public pages: the landing page, the complaint form (also reached from a
poster's QR code) and the tracking page.

Every POST passes the shared rate limit and form guard
(``humas_portal.core.ratelimit``); a tracking lookup that finds nothing counts
against the address too, so codes cannot be tried in bulk.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from humas_portal.core import ratelimit
from humas_portal.core.audit import history_for
from humas_portal.core.held_uploads import HeldUploads
from humas_portal.core.models import WorkUnit
from humas_portal.core.workflow import WorkflowError

from . import codes, services
from .forms import InformationForm, PublicComplaintForm, RatingForm
from .models import Complaint, ComplaintLocation
from .workflow import INFORMATION_STATUSES, RATEABLE_STATUSES, ComplaintStatus

SESSION_KEY = "dumas_submitted_code"
RATE_LIMITED_TEMPLATE = "dumas/rate_limited.html"

public_form_limit = ratelimit.ratelimit(
    scope="dumas-form",
    limit=lambda: settings.DUMAS_RATE_LIMIT,
    soft_limit=lambda: settings.DUMAS_RATE_SOFT_LIMIT,
    window=lambda: settings.DUMAS_RATE_WINDOW_SECONDS,
    template_name=RATE_LIMITED_TEMPLATE,
)

LOOKUP_SCOPE = "dumas-lookup"


def _lookup_blocked(request) -> bool:
    window = settings.DUMAS_RATE_WINDOW_SECONDS
    return ratelimit.peek(request, scope=LOOKUP_SCOPE, window=window) >= settings.DUMAS_LOOKUP_MISS_LIMIT


def _lookup_missed(request) -> None:
    ratelimit.hit(request, scope=LOOKUP_SCOPE, window=settings.DUMAS_RATE_WINDOW_SECONDS)


def _lookup_refused(request):
    return ratelimit.limited_response(
        request, window=settings.DUMAS_RATE_WINDOW_SECONDS, template_name=RATE_LIMITED_TEMPLATE
    )


@require_GET
def index(request):
    """File a complaint (find your unit) or track one."""
    query = (request.GET.get("unit") or "").strip()
    units = []
    if len(query) >= 3:
        units = list(
            WorkUnit.objects.active().filter(name__icontains=query).order_by("name").only("name", "slug")[:20]
        )
    return render(
        request,
        "dumas/index.html",
        {"query": query, "units": units, "code": request.GET.get("kode", "")},
    )


# Error reports (500 emails, logs) must not carry what identifies a
# complainant; Django blanks these POST fields in them.
IDENTITY_FIELDS = ("reporter_name", "reporter_email", "reporter_phone")


@never_cache
@sensitive_post_parameters(*IDENTITY_FIELDS)
@require_http_methods(["GET", "POST"])
@public_form_limit
def create(request, slug):
    """The complaint form of one unit; a poster's QR code adds ``?lokasi=``."""
    unit = get_object_or_404(WorkUnit.objects.active(), slug=slug)
    token = request.GET.get("lokasi", "")
    location = (
        ComplaintLocation.objects.filter(token=token, unit=unit, is_active=True).first() if token else None
    )
    challenge = request.ratelimit.challenge_required
    if request.method == "POST":
        # Shown again after an error, the form keeps the attachments chosen.
        held = HeldUploads.for_request(request, f"dumas-create:{unit.pk}")
        form = PublicComplaintForm(request.POST, request.FILES, challenge=challenge, held_uploads=held)
        if form.is_valid():
            try:
                complaint = services.complaint_submit(unit=unit, location=location, **form.submit_kwargs())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[SESSION_KEY] = complaint.tracking_code
                return redirect("dumas:submitted")
    else:
        form = PublicComplaintForm(challenge=challenge)
    return render(request, "dumas/create.html", {"unit": unit, "location": location, "form": form})


@never_cache
@require_GET
def submitted(request):
    """The tracking code, shown once after filing (kept in the session, not
    the address, so it does not end up in browser history or logs)."""
    code = request.session.get(SESSION_KEY)
    complaint = Complaint.objects.select_related("unit").filter(tracking_code=code).first() if code else None
    if complaint is None:
        return redirect("dumas:index")
    return render(request, "dumas/submitted.html", {"complaint": complaint})


@never_cache
@require_GET
def track_lookup(request):
    raw = request.GET.get("kode", "")
    if _lookup_blocked(request):
        return _lookup_refused(request)
    code = codes.normalize(raw)
    if code and Complaint.objects.filter(tracking_code=code).exists():
        return redirect("dumas:track", code=code)
    _lookup_missed(request)
    if code is None:
        error = _("Kode pelacakan tidak valid. Periksa kembali, misalnya DMS-7KQ4-M9XP-WT3H-R2NA.")
    else:
        error = _("Pengaduan dengan kode itu tidak ditemukan.")
    return render(request, "dumas/index.html", {"code": raw, "track_error": error, "units": []}, status=404)


def _public_history(complaint: Complaint):
    """Status changes only: when, and from what to what. Notes and names of
    officers stay on the desk."""
    labels = dict(ComplaintStatus.choices)
    return [
        {"at": entry.created_at, "status": labels.get(entry.to_state, entry.to_state)}
        for entry in history_for(complaint)
        if entry.to_state and entry.to_state != entry.from_state
    ]


@never_cache
@require_http_methods(["GET", "POST"])
@public_form_limit
def track(request, code):
    if _lookup_blocked(request):
        return _lookup_refused(request)
    normalized = codes.normalize(code)
    complaint = (
        Complaint.objects.select_related("unit").filter(tracking_code=normalized).first()
        if normalized
        else None
    )
    if complaint is None:
        _lookup_missed(request)
        raise Http404
    if normalized != code:
        return redirect("dumas:track", code=normalized)

    challenge = request.ratelimit.challenge_required
    information_form = InformationForm(challenge=challenge, prefix="info")
    rating_form = RatingForm(challenge=challenge, prefix="nilai")
    if request.method == "POST":
        try:
            if request.POST.get("aksi") == "nilai":
                rating_form = RatingForm(request.POST, challenge=challenge, prefix="nilai")
                if rating_form.is_valid():
                    services.complaint_rate(
                        complaint=complaint,
                        rating=rating_form.cleaned_data["rating"],
                        comment=rating_form.cleaned_data["comment"],
                    )
                    messages.success(request, _("Terima kasih atas penilaian Anda."))
                    return redirect("dumas:track", code=complaint.tracking_code)
            else:
                information_form = InformationForm(
                    request.POST,
                    request.FILES,
                    challenge=challenge,
                    prefix="info",
                    held_uploads=HeldUploads.for_request(request, f"dumas-information:{complaint.pk}"),
                )
                if information_form.is_valid():
                    services.complaint_add_information(
                        complaint=complaint,
                        text=information_form.cleaned_data["text"],
                        attachments=information_form.cleaned_data["attachments"],
                    )
                    messages.success(request, _("Informasi tambahan Anda telah terkirim kepada petugas."))
                    return redirect("dumas:track", code=complaint.tracking_code)
        except (ValidationError, WorkflowError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("dumas:track", code=complaint.tracking_code)

    public_messages = complaint.messages.filter(is_public=True).prefetch_related("attachments")
    return render(
        request,
        "dumas/track.html",
        {
            "complaint": complaint,
            "answer_due": complaint.answer_due(),
            "answer_due_passed": complaint.is_answer_overdue(),
            "stage": complaint.current_deadline(),
            "stage_passed": complaint.is_overdue(),
            "verify_days": settings.DUMAS_VERIFY_WORKING_DAYS,
            "finish_days": settings.DUMAS_FINISH_DAYS,
            "history": _public_history(complaint),
            "public_messages": public_messages,
            "information_form": information_form if complaint.status in INFORMATION_STATUSES else None,
            "rating_form": (
                rating_form if complaint.status in RATEABLE_STATUSES and complaint.rating is None else None
            ),
        },
    )
