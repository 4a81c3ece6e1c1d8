"""Publishing deliveries, never twice.

How a delivery moves is declared in ``socialmedia.workflow``
(``DELIVERY_TRANSITIONS``); every move here goes through the core engine
with that table.

The claim is one conditional UPDATE (``scheduled → publishing``), so of two
workers, or a task and the beat sweep, exactly one calls the platform. No
platform call happens inside a database transaction: the claim commits
first, the call runs, and the outcome is written in a new short transaction
guarded by the claim time, so a stale worker cannot overwrite a newer state.

A worker that dies mid-call leaves the delivery in ``publishing``; after the
lease (``SOCIAL_PUBLISH_LEASE_SECONDS`` without a heartbeat) the sweep moves
it to ``unconfirmed`` and the platform is asked whether the post exists —
it is never simply sent again.
"""

from __future__ import annotations

import functools
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from humas_portal.core.models import User
from humas_portal.core.workflow import (
    REVIEW_TRANSITIONS,
    ReviewAction,
    ReviewStatus,
    WorkflowError,
    by_system,
    transition_apply,
    transition_claim,
)

from . import policy
from .models import (
    AccountStatus,
    Delivery,
    DeliveryState,
    HoldReason,
    MediaKind,
    Platform,
    SocialAccount,
    SocialPost,
)
from .platforms import adapter_for
from .platforms.base import (
    Confirmation,
    Content,
    MediaFile,
    PlatformError,
    Published,
    RateLimited,
    StillProcessing,
    TokenRefused,
    TransientError,
    Uncertain,
)
from .services import account_ensure_token, account_mark_needs_reconnection
from .workflow import ACTIVE_DELIVERY_STATES, DELIVERY_TRANSITIONS, STOPPED_DELIVERY_STATES

logger = logging.getLogger(__name__)

# Platforms that post a video and ignore images.
VIDEO_ONLY = frozenset({Platform.YOUTUBE, Platform.TIKTOK})
# How far before the claim a post found on the platform may have been made
# (clock differences between us and the platform).
CONFIRM_MARGIN = timedelta(minutes=10)
SWEEP_BATCH = 500
# How long a platform may keep "processing" a delivery's media before a
# person is asked to look.
PROCESSING_PATIENCE = timedelta(hours=24)


class LeaseLost(Exception):
    """The delivery was taken away from this worker (its lease expired and
    the sweep marked it unconfirmed); stop without touching it."""


# --- content ---------------------------------------------------------------------------


def content_for(delivery: Delivery) -> Content:
    post = delivery.post
    platform = delivery.account.platform
    media = list(post.media.all())
    files = [
        MediaFile(
            name=item.file.name,
            kind=item.kind,
            content_type=item.content_type,
            size=item.size,
            width=item.width,
            height=item.height,
            duration=item.duration,
            public_url=item.public_url,
        )
        for item in media
    ]
    video = next((f for f in files if f.kind == MediaKind.VIDEO), None)
    images = tuple(f for f in files if f.kind == MediaKind.IMAGE)
    return Content(
        text=post.text_for(platform),
        link=post.link,
        title=post.title,
        images=() if platform in VIDEO_ONLY or video else images,
        video=video,
    )


# --- moving a delivery ------------------------------------------------------------------


def _delivery_rows():
    return Delivery.objects.select_related("post__unit", "account")


def _move(
    delivery_id: int,
    action: str,
    *,
    note: str = "",
    only_from: frozenset[str] | None = None,
    claimed_at: datetime | None = None,
    stale_before: datetime | None = None,
    **changes,
) -> Delivery | None:
    """The portal's own move of a delivery through ``action`` (from
    ``only_from`` of its sources, when narrowed); ``claimed_at`` restricts
    the move to the worker holding that claim, ``stale_before`` to a
    delivery with no heartbeat since then. Returns the delivery, or ``None``
    when its state had moved on."""

    def still_ours(delivery: Delivery) -> None:
        if claimed_at is not None and delivery.claimed_at != claimed_at:
            raise LeaseLost
        if stale_before is not None and (
            delivery.heartbeat_at is None or delivery.heartbeat_at >= stale_before
        ):
            raise LeaseLost

    try:
        return transition_apply(
            Delivery(pk=delivery_id),
            action,
            machine=DELIVERY_TRANSITIONS,
            actor=None,
            permitted=by_system,
            note=note,
            only_from=only_from,
            check=still_ours,
            changes=changes,
            queryset=_delivery_rows(),
        )
    except (WorkflowError, LeaseLost, Delivery.DoesNotExist):
        return None


def _post_published(delivery: Delivery) -> None:
    # The post counts as published once its first delivery is out; the
    # conditional claim makes the other deliveries' calls no-ops. It runs
    # after the delivery's own transaction: a person cancelling the post
    # locks the post first and its deliveries second, and this must not
    # hold them the other way round.
    transition_claim(
        SocialPost,
        delivery.post_id,
        ReviewAction.PUBLISH,
        machine=REVIEW_TRANSITIONS,
        note=str(delivery.account),
    )


def _published_changes(result: Published) -> dict:
    return {
        "published_at": timezone.now(),
        "platform_post_id": result.platform_id,
        "platform_url": result.url,
        "last_error": "",
        "hold_reason": "",
        "next_check_at": None,
    }


def _mark_published(delivery_id: int, result: Published, *, only_from, note="", claimed_at=None, **extra):
    delivery = _move(
        delivery_id,
        "delivery_published",
        only_from=only_from,
        note=note or result.url,
        claimed_at=claimed_at,
        **_published_changes(result),
        **extra,
    )
    if delivery is not None:
        _post_published(delivery)
    return delivery


def _hold_account(account_id: int, until: datetime | None) -> None:
    """No call to this account before ``until`` (never shortens a hold)."""
    if until is None:
        return
    SocialAccount.objects.filter(pk=account_id).filter(
        Q(rate_limited_until__isnull=True) | Q(rate_limited_until__lt=until)
    ).update(rate_limited_until=until)


def _save_progress(delivery_id: int, claimed_at: datetime, checkpoint: dict) -> None:
    """Persist what the platform has accepted so far and renew the lease."""
    updated = Delivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PUBLISHING, claimed_at=claimed_at
    ).update(checkpoint=checkpoint, heartbeat_at=timezone.now())
    if not updated:
        raise LeaseLost


# --- queueing ---------------------------------------------------------------------------


def delivery_queue(*, delivery_id: int, due_at: datetime) -> None:
    """Queue a delivery for its time. Deliveries far ahead are left to the
    sweep: a broker holding ETA tasks for days redelivers them, and the
    sweep finds them anyway."""
    from .tasks import publish_delivery

    if due_at - timezone.now() <= timedelta(seconds=settings.SOCIAL_ETA_HORIZON_SECONDS):
        publish_delivery.apply_async(args=[delivery_id], eta=max(due_at, timezone.now()))


# --- publishing -------------------------------------------------------------------------


def delivery_publish(*, delivery_id: int) -> str:
    """Publish one delivery if it is due and this caller wins the claim.

    Returns what happened: ``skipped`` (not due, taken by someone else, or
    its post/account stopped), ``held`` (the account is rate-limited), or
    the delivery's new state.
    """
    now = timezone.now()
    delivery = Delivery.objects.select_related("post", "account").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != DeliveryState.SCHEDULED or delivery.next_attempt_at > now:
        return "skipped"
    if delivery.post.status not in (ReviewStatus.APPROVED, ReviewStatus.PUBLISHED):
        return "skipped"
    account = delivery.account
    if account.status != AccountStatus.ACTIVE:
        return "skipped"
    if account.rate_limited_until and account.rate_limited_until > now:
        Delivery.objects.filter(
            pk=delivery_id, state=DeliveryState.SCHEDULED, next_attempt_at__lt=account.rate_limited_until
        ).update(next_attempt_at=account.rate_limited_until, hold_reason=HoldReason.RATE_LIMITED)
        return "held"

    delivery = transition_claim(
        Delivery.objects.filter(next_attempt_at__lte=now),
        delivery_id,
        "delivery_claimed",
        machine=DELIVERY_TRANSITIONS,
        changes={
            "claimed_at": now,
            "heartbeat_at": now,
            "attempts": F("attempts") + 1,
            "hold_reason": "",
        },
        now=now,
        note=lambda claimed: _("Percobaan ke-%(n)s") % {"n": claimed.attempts},
        load=_delivery_rows(),
    )
    if delivery is None:
        return "skipped"

    adapter = adapter_for(
        account,
        checkpoint=delivery.checkpoint,
        on_progress=functools.partial(_save_progress, delivery_id, now),
    )
    content = content_for(delivery)
    try:
        account_ensure_token(account=account, adapter=adapter)
        result = adapter.publish(content)
    except LeaseLost:
        return "lease_lost"
    except TokenRefused as error:
        account_mark_needs_reconnection(account_id=account.pk, message=error.message)
        if adapter.sent_publishing_call:
            return _unconfirmed(delivery_id, now, adapter, error.message)
        return _failed(delivery_id, now, adapter, error.message)
    except RateLimited as error:
        _hold_account(account.pk, error.retry_at)
        if adapter.sent_publishing_call:
            return _unconfirmed(delivery_id, now, adapter, error.message)
        return _reschedule(delivery_id, now, adapter, error.retry_at, HoldReason.RATE_LIMITED, error.message)
    except StillProcessing as error:
        if now - delivery.scheduled_at > PROCESSING_PATIENCE:
            # Something the platform never finishes; a person looks rather
            # than the publisher waiting forever.
            return _unconfirmed(
                delivery_id,
                now,
                adapter,
                _("%(message)s Sudah lebih dari 24 jam; periksa di platform.") % {"message": error.message},
                check=False,
            )
        retry_at = timezone.now() + timedelta(seconds=settings.SOCIAL_PROCESSING_RECHECK_SECONDS)
        return _reschedule(delivery_id, now, adapter, retry_at, HoldReason.PROCESSING, error.message)
    except Uncertain as error:
        return _unconfirmed(delivery_id, now, adapter, error.message)
    except TransientError as error:
        if adapter.sent_publishing_call:
            return _unconfirmed(delivery_id, now, adapter, error.message)
        return _server_error(delivery_id, now, adapter, delivery.server_errors + 1, error.message)
    except PlatformError as error:
        if adapter.sent_publishing_call:
            return _unconfirmed(delivery_id, now, adapter, error.message)
        return _failed(delivery_id, now, adapter, error.message)
    except Exception:  # noqa: BLE001 — a bug after the call may hide a live post
        logger.exception("Unexpected error while publishing delivery %s", delivery_id)
        return _unconfirmed(
            delivery_id,
            now,
            adapter,
            _("Terjadi kesalahan tak terduga saat mengirim; status di platform sedang diperiksa."),
        )
    finally:
        _hold_account(account.pk, adapter.slow_down_until)
    moved = _mark_published(
        delivery_id,
        result,
        only_from=ACTIVE_DELIVERY_STATES,
        claimed_at=now,
        checkpoint=adapter.checkpoint,
        server_errors=0,
    )
    return DeliveryState.PUBLISHED if moved else "lease_lost"


def _failed(delivery_id, claimed_at, adapter, message) -> str:
    moved = _move(
        delivery_id,
        "delivery_failed",
        only_from=ACTIVE_DELIVERY_STATES,
        note=message,
        claimed_at=claimed_at,
        last_error=message,
        checkpoint=adapter.checkpoint,
        next_check_at=None,
    )
    return DeliveryState.FAILED if moved else "lease_lost"


def _unconfirmed(delivery_id, claimed_at, adapter, message, *, check: bool = True) -> str:
    """Possibly published: checked on the platform (``check``), or left to
    a person straight away."""
    next_check = (
        timezone.now() + timedelta(seconds=settings.SOCIAL_CONFIRM_INTERVAL_SECONDS) if check else None
    )
    moved = _move(
        delivery_id,
        "delivery_unconfirmed",
        note=message,
        claimed_at=claimed_at,
        last_error=message,
        checkpoint=adapter.checkpoint,
        checks=0,
        next_check_at=next_check,
    )
    return DeliveryState.UNCONFIRMED if moved else "lease_lost"


def _reschedule(delivery_id, claimed_at, adapter, retry_at, reason, message, **extra) -> str:
    moved = _move(
        delivery_id,
        "delivery_rescheduled",
        note=message,
        claimed_at=claimed_at,
        next_attempt_at=retry_at,
        hold_reason=reason,
        last_error=message,
        checkpoint=adapter.checkpoint,
        **extra,
    )
    if moved is None:
        return "lease_lost"
    transaction.on_commit(lambda: delivery_queue(delivery_id=delivery_id, due_at=retry_at))
    return DeliveryState.SCHEDULED


def _server_error(delivery_id, claimed_at, adapter, errors: int, message: str) -> str:
    if errors >= settings.SOCIAL_MAX_ATTEMPTS:
        final = _("%(message)s (gagal setelah %(n)s kali percobaan)") % {"message": message, "n": errors}
        moved = _move(
            delivery_id,
            "delivery_failed",
            only_from=ACTIVE_DELIVERY_STATES,
            note=final,
            claimed_at=claimed_at,
            last_error=final,
            server_errors=errors,
            checkpoint=adapter.checkpoint,
        )
        return DeliveryState.FAILED if moved else "lease_lost"
    # 1, 2, 4, 8 … times the base wait.
    wait = timedelta(seconds=settings.SOCIAL_RETRY_BASE_SECONDS * 2 ** (errors - 1))
    return _reschedule(
        delivery_id,
        claimed_at,
        adapter,
        timezone.now() + wait,
        HoldReason.SERVER_ERROR,
        message,
        server_errors=errors,
    )


# --- checking unconfirmed deliveries ------------------------------------------------------


def delivery_confirm(*, delivery_id: int) -> str:
    """Ask the platform whether an unconfirmed delivery went out.

    The check itself is claimed by pushing ``next_check_at`` forward with a
    conditional UPDATE, so two sweeps do not check at once.
    """
    now = timezone.now()
    interval = timedelta(seconds=settings.SOCIAL_CONFIRM_INTERVAL_SECONDS)
    claimed = (
        Delivery.objects.to_confirm(now)
        .filter(pk=delivery_id)
        .update(checks=F("checks") + 1, next_check_at=now + interval)
    )
    if not claimed:
        return "skipped"
    delivery = Delivery.objects.select_related("post", "account").get(pk=delivery_id)
    account = delivery.account
    adapter = adapter_for(account, checkpoint=delivery.checkpoint)
    since = (delivery.claimed_at or delivery.scheduled_at) - CONFIRM_MARGIN
    try:
        account_ensure_token(account=account, adapter=adapter)
        confirmation = adapter.confirm(content_for(delivery), since=since)
    except TokenRefused as error:
        account_mark_needs_reconnection(account_id=account.pk, message=error.message)
        confirmation = Confirmation(Confirmation.UNKNOWN, message=error.message)
    except RateLimited as error:
        _hold_account(account.pk, error.retry_at)
        Delivery.objects.filter(pk=delivery_id, state=DeliveryState.UNCONFIRMED).update(
            next_check_at=error.retry_at, checks=F("checks") - 1
        )
        return DeliveryState.UNCONFIRMED
    except PlatformError as error:
        confirmation = Confirmation(Confirmation.UNKNOWN, message=error.message)
    finally:
        _hold_account(account.pk, adapter.slow_down_until)

    if confirmation.outcome == Confirmation.PUBLISHED and confirmation.result is not None:
        # The check speaks of the delivery it found unconfirmed; one retried
        # and claimed again meanwhile is the new worker's.
        _mark_published(
            delivery_id,
            confirmation.result,
            only_from={DeliveryState.UNCONFIRMED},
            note=_("Terkonfirmasi di platform."),
            checkpoint=adapter.checkpoint,
        )
        return DeliveryState.PUBLISHED
    if confirmation.outcome in (Confirmation.NOT_PUBLISHED, Confirmation.RESUME):
        resume = confirmation.outcome == Confirmation.RESUME
        message = confirmation.message or (
            _("Platform memastikan kiriman belum terbit; dilanjutkan.")
            if resume
            else _("Platform memastikan kiriman belum terbit; dikirim ulang.")
        )
        moved = _move(
            delivery_id,
            "delivery_rescheduled",
            only_from={DeliveryState.UNCONFIRMED},
            note=message,
            next_attempt_at=timezone.now(),
            hold_reason=HoldReason.RETRY,
            last_error=message,
            checkpoint=adapter.checkpoint if resume else {},
            next_check_at=None,
            checks=0,
        )
        if moved is not None:
            due = moved.next_attempt_at
            transaction.on_commit(lambda: delivery_queue(delivery_id=delivery_id, due_at=due))
        return DeliveryState.SCHEDULED
    # Unknown: check again later, or hand over to a person after the last check.
    delivery.refresh_from_db()
    if delivery.checks >= settings.SOCIAL_CONFIRM_MAX_CHECKS:
        message = _(
            "Belum dapat dipastikan apakah kiriman sudah terbit. Periksa akun di platform, lalu tandai "
            "terbit atau kirim ulang."
        )
        Delivery.objects.filter(pk=delivery_id, state=DeliveryState.UNCONFIRMED).update(
            next_check_at=None, last_error=message
        )
    elif confirmation.message:
        Delivery.objects.filter(pk=delivery_id, state=DeliveryState.UNCONFIRMED).update(
            last_error=confirmation.message
        )
    return DeliveryState.UNCONFIRMED


# --- the sweep --------------------------------------------------------------------------------


def deliveries_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """What the beat runs every minute: expire dead workers' leases, queue
    every due delivery (whatever happened to its ETA task) and every check
    that is due. Idempotent: queued tasks claim before they act."""
    from .tasks import confirm_delivery, publish_delivery

    now = now or timezone.now()
    expired = 0
    lease = timedelta(seconds=settings.SOCIAL_PUBLISH_LEASE_SECONDS)
    message = _("Pekerja berhenti saat mengirim; status di platform diperiksa sebelum dikirim ulang.")
    for delivery_id in Delivery.objects.lease_expired(now).values_list("pk", flat=True)[:SWEEP_BATCH]:
        moved = _move(
            delivery_id,
            "delivery_unconfirmed",
            only_from={DeliveryState.PUBLISHING},
            note=message,
            # The worker may have given a sign of life since the query.
            stale_before=now - lease,
            last_error=message,
            checks=0,
            next_check_at=now,
        )
        expired += moved is not None
    due = list(
        Delivery.objects.due(now).order_by("next_attempt_at").values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for delivery_id in due:
        publish_delivery.delay(delivery_id)
    checks = list(Delivery.objects.to_confirm(now).values_list("pk", flat=True)[:SWEEP_BATCH])
    for delivery_id in checks:
        confirm_delivery.delay(delivery_id)
    return {"expired": expired, "due": len(due), "checks": len(checks)}


# --- a person's decisions ------------------------------------------------------------------


def delivery_retry(*, delivery: Delivery, actor: User) -> Delivery:
    """Send again after a person checked the platform and found no post
    (or fixed the cause of a failure)."""
    if not policy.can_retry_delivery(actor, delivery):
        raise PermissionDenied
    if delivery.account.status != AccountStatus.ACTIVE:
        raise ValidationError(
            _("Akun %(account)s berstatus “%(status)s”; hubungkan ulang terlebih dahulu.")
            % {"account": delivery.account, "status": delivery.account.get_status_display()}
        )
    now = timezone.now()
    try:
        return transition_apply(
            delivery,
            "delivery_retried",
            machine=DELIVERY_TRANSITIONS,
            actor=actor,
            permitted=policy.can_retry_delivery,
            changes={
                "next_attempt_at": now,
                "hold_reason": HoldReason.RETRY,
                "server_errors": 0,
                "checks": 0,
                "next_check_at": None,
                "last_error": "",
            },
            queryset=_delivery_rows(),
            on_commit=lambda moved: delivery_queue(delivery_id=moved.pk, due_at=now),
        )
    except WorkflowError as error:
        raise ValidationError(_("Status pengiriman sudah berubah; muat ulang halaman.")) from error


def delivery_mark_published(*, delivery: Delivery, actor: User, url: str = "") -> Delivery:
    """Record that a person found the post on the platform."""
    result = Published(platform_id=delivery.platform_post_id, url=url.strip() or delivery.platform_url)
    try:
        moved = transition_apply(
            delivery,
            "delivery_published",
            machine=DELIVERY_TRANSITIONS,
            actor=actor,
            permitted=policy.can_mark_published,
            # A person decides only once the machine has let go.
            only_from=STOPPED_DELIVERY_STATES,
            note=_("Ditandai terbit setelah diperiksa di platform."),
            changes=_published_changes(result),
            queryset=_delivery_rows(),
        )
    except WorkflowError as error:
        raise ValidationError(_("Status pengiriman sudah berubah; muat ulang halaman.")) from error
    _post_published(moved)
    return moved


# --- engagement -----------------------------------------------------------------------------


def delivery_refresh_engagement(*, delivery_id: int) -> bool:
    """Fetch likes, comments, shares and views of a published delivery."""
    now = timezone.now()
    delivery = Delivery.objects.select_related("account").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != DeliveryState.PUBLISHED or not delivery.platform_post_id:
        return False
    account = delivery.account
    if account.status != AccountStatus.ACTIVE or (
        account.rate_limited_until and account.rate_limited_until > now
    ):
        return False
    adapter = adapter_for(account)
    try:
        account_ensure_token(account=account, adapter=adapter)
        engagement = adapter.engagement(delivery.platform_post_id)
    except TokenRefused as error:
        account_mark_needs_reconnection(account_id=account.pk, message=error.message)
        return False
    except RateLimited as error:
        _hold_account(account.pk, error.retry_at)
        return False
    except PlatformError as error:
        logger.warning("Engagement of delivery %s not fetched: %s", delivery_id, error.message)
        return False
    finally:
        _hold_account(account.pk, adapter.slow_down_until)
    if engagement is None:
        return False
    Delivery.objects.filter(pk=delivery_id).update(
        likes=engagement.likes,
        comments=engagement.comments,
        shares=engagement.shares,
        views=engagement.views,
        engagement_updated_at=now,
    )
    return True


def engagement_sweep(*, now: datetime | None = None) -> int:
    from .tasks import refresh_delivery_engagement

    ids = list(Delivery.objects.with_engagement(now).values_list("pk", flat=True)[: SWEEP_BATCH * 4])
    for delivery_id in ids:
        refresh_delivery_engagement.delay(delivery_id)
    return len(ids)
