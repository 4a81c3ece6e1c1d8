"""Staff pages for social posts: the list, writing and editing, the post
page with its deliveries, review actions, and sharing a news item.

Every view asks ``socialmedia.policy`` and calls a service; none decides
permissions or changes state itself.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from humas_portal.core.audit import history_for
from humas_portal.core.models import AuditEntry, WorkUnit
from humas_portal.core.workflow import ReviewAction, ReviewStatus, WorkflowError

from . import policy, publishing, services
from .forms import MarkPublishedForm, NoteForm, PostForm
from .models import Delivery, DeliveryState, Platform, SocialPost
from .validation import composer_rules, post_problems

PAGE_SIZE = 20
ACTION_LABELS = {
    "created": gettext_lazy("Dibuat"),
    "updated": gettext_lazy("Diubah"),
    **{action.value: action.label for action in ReviewAction},
    "delivery_scheduled": gettext_lazy("Pengiriman dijadwalkan"),
    "delivery_claimed": gettext_lazy("Pengiriman dimulai"),
    "delivery_published": gettext_lazy("Terbit di platform"),
    "delivery_failed": gettext_lazy("Pengiriman gagal"),
    "delivery_unconfirmed": gettext_lazy("Belum terkonfirmasi"),
    "delivery_rescheduled": gettext_lazy("Dijadwalkan ulang"),
    "delivery_cancelled": gettext_lazy("Pengiriman dibatalkan"),
    "delivery_retried": gettext_lazy("Dikirim ulang"),
}
STATE_LABELS = {**dict(ReviewStatus.choices), **dict(DeliveryState.choices)}
CHECKED_STATUSES = (ReviewStatus.DRAFT, ReviewStatus.RETURNED, ReviewStatus.SUBMITTED)
# The words socialmedia-composer.js writes into the page.
COMPOSER_STRINGS = {
    "count": gettext_lazy("%(count)s dari %(max)s karakter"),
    "count_bytes": gettext_lazy("%(count)s dari %(max)s bita"),
    "hashtags": gettext_lazy("tagar %(count)s dari %(max)s"),
    "mentions": gettext_lazy("sebutan @ %(count)s dari %(max)s"),
    "over": gettext_lazy("melebihi batas"),
    "own_text": gettext_lazy("teks khusus"),
    "more_accounts": gettext_lazy("+%(count)s akun lain"),
    "video": gettext_lazy("Video: %(name)s"),
    "no_video": gettext_lazy("Belum ada video (wajib untuk platform ini)."),
    "no_title": gettext_lazy("(judul video belum diisi)"),
    "empty_text": gettext_lazy("(teks masih kosong)"),
    "x_note": gettext_lazy("tautan dihitung 23, huruf non-Latin dan emoji 2"),
}


def _post_or_404(user, pk: int) -> SocialPost:
    post = get_object_or_404(SocialPost.objects.select_related("unit", "author", "decided_by"), pk=pk)
    if not policy.can_view_post(user, post):
        # Not revealing that the post exists elsewhere.
        raise Http404
    return post


@login_required
def post_list(request):
    """Posts of the units the user covers, newest schedule first; cards that
    read well on a phone."""
    units = list(policy.viewer_units(request.user).order_by("path"))
    if not units:
        raise PermissionDenied
    posts = policy.visible_posts(request.user).for_listing()
    status = request.GET.get("status", "")
    if status in ReviewStatus.values:
        posts = posts.filter(status=status)
    unit_id = request.GET.get("unit", "")
    selected_unit = next((u for u in units if str(u.pk) == unit_id), None)
    if selected_unit is not None:
        posts = posts.filter(unit=selected_unit)
    platform = request.GET.get("platform", "")
    if platform in Platform.values:
        posts = posts.filter(accounts__platform=platform).distinct()
    page = Paginator(posts.order_by("-scheduled_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "socialmedia/post_list.html",
        {
            "page": page,
            "units": units,
            "selected_unit": selected_unit,
            "status": status,
            "platform": platform,
            "statuses": ReviewStatus.choices,
            "platforms": Platform.choices,
            "can_write": policy.writer_units(request.user).exists(),
            "review_count": policy.review_queue(request.user).count(),
        },
    )


def _writer_unit(request) -> WorkUnit | None:
    units = list(policy.writer_units(request.user).order_by("path"))
    if not units:
        raise PermissionDenied
    if len(units) == 1:
        return units[0]
    chosen = request.POST.get("unit") or request.GET.get("unit")
    return next((u for u in units if str(u.pk) == chosen), None)


def _composer_context(form: PostForm, unit: WorkUnit, post: SocialPost | None) -> dict:
    return {
        "form": form,
        "unit": unit,
        "post": post,
        # For the live counts and previews of socialmedia-composer.js.
        "rules": composer_rules(),
        "stored_media": form.stored_media(),
        "composer_strings": COMPOSER_STRINGS,
    }


@login_required
def post_create(request):
    unit = _writer_unit(request)
    if unit is None:
        units = policy.writer_units(request.user).order_by("path")
        return render(request, "socialmedia/post_choose_unit.html", {"units": units})
    with timezone.override(unit.tzinfo):
        if request.method == "POST":
            form = PostForm(request.POST, request.FILES, unit=unit)
            if form.is_valid():
                try:
                    post = services.post_create(
                        actor=request.user,
                        unit=unit,
                        text=form.cleaned_data["text"],
                        title=form.cleaned_data["title"],
                        link=form.cleaned_data["link"],
                        platform_texts=form.platform_texts(),
                        scheduled_at=form.cleaned_data["scheduled_at"],
                        accounts=form.cleaned_data["accounts"],
                        images_to_add=form.cleaned_data["images"],
                        video=form.cleaned_data["video"],
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request, _("Draf kiriman tersimpan. Periksa lalu ajukan untuk verifikasi.")
                    )
                    return redirect(post)
        else:
            form = PostForm(unit=unit, initial={"scheduled_at": services.next_slot()})
        return render(request, "socialmedia/post_form.html", _composer_context(form, unit, None))


@login_required
def post_edit(request, pk: int):
    post = _post_or_404(request.user, pk)
    if not policy.can_edit_post(request.user, post):
        raise PermissionDenied
    with timezone.override(post.unit.tzinfo):
        if request.method == "POST":
            form = PostForm(request.POST, request.FILES, unit=post.unit, post=post)
            if form.is_valid():
                try:
                    post = services.post_update(
                        post=post,
                        actor=request.user,
                        text=form.cleaned_data["text"],
                        title=form.cleaned_data["title"],
                        link=form.cleaned_data["link"],
                        platform_texts=form.platform_texts(),
                        scheduled_at=form.cleaned_data["scheduled_at"],
                        accounts=form.cleaned_data["accounts"],
                        images_to_add=form.cleaned_data["images"],
                        video=form.cleaned_data["video"],
                        remove_media=[m.pk for m in form.cleaned_data["remove_media"]],
                    )
                except (ValidationError, WorkflowError) as error:
                    form.add_error(None, error if isinstance(error, ValidationError) else str(error))
                else:
                    messages.success(request, _("Perubahan tersimpan."))
                    return redirect(post)
        else:
            initial = {
                "text": post.text,
                "title": post.title,
                "link": post.link,
                "scheduled_at": post.scheduled_at,
                "accounts": list(post.accounts.all()),
            }
            initial.update({f"text_{k}": v for k, v in (post.platform_texts or {}).items()})
            form = PostForm(unit=post.unit, post=post, initial=initial)
        return render(request, "socialmedia/post_form.html", _composer_context(form, post.unit, post))


@login_required
def post_detail(request, pk: int):
    post = _post_or_404(request.user, pk)
    deliveries = list(
        post.deliveries.select_related("account").order_by("account__platform", "account__display_name")
    )
    for delivery in deliveries:
        delivery.may_retry = policy.can_retry_delivery(request.user, delivery)
        delivery.may_mark = policy.can_mark_published(request.user, delivery)
    history = list(history_for(post))
    if deliveries:
        history = sorted(
            history + list(history_for_deliveries(deliveries)), key=lambda e: (e.created_at, e.pk)
        )
    for entry in history:
        entry.label = ACTION_LABELS.get(entry.action, entry.action)
        entry.from_label = STATE_LABELS.get(entry.from_state, entry.from_state)
        entry.to_label = STATE_LABELS.get(entry.to_state, entry.to_state)
        entry.is_delivery = entry.action.startswith("delivery_")
        # A delivery's name is "post → account"; on the post's page the
        # account says enough.
        entry.subject = entry.object_repr.rsplit(" → ", 1)[-1]
    return render(
        request,
        "socialmedia/post_detail.html",
        {
            "post": post,
            "media": list(post.media.all()),
            "accounts": list(post.accounts.all()),
            "deliveries": deliveries,
            "actions": policy.actions_for(request.user, post),
            "can_edit": policy.can_edit_post(request.user, post),
            # Shown while the post can still change or be decided on.
            "problems": post_problems(post) if post.status in CHECKED_STATUSES else [],
            "history": history,
            "platform_texts": [
                (Platform(k).label, v) for k, v in (post.platform_texts or {}).items() if k in Platform.values
            ],
            "note_form": NoteForm(),
            "mark_form": MarkPublishedForm(),
            "ReviewAction": ReviewAction,
        },
    )


def history_for_deliveries(deliveries):
    """The audit rows of a post's deliveries (claims, outcomes, checks)."""
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Delivery),
            object_id__in=[str(d.pk) for d in deliveries],
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


@login_required
@require_POST
def post_action(request, pk: int, action: str):
    post = _post_or_404(request.user, pk)
    if action not in ReviewAction.values or not policy.can_act(request.user, post, action):
        raise PermissionDenied
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        services.post_transition(
            post=post, actor=request.user, action=action, note=form.cleaned_data.get("note", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Kiriman kini berstatus “%(status)s”.")
            % {"status": SocialPost.objects.get(pk=post.pk).get_status_display()},
        )
    return redirect(post)


def _delivery_or_404(user, pk: int) -> Delivery:
    delivery = get_object_or_404(Delivery.objects.select_related("post__unit", "account"), pk=pk)
    if not policy.can_view_post(user, delivery.post):
        raise Http404
    return delivery


@login_required
@require_POST
def delivery_retry(request, pk: int):
    delivery = _delivery_or_404(request.user, pk)
    if not policy.can_retry_delivery(request.user, delivery):
        raise PermissionDenied
    try:
        publishing.delivery_retry(delivery=delivery, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Pengiriman ke %(account)s dijadwalkan ulang.") % {"account": delivery.account}
        )
    return redirect(delivery.post)


@login_required
@require_POST
def delivery_mark_published(request, pk: int):
    delivery = _delivery_or_404(request.user, pk)
    if not policy.can_mark_published(request.user, delivery):
        raise PermissionDenied
    form = MarkPublishedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tautan tidak valid."))
        return redirect(delivery.post)
    try:
        publishing.delivery_mark_published(
            delivery=delivery, actor=request.user, url=form.cleaned_data["url"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Pengiriman ke %(account)s ditandai terbit.") % {"account": delivery.account}
        )
    return redirect(delivery.post)


@login_required
@require_POST
def share_news(request, pk: int):
    """Draft a post from a published news item and open it for editing."""
    from news.models import NewsItem

    item = get_object_or_404(NewsItem.objects.select_related("unit", "featured_image"), pk=pk)
    if not policy.can_share_news(request.user, item):
        raise PermissionDenied
    post = services.post_draft_from_news(item=item, actor=request.user)
    messages.success(request, _("Draf kiriman media sosial dibuat dari berita. Periksa lalu ajukan."))
    return redirect("socialmedia:post_edit", pk=post.pk)
