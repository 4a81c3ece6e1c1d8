"""The news desk: where units write news and their office verifies it.

Views read through ``news.policy`` filters and write only through
``news.services``; what a user may see or do is never decided here.
"""

from __future__ import annotations

import difflib
import html
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from humas_portal.core.audit import history_for
from humas_portal.core.held_uploads import HeldUploads
from humas_portal.core.workflow import REVIEW_TRANSITIONS, ReviewAction, ReviewStatus, WorkflowError

from . import desk, policy, services
from .forms import NewsItemForm, NoteForm, ScheduleForm, unit_local_input
from .models import NewsItem

LIST_PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 10
SHARE_TEMPLATE = "socialmedia/_share_news_button.html"

STATUS_BADGES = {
    ReviewStatus.SUBMITTED: "warning",
    ReviewStatus.RETURNED: "warning",
    ReviewStatus.REJECTED: "danger",
    ReviewStatus.UNPUBLISHED: "danger",
}


def _action_label(action: str) -> str:
    if action in ReviewAction.values:
        return str(ReviewAction(action).label)
    return {policy.SCHEDULE: _("Ubah jadwal terbit")}.get(action, action)


def _status_label(status: str) -> str:
    return str(ReviewStatus(status).label) if status in ReviewStatus.values else status


def _visible_item_or_404(request, pk: int, *, related=("unit", "author", "category", "featured_image")):
    """The item if the user may see it. Items outside the user's units are
    reported as missing, not forbidden, so their existence does not leak."""
    item = get_object_or_404(NewsItem.objects.select_related(*related), pk=pk)
    if not policy.can(request.user, policy.VIEW, item=item):
        raise Http404
    return item


def _safe_next(request) -> str:
    """The ``next`` address of the request (a form's field, or the query of
    a page opened from a link) when it is on this site, else ``""``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _redirect_back(request, item: NewsItem) -> HttpResponseRedirect:
    target = _safe_next(request)
    if target:
        return HttpResponseRedirect(target)
    return redirect("news:desk_detail", pk=item.pk)


def _share_template(item: NewsItem) -> str | None:
    """The social-media share button's template, when that app provides one."""
    if not item.is_published:
        return None
    try:
        get_template(SHARE_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return SHARE_TEMPLATE


def _decision_notes() -> dict[str, bool]:
    """Whether the verifier's return and reject forms need a note: the
    workflow's rule, so the forms ask exactly what the service will check."""
    return {
        "return_note_required": REVIEW_TRANSITIONS[policy.RETURN].note_required,
        "reject_note_required": REVIEW_TRANSITIONS[policy.REJECT].note_required,
    }


# --- Lists ----------------------------------------------------------------------


@login_required
def desk_list(request):
    """Berita saya / unit saya: every item of the user's units, newest
    change first, filtered by status."""
    user = request.user
    if not policy.can(user, policy.VIEW):
        raise PermissionDenied(_("Anda tidak memiliki peran di meja redaksi berita."))
    items = (
        NewsItem.objects.filter(policy.visible_items(user))
        .select_related("unit", "author", "category")
        .order_by("-updated_at", "-id")
    )
    status = request.GET.get("status", "")
    if status in ReviewStatus.values:
        items = items.filter(status=status)
    else:
        status = ""
    mine = request.GET.get("saya") == "1"
    if mine:
        items = items.filter(author=user)
    this_week = request.GET.get(desk.PUBLISHED_PARAM) == desk.THIS_WEEK
    if this_week:
        items = items.filter(desk.published_this_week())
    query = request.GET.get("q", "").strip()
    if query:
        items = items.filter(Q(title__icontains=query) | Q(lead__icontains=query))
    page = Paginator(items, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/desk/list.html",
        {
            "page": page,
            "status": status,
            "mine": mine,
            "this_week": this_week,
            "query": query,
            "filtered": bool(status or mine or this_week or query),
            "statuses": ReviewStatus.choices,
            "status_badges": STATUS_BADGES,
            "can_create": policy.can(user, policy.CREATE),
            "can_review": policy.can(user, policy.APPROVE),
            "waiting": desk.writer_summary(user),
            "current_line": _summary_line(status=status, mine=mine, this_week=this_week, query=query),
            "week_param": desk.PUBLISHED_PARAM,
            "week_value": desk.THIS_WEEK,
        },
    )


# Which line of the writer's summary the list's filters show, to mark it.
_SUMMARY_LINES = {
    (ReviewStatus.RETURNED, False): "returned",
    (ReviewStatus.SUBMITTED, False): "submitted",
    (ReviewStatus.APPROVED, False): "scheduled",
    (ReviewStatus.PUBLISHED, True): "published_week",
}


def _summary_line(*, status: str, mine: bool, this_week: bool, query: str) -> str:
    if not mine or query:
        return ""
    return _SUMMARY_LINES.get((status, this_week), "")


@login_required
def desk_queue(request):
    """The Kasubbag TU's queue: submitted items of every unit under the
    office, oldest submission first."""
    user = request.user
    if not policy.can(user, policy.APPROVE):
        raise PermissionDenied(_("Antrean verifikasi hanya untuk verifikator."))
    items = (
        NewsItem.objects.filter(policy.review_queue(user))
        .select_related("unit", "author", "category", "featured_image")
        .order_by("submitted_at", "id")
    )
    page = Paginator(items, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.publish_at_input = unit_local_input(item.publish_at, item.unit)
    return render(
        request,
        "news/desk/queue.html",
        {"page": page, "next": request.get_full_path(), **_decision_notes()},
    )


# --- Writing ------------------------------------------------------------------------


@login_required
def desk_create(request):
    user = request.user
    if not policy.can(user, policy.CREATE):
        raise PermissionDenied(_("Anda tidak memiliki peran penulis berita."))
    if request.method == "POST":
        held = HeldUploads.for_request(request, "news-create")
        form = NewsItemForm(request.POST, request.FILES, user=user, held_uploads=held)
        if form.is_valid():
            try:
                item = services.news_create(actor=user, **form.service_kwargs())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Draf berita tersimpan."))
                return _after_save(request, item)
    else:
        form = NewsItemForm(user=user)
    return render(request, "news/desk/form.html", {"form": form, "item": None})


@login_required
def desk_edit(request, pk: int):
    user = request.user
    item = _visible_item_or_404(request, pk)
    if not policy.can(user, policy.EDIT, item=item):
        if policy.can(user, policy.SUBMIT, item=item):
            # The item's own writer: tell them why, rather than a bare 403.
            messages.warning(request, services.lock_message())
            return redirect("news:desk_detail", pk=item.pk)
        raise PermissionDenied(_("Anda tidak berwenang mengubah berita ini."))
    if request.method == "POST":
        held = HeldUploads.for_request(request, f"news-edit:{item.pk}")
        form = NewsItemForm(request.POST, request.FILES, user=user, item=item, held_uploads=held)
        if form.is_valid():
            try:
                item = services.news_update(item=item, actor=user, **form.service_kwargs())
            except ValidationError as error:
                form.add_error(None, error)
            except PermissionDenied as error:
                messages.error(request, str(error) or _("Berita ini tidak dapat diubah."))
                return redirect("news:desk_detail", pk=item.pk)
            else:
                messages.success(request, _("Perubahan tersimpan."))
                return _after_save(request, item)
    else:
        form = NewsItemForm(user=user, item=item)
    return render(request, "news/desk/form.html", {"form": form, "item": item})


def _after_save(request, item: NewsItem):
    """Save, and with "Simpan dan ajukan" also submit in the same request."""
    if "ajukan" in request.POST:
        try:
            services.news_submit(item=item, actor=request.user)
        except (WorkflowError, PermissionDenied) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Berita diajukan untuk verifikasi."))
    return redirect("news:desk_detail", pk=item.pk)


# --- Reading one item ----------------------------------------------------------------


@login_required
def desk_detail(request, pk: int):
    item = _visible_item_or_404(request, pk)
    actions = policy.available_actions(request.user, item)
    history = [
        {
            "entry": entry,
            "action": _action_label(entry.action),
            "from": _status_label(entry.from_state),
            "to": _status_label(entry.to_state),
        }
        for entry in history_for(item)
    ]
    return render(
        request,
        "news/desk/detail.html",
        {
            "item": item,
            "actions": actions,
            "history": history,
            "tags": item.tags.all(),
            "gallery": item.images.filter(in_gallery=True),
            "revision_count": item.revisions.count(),
            "status_badges": STATUS_BADGES,
            "publish_at_input": unit_local_input(item.publish_at, item.unit),
            "share_template": _share_template(item),
            **_decision_notes(),
        },
    )


@login_required
def desk_preview(request, pk: int):
    """The item as readers will see it, before it is published."""
    item = _visible_item_or_404(request, pk)
    return render(
        request,
        "news/desk/preview.html",
        {"item": item, "tags": item.tags.all(), "gallery": item.images.filter(in_gallery=True)},
    )


# --- Workflow actions (POST, one small form each) -------------------------------------


def _run(request, item: NewsItem, call, success: str):
    try:
        call()
    except WorkflowError as error:
        messages.error(request, str(error))
    except PermissionDenied:
        raise
    else:
        messages.success(request, success)
    return _redirect_back(request, item)


@login_required
@require_POST
def desk_submit(request, pk: int):
    item = _visible_item_or_404(request, pk)
    return _run(
        request,
        item,
        lambda: services.news_submit(item=item, actor=request.user),
        _("Berita “%(title)s” diajukan untuk verifikasi.") % {"title": item.title},
    )


@login_required
@require_POST
def desk_approve(request, pk: int):
    item = _visible_item_or_404(request, pk)
    form = ScheduleForm(request.POST, unit=item.unit)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _redirect_back(request, item)
    return _run(
        request,
        item,
        lambda: services.news_approve(
            item=item,
            actor=request.user,
            publish_at=form.cleaned_data["publish_at"],
            note=form.cleaned_data["note"],
        ),
        _("Berita “%(title)s” disetujui.") % {"title": item.title},
    )


def _note_action(request, pk: int, service, note_argument: str, success: str):
    """Run a transition whose only input is a note (or a reason); the service
    decides whether an empty one is acceptable."""
    item = _visible_item_or_404(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _run(
        request,
        item,
        lambda: service(item=item, actor=request.user, **{note_argument: note}),
        success % {"title": item.title},
    )


@login_required
@require_POST
def desk_return(request, pk: int):
    return _note_action(
        request, pk, services.news_return, "note", _("Berita “%(title)s” dikembalikan untuk revisi.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def desk_reject(request, pk: int):
    """Reject in two steps: the reason (typed in the decision form, or on
    this page), then this page, which says what a rejection means and asks
    for a confirmation. Only a POST with ``confirm`` rejects; everything
    before it is a plain form, so the step holds without scripts."""
    item = _visible_item_or_404(request, pk)
    user = request.user
    if not policy.can(user, policy.REJECT, item=item):
        raise PermissionDenied(_("Anda tidak berwenang menolak berita ini."))
    if policy.REJECT not in policy.available_actions(user, item):
        messages.error(
            request,
            _("Berita ini tidak lagi menunggu verifikasi (statusnya “%(status)s”).")
            % {"status": item.get_status_display()},
        )
        return _redirect_back(request, item)
    form = NoteForm(request.POST or None)
    reason = form.cleaned_data["note"].strip() if form.is_valid() else ""
    transition = REVIEW_TRANSITIONS[policy.REJECT]
    reason_missing = transition.note_required and not reason
    if request.method == "POST" and request.POST.get("confirm") == "1" and not reason_missing:
        return _run(
            request,
            item,
            lambda: services.news_reject(item=item, actor=user, reason=reason),
            _("Berita “%(title)s” ditolak.") % {"title": item.title},
        )
    # The reason is missing only once someone has tried to give one: a page
    # opened from a link starts with an empty field, not with an error.
    reason_error = transition.note_missing_message if reason_missing and request.method == "POST" else ""
    return render(
        request,
        "news/desk/reject.html",
        {
            "item": item,
            "reason": reason,
            "reason_error": reason_error,
            "reason_required": transition.note_required,
            "next": _safe_next(request),
            "cancel_url": _safe_next(request) or reverse("news:desk_detail", args=[item.pk]),
        },
    )


@login_required
@require_POST
def desk_schedule(request, pk: int):
    item = _visible_item_or_404(request, pk)
    form = ScheduleForm(request.POST, unit=item.unit)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _redirect_back(request, item)
    return _run(
        request,
        item,
        lambda: services.news_schedule(
            item=item, actor=request.user, publish_at=form.cleaned_data["publish_at"]
        ),
        _("Jadwal terbit diperbarui."),
    )


@login_required
@require_POST
def desk_unpublish(request, pk: int):
    return _note_action(request, pk, services.news_unpublish, "reason", _("Berita “%(title)s” diturunkan."))


@login_required
@require_POST
def desk_redraft(request, pk: int):
    return _note_action(request, pk, services.news_redraft, "note", _("Berita dibuka kembali sebagai draf."))


# --- Revisions ------------------------------------------------------------------------


@login_required
def desk_revisions(request, pk: int):
    item = _visible_item_or_404(request, pk)
    revisions = list(item.revisions.select_related("created_by").order_by("-number"))
    return render(request, "news/desk/revisions.html", {"item": item, "revisions": revisions})


@login_required
def desk_compare(request, pk: int):
    """Two revisions side by side, changed words highlighted."""
    item = _visible_item_or_404(request, pk)
    revisions = {rev.number: rev for rev in item.revisions.select_related("created_by")}
    if len(revisions) < 2:
        messages.info(request, _("Belum ada dua revisi untuk dibandingkan."))
        return redirect("news:desk_revisions", pk=item.pk)
    numbers = sorted(revisions)
    try:
        old_number = int(request.GET.get("a", numbers[-2]))
        new_number = int(request.GET.get("b", numbers[-1]))
    except ValueError:
        raise Http404 from None
    if old_number not in revisions or new_number not in revisions:
        raise Http404
    if old_number > new_number:
        old_number, new_number = new_number, old_number
    old, new = revisions[old_number], revisions[new_number]
    return render(
        request,
        "news/desk/compare.html",
        {
            "item": item,
            "old": old,
            "new": new,
            "numbers": numbers,
            "title_diff": diff_words(old.title, new.title),
            "lead_diff": diff_words(old.lead, new.lead),
            "body_rows": diff_blocks(text_blocks(old.body), text_blocks(new.body)),
        },
    )


# Block-level ends in the editor's markup: each becomes its own line so the
# comparison works paragraph by paragraph.
_BLOCK_END = re.compile(r"</(p|h2|h3|li|blockquote|figcaption|tr|th|td)>|<br\s*/?>", re.IGNORECASE)
_IMAGE = re.compile(r"<img\b[^>]*?>", re.IGNORECASE)
_ATTR = re.compile(r'(src|alt)="([^"]*)"')


def _image_marker(match: re.Match) -> str:
    attrs = dict(_ATTR.findall(match.group(0)))
    name = html.unescape(attrs.get("src", "")).rsplit("/", 1)[-1]
    alt = html.unescape(attrs.get("alt", ""))
    return "\n" + _("[Gambar: %(name)s %(alt)s]") % {"name": name, "alt": alt} + "\n"


def text_blocks(body: str) -> list[str]:
    """The body's readable text, one entry per paragraph (images as a
    marker), for comparing revisions."""
    text = _IMAGE.sub(_image_marker, body)
    text = _BLOCK_END.sub("\n", text)
    text = html.unescape(strip_tags(text))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _tokens(text: str) -> list[str]:
    return re.findall(r"\S+|\s+", text)


def diff_words(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Old and new text, escaped, with removed words in ``<del>`` and added
    words in ``<ins>``."""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    left, right = [], []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed = escape("".join(old_tokens[i1:i2]))
        added = escape("".join(new_tokens[j1:j2]))
        if tag == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f"<del>{removed}</del>")
        if added:
            right.append(f"<ins>{added}</ins>")
    # Every piece of text above went through escape().
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308


def diff_blocks(old: list[str], new: list[str]) -> list[dict]:
    """Rows of a side-by-side comparison: paragraphs paired up, changed ones
    compared word by word."""
    rows = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend({"kind": "same", "old": escape(text), "new": escape(text)} for text in old[i1:i2])
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for index in range(max(len(olds), len(news))):
            before = olds[index] if index < len(olds) else None
            after = news[index] if index < len(news) else None
            if before is not None and after is not None:
                left, right = diff_words(before, after)
                rows.append({"kind": "changed", "old": left, "new": right})
            elif before is not None:
                rows.append({"kind": "removed", "old": mark_safe(f"<del>{escape(before)}</del>"), "new": ""})  # noqa: S308
            else:
                rows.append({"kind": "added", "old": "", "new": mark_safe(f"<ins>{escape(after)}</ins>")})  # noqa: S308
    return rows
