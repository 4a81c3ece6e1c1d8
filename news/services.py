"""Writes of the news desk: every change to a news item goes through here.

Each state change runs through the portal's transition engine
(``humas_portal.core.workflow``) with the review table and the permission of
``news.policy`` (``PermissionDenied``): it checks the state under a row lock
(``WorkflowError`` with an Indonesian message) and writes the audit row.
Side effects (emails, the publishing task) are queued with
``transaction.on_commit`` so nothing is sent for a change that was rolled
back.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from humas_portal.core.audit import audit_record
from humas_portal.core.models import Role, User, WorkUnit
from humas_portal.core.notify import send_templated_email
from humas_portal.core.policy import users_with_role
from humas_portal.core.templatetags.portal import tz_abbr
from humas_portal.core.text import clean_name
from humas_portal.core.workflow import (
    REVIEW_TRANSITIONS,
    ReviewAction,
    ReviewStatus,
    WorkflowError,
    transition_apply,
    transition_claim,
    transition_claim_set,
)

from . import policy, selectors, subscriptions
from .images import news_image_create
from .models import Category, NewsImage, NewsItem, NewsRevision, NewsSubscription, Tag
from .sanitize import sanitize_html

logger = logging.getLogger(__name__)

# Fields a writer may change with ``news_update``; anything else (status,
# slug, author, publication) only changes through the workflow services.
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "lead",
        "body",
        "featured_caption",
        "dateline",
        "reporter",
        "editor_credit",
        "photo_credit",
        "unit",
        "category",
        "priority_program",
        "event_date",
        "publish_at",
    }
)
REVISED_FIELDS = ("title", "lead", "body")
# Plain-text fields, stored without surrounding spaces.
TEXT_FIELDS = ("title", "lead", "dateline", "reporter", "editor_credit", "photo_credit", "featured_caption")
SLUG_MAX_LENGTH = 200
MAX_GALLERY_IMAGES = 30


# --- Helpers --------------------------------------------------------------------


def _require(actor: User, action: str, item: NewsItem | None = None, unit: WorkUnit | None = None) -> None:
    if policy.can(actor, action, item=item, unit=unit):
        return
    if action == policy.EDIT and item is not None and policy.can(actor, policy.SUBMIT, item=item):
        raise PermissionDenied(lock_message())
    if action in policy.NOT_BY_AUTHOR and item is not None and policy.is_author(actor, item):
        raise PermissionDenied(policy.own_item_message())
    raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini pada berita tersebut."))


def lock_message() -> str:
    return _(
        "Berita ini sedang diverifikasi atau sudah disetujui, sehingga terkunci dan tidak dapat diubah. "
        "Berita dapat diubah lagi bila dikembalikan untuk revisi."
    )


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """``slugify(title)``, with ``-2``, ``-3`` … when it is already taken."""
    base = slugify(title)[:SLUG_MAX_LENGTH].strip("-") or "berita"
    taken_query = NewsItem.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken_query = taken_query.exclude(pk=exclude_pk)
    taken = set(taken_query.values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        number += 1


def _save_with_unique_slug(item: NewsItem, *, title_changed: bool) -> None:
    """Save ``item``, (re)deriving its slug from the title while it has never
    been published (a published address stays stable). Two writers choosing
    the same slug at once meet the unique constraint; the loser retries."""
    for attempt in range(5):
        if title_changed or not item.slug:
            item.slug = _unique_slug(item.title, exclude_pk=item.pk)
        try:
            with transaction.atomic():
                item.save()
            return
        except IntegrityError:
            if attempt == 4:
                raise
            title_changed = True


def _tags_from_names(names: Iterable[str]) -> list[Tag]:
    tags: dict[str, Tag] = {}
    for raw in names:
        name = clean_name(raw)[:80]
        slug = slugify(name)[:100]
        if not slug or slug in tags:
            continue
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        tags[slug] = tag
    return list(tags.values())


def _next_revision_number(item: NewsItem) -> int:
    last = item.revisions.aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def _record_revision(item: NewsItem, *, actor: User | None) -> NewsRevision:
    return NewsRevision.objects.create(
        item=item,
        number=_next_revision_number(item),
        title=item.title,
        lead=item.lead,
        body=item.body,
        created_by=actor,
    )


def _body_media_names(body: str) -> list[str]:
    """Storage names of our own media that the body shows (editor uploads)."""
    media_url = settings.MEDIA_URL
    names = []
    for src in re.findall(r'<img[^>]*\ssrc="([^"]+)"', body):
        src = html.unescape(src)
        if media_url and src.startswith(media_url):
            names.append(src[len(media_url) :])
    return names


def _attach_images(
    *,
    item: NewsItem,
    actor: User,
    featured_upload: UploadedFile | None = None,
    gallery_uploads: Iterable[UploadedFile] = (),
    remove_image_ids: Iterable[int] = (),
) -> None:
    """Store the form's photos and claim the editor uploads the body shows,
    so every photo of an item hangs on it."""
    remove_ids = list(remove_image_ids)
    if remove_ids:
        removed = item.images.filter(pk__in=remove_ids)
        if item.featured_image_id in set(removed.values_list("pk", flat=True)):
            item.featured_image = None
            item.save(update_fields=["featured_image"])
        removed.delete()
    if featured_upload is not None:
        image = news_image_create(
            upload=featured_upload,
            uploaded_by=actor,
            unit=item.unit,
            item=item,
            caption=item.featured_caption,
        )
        item.featured_image = image
        item.save(update_fields=["featured_image"])
    elif item.featured_image_id and item.featured_image.caption != item.featured_caption:
        NewsImage.objects.filter(pk=item.featured_image_id).update(
            caption=item.featured_caption, alt_text=item.featured_caption
        )
    gallery_uploads = list(gallery_uploads)
    if gallery_uploads:
        position = item.images.filter(in_gallery=True).aggregate(last=Max("position"))["last"] or 0
        for upload in gallery_uploads:
            position += 1
            image = news_image_create(
                upload=upload, uploaded_by=actor, unit=item.unit, item=item, in_gallery=True
            )
            NewsImage.objects.filter(pk=image.pk).update(position=position)
    names = _body_media_names(item.body)
    if names:
        NewsImage.objects.filter(item__isnull=True, uploaded_by=actor, original__in=names).update(item=item)


def _desk_url(item: NewsItem) -> str:
    return settings.SITE_URL + reverse("news:desk_detail", kwargs={"pk": item.pk})


def _public_url(item: NewsItem) -> str:
    return settings.SITE_URL + item.get_absolute_url()


def _unsubscribe_url(token: str) -> str:
    return settings.SITE_URL + reverse("news:unsubscribe", kwargs={"token": token})


def _send_on_commit(
    *, to: Iterable[str], template: str, context: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    """Send after the transaction commits. A mail server that is down must
    not turn a saved decision into an error page, so failures are logged."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return

    def send() -> None:
        try:
            send_templated_email(
                to=recipients, template=f"news/email/{template}", context=context, headers=headers
            )
        except OSError:
            logger.exception("Sending %s for a news item failed", template)

    transaction.on_commit(send)


def _notify_author(item: NewsItem, *, actor: User | None, template: str, note: str = "") -> None:
    author = item.author
    if actor is not None and author.pk == actor.pk:
        return  # the author took the action themselves
    _send_on_commit(
        to=[author.email],
        template=template,
        context={
            "item": item,
            "unit": item.unit,
            "actor": actor,
            "note": note,
            "desk_url": _desk_url(item),
            "public_url": _public_url(item),
        },
    )


# A Redis broker hands an unacknowledged task to another worker after its
# visibility timeout (one hour), so a task with a far-off ETA would be
# delivered again every hour and wait in worker memory meanwhile. Items due
# later than this are left to the beat sweep, which runs every few seconds.
ETA_HORIZON = timedelta(minutes=50)


def _queue_publishing(item: NewsItem) -> None:
    """Queue the publishing task for when the item is due. If the broker is
    down, or the item is due far ahead, the beat sweep
    (``publish_due_news``) publishes it."""
    from news import tasks  # tasks import services; import here to avoid a cycle

    item_id, publish_at = item.pk, item.publish_at

    def queue() -> None:
        now = timezone.now()
        try:
            if publish_at is None or publish_at <= now:
                tasks.publish_news.delay(item_id)
            elif publish_at - now <= ETA_HORIZON:
                tasks.publish_news.apply_async(args=[item_id], eta=publish_at)
        except (BrokerError, OSError):
            logger.warning("Could not queue publishing of news item %s; the sweep will publish it", item_id)

    transaction.on_commit(queue)


# --- Writing ----------------------------------------------------------------------


@transaction.atomic
def news_create(
    *,
    actor: User,
    unit: WorkUnit,
    title: str,
    lead: str,
    body: str,
    category: Category | None = None,
    tags: Iterable[str] = (),
    priority_program: str = "",
    dateline: str = "",
    reporter: str = "",
    editor_credit: str = "",
    photo_credit: str = "",
    event_date: date | None = None,
    publish_at: datetime | None = None,
    featured_caption: str = "",
    featured_upload: UploadedFile | None = None,
    gallery_uploads: Iterable[UploadedFile] = (),
) -> NewsItem:
    """Create a draft written by ``actor`` for ``unit``.

    The body is sanitised, the slug derived from the title (unique, with a
    numeric suffix when needed) and the first revision recorded. Photos are
    checked and stored; an unacceptable photo raises ``ValidationError`` and
    nothing is saved.
    """
    _require(actor, policy.CREATE, unit=unit)
    item = NewsItem(
        author=actor,
        unit=unit,
        title=title.strip(),
        lead=lead.strip(),
        body=sanitize_html(body),
        category=category,
        priority_program=priority_program,
        dateline=dateline.strip(),
        reporter=reporter.strip(),
        editor_credit=editor_credit.strip(),
        photo_credit=photo_credit.strip(),
        event_date=event_date,
        publish_at=publish_at,
        featured_caption=featured_caption.strip(),
        status=ReviewStatus.DRAFT,
    )
    _save_with_unique_slug(item, title_changed=True)
    item.tags.set(_tags_from_names(tags))
    _record_revision(item, actor=actor)
    _attach_images(item=item, actor=actor, featured_upload=featured_upload, gallery_uploads=gallery_uploads)
    return item


@transaction.atomic
def news_update(
    *,
    item: NewsItem,
    actor: User,
    tags: Iterable[str] | None = None,
    featured_upload: UploadedFile | None = None,
    gallery_uploads: Iterable[UploadedFile] = (),
    remove_image_ids: Iterable[int] = (),
    **changes: Any,
) -> NewsItem:
    """Change an editable (draft or returned) item; returns the fresh row.

    ``changes`` are values of ``EDITABLE_FIELDS``. The body is sanitised; a
    change of title, lead or body is kept as a new revision; the slug follows
    the title until the item is first published. Moving the item to another
    unit needs the right to write there too.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable through news_update: {sorted(unknown)}")
    _require(actor, policy.EDIT, item=item)
    # Lock the row: a submit racing with this save must not slip a changed
    # text past the verifier.
    locked = NewsItem.objects.select_for_update().select_related("unit").get(pk=item.pk)
    if not locked.is_editable:
        raise PermissionDenied(lock_message())
    if "unit" in changes and changes["unit"] != locked.unit:
        _require(actor, policy.CREATE, unit=changes["unit"])
    if "body" in changes:
        changes["body"] = sanitize_html(changes["body"])
    for field in TEXT_FIELDS:
        if field in changes and isinstance(changes[field], str):
            changes[field] = changes[field].strip()

    if not locked.revisions.exists():
        # Items that came in some other way get their original text kept
        # first, so the first edit can be compared with it.
        _record_revision(locked, actor=locked.author)
    before = {field: getattr(locked, field) for field in REVISED_FIELDS}
    for field, value in changes.items():
        setattr(locked, field, value)
    title_changed = locked.title != before["title"] and locked.published_at is None
    _save_with_unique_slug(locked, title_changed=title_changed)
    if tags is not None:
        locked.tags.set(_tags_from_names(tags))
    if any(getattr(locked, field) != value for field, value in before.items()):
        _record_revision(locked, actor=actor)
    _attach_images(
        item=locked,
        actor=actor,
        featured_upload=featured_upload,
        gallery_uploads=gallery_uploads,
        remove_image_ids=remove_image_ids,
    )
    return locked


# --- Workflow -------------------------------------------------------------------


def _review(item: NewsItem, action: str, *, actor: User, note: str = "", **options: Any) -> NewsItem:
    """Move ``item`` through ``action`` of the review table, with the
    permission of ``news.policy``; returns the fresh row."""
    return transition_apply(
        item,
        action,
        machine=REVIEW_TRANSITIONS,
        actor=actor,
        permitted=lambda user, obj: policy.can(user, action, item=obj),
        denied_message=(
            policy.own_item_message()
            if action in policy.NOT_BY_AUTHOR and policy.is_author(actor, item)
            else _("Anda tidak berwenang melakukan tindakan ini pada berita tersebut.")
        ),
        note=note,
        **options,
    )


@transaction.atomic
def news_submit(*, item: NewsItem, actor: User) -> NewsItem:
    """Send a draft (or a returned item) to the verifiers of its unit, who
    are emailed once the submission is committed."""

    def complete(locked: NewsItem) -> None:
        if not (locked.title.strip() and locked.lead.strip() and strip_tags(locked.body).strip()):
            raise WorkflowError(_("Lengkapi judul, teras berita dan isi berita sebelum diajukan."))

    item = _review(item, ReviewAction.SUBMIT, actor=actor, check=complete)
    verifiers = users_with_role(Role.VERIFIKATOR, item.unit).exclude(pk=actor.pk)
    _send_on_commit(
        to=verifiers.values_list("email", flat=True),
        template="submitted",
        context={
            "item": item,
            "unit": item.unit,
            "actor": actor,
            "queue_url": settings.SITE_URL + reverse("news:desk_queue"),
            "desk_url": _desk_url(item),
        },
    )
    return item


@transaction.atomic
def news_approve(
    *, item: NewsItem, actor: User, publish_at: datetime | None = None, note: str = ""
) -> NewsItem:
    """Approve a submitted item. ``publish_at`` (aware) sets or replaces the
    publication time; without it the author's time stands, and with no time
    at all the item is published at once. Publishing runs in a worker."""
    changes = {"publish_at": publish_at} if publish_at is not None else None
    item = _review(item, ReviewAction.APPROVE, actor=actor, note=note, changes=changes)
    _queue_publishing(item)
    _notify_author(item, actor=actor, template="approved", note=note)
    return item


@transaction.atomic
def news_return(*, item: NewsItem, actor: User, note: str) -> NewsItem:
    """Give a submitted item back to its writers with a note of what to
    revise; the note is required."""
    item = _review(item, ReviewAction.RETURN, actor=actor, note=note)
    _notify_author(item, actor=actor, template="returned", note=item.review_note)
    return item


@transaction.atomic
def news_reject(*, item: NewsItem, actor: User, reason: str) -> NewsItem:
    """Refuse a submitted item for good; the reason is required."""
    item = _review(item, ReviewAction.REJECT, actor=actor, note=reason)
    _notify_author(item, actor=actor, template="rejected", note=item.review_note)
    return item


@transaction.atomic
def news_schedule(*, item: NewsItem, actor: User, publish_at: datetime | None) -> NewsItem:
    """Change when an approved item goes out (``None``: at once). Any task
    queued for the old time finds the item not yet due and does nothing."""
    _require(actor, policy.SCHEDULE, item=item)
    locked = NewsItem.objects.select_for_update().select_related("unit", "author").get(pk=item.pk)
    if locked.status != ReviewStatus.APPROVED:
        raise WorkflowError(
            _("Jadwal terbit hanya dapat diubah untuk berita yang disetujui dan belum terbit.")
        )
    locked.publish_at = publish_at
    locked.save(update_fields=["publish_at", "updated_at"])
    when = (
        f"{timezone.localtime(publish_at, locked.unit.tzinfo):%Y-%m-%d %H:%M} {tz_abbr(locked.unit)}"
        if publish_at
        else _("segera")
    )
    audit_record(
        actor=actor,
        action=policy.SCHEDULE,
        obj=locked,
        from_state=locked.status,
        to_state=locked.status,
        note=_("Jadwal terbit: %(when)s") % {"when": when},
    )
    _queue_publishing(locked)
    return locked


@transaction.atomic
def news_unpublish(*, item: NewsItem, actor: User, reason: str) -> NewsItem:
    """Take a published (or approved, not yet published) item down; the
    reason is required and is sent to the author."""
    item = _review(item, ReviewAction.UNPUBLISH, actor=actor, note=reason)
    # Readers must stop seeing the item at once, not when cached counts expire.
    transaction.on_commit(selectors.invalidate_public_cache)
    _notify_author(item, actor=actor, template="unpublished", note=reason.strip())
    return item


@transaction.atomic
def news_redraft(*, item: NewsItem, actor: User, note: str = "") -> NewsItem:
    """Re-open an unpublished or rejected item as a draft its unit can work
    on again."""
    item = _review(item, ReviewAction.REDRAFT, actor=actor, note=note)
    _notify_author(item, actor=actor, template="redrafted", note=note.strip())
    return item


# --- Publishing (workers) -------------------------------------------------------

# Items claimed per statement when due items are published as a set.
PUBLISH_BATCH_SIZE = 500


def news_publish_due(*, now: datetime | None = None, batch_size: int | None = None) -> list[int]:
    """Publish every approved item that is due, as a set; returns the ids
    this call published.

    Called by the publishing task of any item and by the beat sweep, often
    many at once (a thousand items scheduled for the same minute): each call
    claims up to ``batch_size`` due items with one conditional UPDATE whose
    rows are locked with ``SKIP LOCKED`` (``transition_claim_set``), so
    concurrent callers share the work and no item is ever claimed twice, and
    one INSERT writes their audit rows. Then, still in that transaction, the
    public site is refreshed once and the notices go out after commit. That is a handful of statements
    for hundreds of items instead of several per item.

    If publishing a set fails for a reason other than the database being
    away, the due items are published one by one, so one broken item cannot
    hold back the others (it stays approved and is logged).
    """
    now = now or timezone.now()
    batch_size = batch_size or PUBLISH_BATCH_SIZE
    published: list[int] = []
    while True:
        try:
            with transaction.atomic():
                claimed = _claim_due(now=now, limit=batch_size)
                if claimed:
                    _publish_claimed(claimed)
        except (OperationalError, InterfaceError):
            raise  # the database is away: the caller retries later
        except Exception:
            logger.exception("Publishing due news as a set failed; publishing them one by one")
            return published + _publish_each_due(now=now)
        published += [item.pk for item in claimed]
        if len(claimed) < batch_size:
            return published


def news_publish(*, item_id: int, now: datetime | None = None) -> bool:
    """Publish the due items, ``item_id`` among them if it is approved and
    due; returns whether this call published ``item_id``.

    Whichever task of a set of items due together runs first publishes them
    all (``news_publish_due``); the others find their item published, or
    locked by the caller publishing it, and return ``False``. An item that
    was unpublished or rescheduled meanwhile is left alone.
    """
    return item_id in news_publish_due(now=now)


def _published_rows():
    # What the notices need, without the text.
    return NewsItem.objects.select_related("unit", "author").defer("body", "search_vector")


def _claim_due(*, now: datetime, limit: int) -> list[NewsItem]:
    """Publish up to ``limit`` due approved items in one statement, with
    their audit rows; returns the items this caller claimed (its
    transaction holds them until commit)."""
    return transition_claim_set(
        NewsItem.objects.due_for_publishing(now).order_by("publish_at", "pk"),
        ReviewAction.PUBLISH,
        machine=REVIEW_TRANSITIONS,
        limit=limit,
        changes={"published_at": now},
        now=now,
        load=_published_rows(),
    )


def _publish_claimed(items: list[NewsItem]) -> None:
    """What follows the claim of ``items``, inside its transaction: (after
    commit) the public site's refresh and the notices. The search index
    follows the text by itself (``NewsItem.search_vector``)."""
    transaction.on_commit(selectors.invalidate_public_cache)
    subscribers = _confirmed_subscribers(unit_ids={item.unit_id for item in items})
    for item in items:
        _notify_author(item, actor=None, template="published")
        _notify_subscribers(item, subscribers)


def _publish_each_due(*, now: datetime) -> list[int]:
    """Every due item in a transaction of its own; an item that fails is
    logged and stays approved for the next sweep."""
    published = []
    failed: set[int] = set()
    while True:
        due = list(
            NewsItem.objects.due_for_publishing(now)
            .exclude(pk__in=failed)
            .order_by("publish_at", "pk")
            .values_list("pk", flat=True)[:PUBLISH_BATCH_SIZE]
        )
        if not due:
            return published
        for item_id in due:
            try:
                with transaction.atomic():
                    item = transition_claim(
                        NewsItem.objects.due_for_publishing(now),
                        item_id,
                        ReviewAction.PUBLISH,
                        machine=REVIEW_TRANSITIONS,
                        changes={"published_at": now},
                        now=now,
                        load=_published_rows(),
                    )
                    if item is not None:
                        _publish_claimed([item])
                        published.append(item_id)
            except (OperationalError, InterfaceError):
                raise
            except Exception:
                failed.add(item_id)
                logger.exception("News item %s could not be published", item_id)


def _confirmed_subscribers(*, unit_ids: set[int]) -> dict[int | None, list[tuple[int, str, str]]]:
    """Confirmed subscriptions to these units or to all units (key
    ``None``), in one query."""
    rows = (
        NewsSubscription.objects.filter(confirmed_at__isnull=False)
        .filter(Q(unit_id__in=unit_ids) | Q(unit__isnull=True))
        .values_list("unit_id", "pk", "email", "token")
    )
    by_unit: dict[int | None, list[tuple[int, str, str]]] = {}
    for unit_id, pk, email, token in rows:
        by_unit.setdefault(unit_id, []).append((pk, email, token))
    return by_unit


def _notify_subscribers(item: NewsItem, subscribers: dict[int | None, list[tuple[int, str, str]]]) -> None:
    """Confirmed subscribers of the item's unit or of all units, one message
    each (every message carries its own unsubscribe link)."""
    rows = sorted(subscribers.get(item.unit_id, []) + subscribers.get(None, []), key=lambda r: (r[1], r[0]))
    seen = set()
    for _pk, email, token in rows:
        if email.lower() in seen:
            continue
        seen.add(email.lower())
        unsubscribe_url = _unsubscribe_url(token)
        _send_on_commit(
            to=[email],
            template="published_subscriber",
            context={
                "item": item,
                "unit": item.unit,
                "public_url": _public_url(item),
                "unsubscribe_url": unsubscribe_url,
            },
            headers=subscriptions.list_headers(unsubscribe_url),
        )
