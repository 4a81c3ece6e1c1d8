"""Writes of the social-media app: accounts and posts.

Every change of a post's, a delivery's or an account's state runs through
the portal's transition engine (``humas_portal.core.workflow``) with its
table (``REVIEW_TRANSITIONS``; ``socialmedia.workflow``) and the permission
of ``socialmedia.policy``: the row is locked, its state checked, the change
saved with its audit row, and side effects (emails, publishing tasks)
queued with ``transaction.on_commit``. Calls to the platforms happen outside
any transaction. Publishing itself lives in ``socialmedia.publishing``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from humas_portal.core import images
from humas_portal.core.audit import audit_record
from humas_portal.core.models import User, WorkUnit
from humas_portal.core.workflow import (
    REVIEW_TRANSITIONS,
    ReviewAction,
    WorkflowError,
    by_system,
    transition_apply,
    transition_claim,
)

from . import policy
from .media import check_video
from .models import (
    AccountStatus,
    Delivery,
    DeliveryState,
    MediaKind,
    PostMedia,
    SocialAccount,
    SocialPost,
)
from .platforms import adapter_for
from .platforms.base import Adapter, PlatformError, TokenRefused
from .validation import post_problems
from .workflow import ACCOUNT_TRANSITIONS, DELIVERY_TRANSITIONS

logger = logging.getLogger(__name__)

# Renew a token this long before it expires, so a call never starts with a
# token that dies half-way through an upload.
TOKEN_REFRESH_MARGIN = timedelta(minutes=5)


# --- accounts ------------------------------------------------------------------------


def account_save(
    *,
    actor: User,
    unit: WorkUnit,
    platform: str,
    account_id: str,
    display_name: str,
    handle: str = "",
    access_token: str = "",
    refresh_token: str = "",
    token_expires_at: datetime | None = None,
    account: SocialAccount | None = None,
) -> SocialAccount:
    """Create or update an account. A blank token keeps the stored one; a
    new token brings an account that needed reconnecting back to active."""
    if not policy.can_manage_accounts(actor, unit) or (
        account is not None and not policy.can_manage_account(actor, account)
    ):
        raise PermissionDenied
    creating = account is None
    with transaction.atomic():
        if creating:
            account = SocialAccount(created_by=actor)
            from_state = ""
        else:
            account = SocialAccount.objects.select_for_update().get(pk=account.pk)
            from_state = account.status
        changed = []
        for field, value in (
            ("unit", unit),
            ("platform", platform),
            ("account_id", account_id.strip()),
            ("display_name", display_name.strip()),
            ("handle", handle.strip().lstrip("@")),
        ):
            if getattr(account, field, None) != value:
                setattr(account, field, value)
                changed.append(field)
        if access_token:
            account.access_token = access_token.strip()
            # Unknown unless given; a platform that can renew tokens learns
            # it at the first renewal.
            account.token_expires_at = token_expires_at
            changed.append("access_token")
            if creating:
                account.status = AccountStatus.ACTIVE
                account.status_changed_at = timezone.now()
        elif token_expires_at is not None and token_expires_at != account.token_expires_at:
            account.token_expires_at = token_expires_at
            changed.append("token_expires_at")
        if refresh_token:
            account.refresh_token = refresh_token.strip()
            changed.append("refresh_token")
        account.save()
        audit_record(
            actor=actor,
            action="account_created" if creating else "account_updated",
            obj=account,
            from_state=from_state,
            to_state=account.status,
            # Names of what changed, never the values: tokens stay out of the trail.
            note=", ".join(changed),
        )
        if access_token and account.status == AccountStatus.NEEDS_RECONNECTION:
            account = _account_reconnect(account=account, actor=actor)
    return account


def _account_reconnect(*, account: SocialAccount, actor: User) -> SocialAccount:
    """A new token was saved, or the old one works again."""
    return transition_apply(
        account,
        "account_reconnected",
        machine=ACCOUNT_TRANSITIONS,
        actor=actor,
        permitted=policy.can_manage_account,
        changes={"last_error": ""},
    )


def account_set_disabled(*, account: SocialAccount, actor: User, disabled: bool) -> SocialAccount:
    """Stop using an account (its scheduled deliveries fail, to be retried
    once it is back) or bring it back. An account already where it is asked
    to be is left alone."""
    if not policy.can_manage_account(actor, account):
        raise PermissionDenied

    def has_token(locked: SocialAccount) -> None:
        if not locked.access_token:
            raise ValidationError(_("Simpan token akses terlebih dahulu sebelum mengaktifkan akun."))

    with transaction.atomic():
        try:
            locked = transition_apply(
                account,
                "account_disabled" if disabled else "account_enabled",
                machine=ACCOUNT_TRANSITIONS,
                actor=actor,
                permitted=policy.can_manage_account,
                check=None if disabled else has_token,
            )
        except WorkflowError:
            current = SocialAccount.objects.get(pk=account.pk)
            if (current.status == AccountStatus.DISABLED) == disabled:
                return current
            raise
        if disabled:
            _fail_scheduled(
                locked.pk, _("Akun %(account)s dinonaktifkan.") % {"account": locked}, actor=actor
            )
    return locked


def account_mark_needs_reconnection(*, account_id: int, message: str) -> bool:
    """Stop an account whose token the platform refused.

    The claim (a conditional UPDATE on ``status``) makes this happen once:
    however many deliveries hit the refused token, at the same time or one
    after another, exactly one caller wins, writes the audit row and emails
    the unit's Admin Humas. The account's scheduled deliveries fail with a
    message saying why. Returns whether this call stopped the account.
    """
    from .tasks import notify_account_needs_reconnection

    now = timezone.now()
    with transaction.atomic():
        won = transition_claim(
            SocialAccount,
            account_id,
            "account_needs_reconnection",
            machine=ACCOUNT_TRANSITIONS,
            changes={"last_error": message, "updated_at": now},
            now=now,
            note=message,
            on_commit=lambda account: notify_account_needs_reconnection.delay(account.pk),
        )
        account = won or SocialAccount.objects.select_related("unit").get(pk=account_id)
        _fail_scheduled(
            account_id,
            _("Akun %(account)s perlu dihubungkan ulang: %(message)s")
            % {"account": account, "message": message},
            actor=None,
        )
    return won is not None


def _fail_scheduled(account_id: int, message: str, *, actor: User | None) -> int:
    """Fail the account's scheduled deliveries with ``message`` (inside the
    caller's transaction); a person retries them once the account works.
    Returns how many failed."""
    pending = Delivery.objects.select_related("post__unit").filter(
        account_id=account_id, state=DeliveryState.SCHEDULED
    )
    failed = 0
    for delivery in pending:
        try:
            transition_apply(
                delivery,
                "delivery_failed",
                machine=DELIVERY_TRANSITIONS,
                actor=actor,
                permitted=by_system if actor is None else policy.can_manage_delivery,
                # The account stopped before the delivery was sent.
                only_from={DeliveryState.SCHEDULED},
                note=message,
                changes={"hold_reason": "", "last_error": message},
                queryset=Delivery.objects.select_related("post__unit"),
            )
        except WorkflowError:
            continue  # claimed by a worker meanwhile: its outcome stands
        failed += 1
    return failed


def account_ensure_token(*, account: SocialAccount, adapter: Adapter) -> None:
    """Renew a token about to expire, when the platform and the
    configuration allow it. Network I/O: call outside any transaction."""
    # An unknown expiry (a token just pasted in) is renewed too: that is how
    # its lifetime becomes known.
    expires = account.token_expires_at
    if not adapter.can_refresh() or (expires is not None and expires > timezone.now() + TOKEN_REFRESH_MARGIN):
        return
    grant = adapter.refresh_token()
    account.access_token = grant.access_token
    if grant.refresh_token:
        account.refresh_token = grant.refresh_token
    account.token_expires_at = (
        timezone.now() + timedelta(seconds=int(grant.expires_in)) if grant.expires_in else None
    )
    account.save(update_fields=["access_token", "refresh_token", "token_expires_at", "updated_at"])


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    name: str = ""
    message: str = ""


def account_test_connection(*, account: SocialAccount, actor: User) -> ConnectionCheck:
    """Ask the platform who the token belongs to and show the real name, or
    the platform's error. A refused token stops the account."""
    if not policy.can_manage_account(actor, account):
        raise PermissionDenied
    if not account.access_token:
        return ConnectionCheck(ok=False, message=_("Belum ada token akses yang disimpan."))
    adapter = adapter_for(account)
    now = timezone.now()
    try:
        account_ensure_token(account=account, adapter=adapter)
        identity = adapter.whoami()
    except TokenRefused as error:
        account_mark_needs_reconnection(account_id=account.pk, message=error.message)
        SocialAccount.objects.filter(pk=account.pk).update(last_checked_at=now)
        return ConnectionCheck(ok=False, message=error.message)
    except PlatformError as error:
        SocialAccount.objects.filter(pk=account.pk).update(last_checked_at=now, last_error=error.message)
        return ConnectionCheck(ok=False, message=error.message)
    with transaction.atomic():
        locked = SocialAccount.objects.select_for_update().get(pk=account.pk)
        from_state = locked.status
        locked.display_name = identity.name[:150] or locked.display_name
        if identity.handle.strip().lstrip("@"):
            # Stored without "@", as account_save does (YouTube's customUrl has one).
            locked.handle = identity.handle.strip().lstrip("@")[:100]
        locked.last_checked_at = now
        locked.last_error = ""
        locked.save()
        audit_record(
            actor=actor,
            action="account_tested",
            obj=locked,
            from_state=from_state,
            to_state=locked.status,
            note=identity.name,
        )
        if locked.status == AccountStatus.NEEDS_RECONNECTION:
            # The token works again (renewed at the platform's side).
            _account_reconnect(account=locked, actor=actor)
    return ConnectionCheck(ok=True, name=identity.name)


# --- posts ---------------------------------------------------------------------------


def _check_accounts(unit: WorkUnit, accounts: Iterable[SocialAccount]) -> list[SocialAccount]:
    accounts = list(accounts)
    for account in accounts:
        if account.unit_id != unit.pk:
            raise ValidationError(
                _("Akun %(account)s bukan milik %(unit)s.") % {"account": account, "unit": unit}
            )
    return accounts


def post_media_add(*, post: SocialPost, upload, kind: str) -> PostMedia:
    """Check and store one image or the video of a post.

    Images are verified and re-encoded without metadata; a video is judged
    by its container header, not its name. Raises ``ValidationError`` with
    an Indonesian message.
    """
    position = (post.media.aggregate(top=Max("position"))["top"] or 0) + 1
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    if kind == MediaKind.IMAGE:
        checked = images.check_image(upload)
        clean = images.clean_copy(upload)
        item = PostMedia(
            post=post,
            kind=MediaKind.IMAGE,
            content_type=f"image/{'jpeg' if checked.format == 'JPEG' else checked.format.lower()}",
            size=clean.size,
            width=checked.width,
            height=checked.height,
            position=position,
        )
        item.file.save(clean.name, clean, save=False)
    else:
        if post.media.filter(kind=MediaKind.VIDEO).exists():
            raise ValidationError(
                _("Satu kiriman hanya dapat memuat satu video. Hapus video lama terlebih dahulu.")
            )
        checked_video = check_video(upload)
        item = PostMedia(
            post=post,
            kind=MediaKind.VIDEO,
            content_type=checked_video.content_type,
            size=checked_video.size,
            duration=checked_video.duration,
            position=position,
        )
        upload.seek(0)
        suffix = "mov" if checked_video.content_type == "video/quicktime" else "mp4"
        base = name.rsplit(".", 1)[0][:60] or "video"
        item.file.save(f"{base}.{suffix}", upload, save=False)
    item.save()
    return item


def post_create(
    *,
    actor: User,
    unit: WorkUnit,
    text: str,
    scheduled_at: datetime,
    accounts: Iterable[SocialAccount] = (),
    title: str = "",
    link: str = "",
    platform_texts: dict[str, str] | None = None,
    images_to_add: Sequence = (),
    video=None,
    news_item=None,
) -> SocialPost:
    if not policy.can_write(actor, unit):
        raise PermissionDenied
    accounts = _check_accounts(unit, accounts)
    with transaction.atomic():
        post = SocialPost.objects.create(
            unit=unit,
            author=actor,
            text=text,
            title=title,
            link=link,
            platform_texts={k: v for k, v in (platform_texts or {}).items() if v and v.strip()},
            scheduled_at=scheduled_at,
            news_item=news_item,
        )
        post.accounts.set(accounts)
        for upload in images_to_add:
            post_media_add(post=post, upload=upload, kind=MediaKind.IMAGE)
        if video is not None:
            post_media_add(post=post, upload=video, kind=MediaKind.VIDEO)
        audit_record(actor=actor, action="created", obj=post, to_state=post.status)
    return post


def post_update(
    *,
    post: SocialPost,
    actor: User,
    text: str,
    scheduled_at: datetime,
    accounts: Iterable[SocialAccount],
    title: str = "",
    link: str = "",
    platform_texts: dict[str, str] | None = None,
    images_to_add: Sequence = (),
    video=None,
    remove_media: Iterable[int] = (),
) -> SocialPost:
    if not policy.can_edit_post(actor, post):
        raise PermissionDenied
    accounts = _check_accounts(post.unit, accounts)
    with transaction.atomic():
        locked = SocialPost.objects.select_for_update().get(pk=post.pk)
        if not locked.is_editable:
            raise WorkflowError(
                _("Kiriman ini sedang diverifikasi atau sudah disetujui, sehingga tidak dapat diubah.")
            )
        locked.text = text
        locked.title = title
        locked.link = link
        locked.platform_texts = {k: v for k, v in (platform_texts or {}).items() if v and v.strip()}
        locked.scheduled_at = scheduled_at
        locked.save()
        locked.accounts.set(accounts)
        removed = list(locked.media.filter(pk__in=list(remove_media)))
        for item in removed:
            item.delete()
            # The file goes once the row is surely gone.
            transaction.on_commit(lambda name=item.file.name, storage=item.file.storage: storage.delete(name))
        for upload in images_to_add:
            post_media_add(post=locked, upload=upload, kind=MediaKind.IMAGE)
        if video is not None:
            post_media_add(post=locked, upload=video, kind=MediaKind.VIDEO)
        audit_record(
            actor=actor, action="updated", obj=locked, from_state=locked.status, to_state=locked.status
        )
    return locked


def _require_valid(post: SocialPost) -> None:
    problems = post_problems(post)
    if problems:
        raise ValidationError(problems)


def post_submit(*, post: SocialPost, actor: User) -> SocialPost:
    """Send a draft to the Verifikator after checking it against every
    target platform's rules."""
    from .tasks import notify_post_submitted

    return transition_apply(
        post,
        ReviewAction.SUBMIT,
        machine=REVIEW_TRANSITIONS,
        actor=actor,
        permitted=lambda user, obj: policy.can_act(user, obj, ReviewAction.SUBMIT),
        check=_require_valid,
        on_commit=lambda submitted: notify_post_submitted.delay(submitted.pk),
    )


def _require_publishable(post: SocialPost) -> None:
    """What approval checks again: the platforms' rules (accounts may have
    changed since submission) and that every target account is active."""
    _require_valid(post)
    inactive = [a for a in post.accounts.all() if a.status != AccountStatus.ACTIVE]
    if inactive:
        raise ValidationError(
            [
                _("Akun %(account)s berstatus “%(status)s”; hubungkan ulang atau hapus dari tujuan.")
                % {"account": account, "status": account.get_status_display()}
                for account in inactive
            ]
        )


def post_review(*, post: SocialPost, actor: User, action: str, note: str = "") -> SocialPost:
    """Approve, return or reject a submitted post. Approval checks the post
    again, creates one delivery per target account and queues them for the
    scheduled time."""
    if action not in (ReviewAction.APPROVE, ReviewAction.RETURN, ReviewAction.REJECT):
        raise ValueError(action)
    from .publishing import delivery_queue
    from .tasks import notify_post_decided

    approving = action == ReviewAction.APPROVE
    deliveries: list[Delivery] = []

    def after_commit(decided: SocialPost) -> None:
        notify_post_decided.delay(decided.pk)
        for delivery in deliveries:
            delivery_queue(delivery_id=delivery.pk, due_at=delivery.next_attempt_at)

    return transition_apply(
        post,
        action,
        machine=REVIEW_TRANSITIONS,
        actor=actor,
        permitted=lambda user, obj: policy.can_act(user, obj, action),
        denied_message=(
            _("Unggahan yang Anda tulis sendiri disetujui oleh peninjau lain.")
            if approving and policy.is_author(actor, post)
            else None
        ),
        note=note,
        check=_require_publishable if approving else None,
        effects=(lambda approved: deliveries.extend(_deliveries_create(approved))) if approving else None,
        on_commit=after_commit,
    )


def _deliveries_create(post: SocialPost) -> list[Delivery]:
    """One delivery per target account; a pair cancelled earlier is
    scheduled again, one that already went out is left alone."""
    created = []
    for account in post.accounts.all():
        delivery, new = Delivery.objects.get_or_create(
            post=post,
            account=account,
            defaults={"scheduled_at": post.scheduled_at, "next_attempt_at": post.scheduled_at},
        )
        if new:
            audit_record(
                actor=None,
                action="delivery_scheduled",
                obj=delivery,
                to_state=delivery.state,
                unit=post.unit,
            )
        elif delivery.state == DeliveryState.CANCELLED:
            delivery = transition_apply(
                delivery,
                "delivery_scheduled",
                machine=DELIVERY_TRANSITIONS,
                actor=None,
                permitted=by_system,
                changes={
                    "scheduled_at": post.scheduled_at,
                    "next_attempt_at": post.scheduled_at,
                    "hold_reason": "",
                    "last_error": "",
                    "checkpoint": {},
                    "server_errors": 0,
                },
                queryset=Delivery.objects.select_related("post__unit"),
            )
        else:
            continue
        created.append(delivery)
    return created


def post_cancel(*, post: SocialPost, actor: User, note: str) -> SocialPost:
    """Stop an approved post: deliveries not yet sent are cancelled. Posts
    already out stay on the platforms and must be removed there."""

    def cancel_deliveries(cancelled: SocialPost) -> None:
        for delivery in Delivery.objects.select_related("post__unit").filter(
            post=cancelled, state=DeliveryState.SCHEDULED
        ):
            try:
                transition_apply(
                    delivery,
                    "delivery_cancelled",
                    machine=DELIVERY_TRANSITIONS,
                    actor=actor,
                    permitted=lambda user, obj: policy.can_cancel_post(user, cancelled),
                    note=note,
                    changes={"hold_reason": ""},
                    queryset=Delivery.objects.select_related("post__unit"),
                )
            except WorkflowError:
                continue  # claimed by a worker meanwhile: it is being sent

    return transition_apply(
        post,
        ReviewAction.UNPUBLISH,
        machine=REVIEW_TRANSITIONS,
        actor=actor,
        permitted=lambda user, obj: policy.can_act(user, obj, ReviewAction.UNPUBLISH),
        note=note,
        effects=cancel_deliveries,
    )


def post_redraft(*, post: SocialPost, actor: User) -> SocialPost:
    return transition_apply(
        post,
        ReviewAction.REDRAFT,
        machine=REVIEW_TRANSITIONS,
        actor=actor,
        permitted=lambda user, obj: policy.can_act(user, obj, ReviewAction.REDRAFT),
    )


def post_transition(*, post: SocialPost, actor: User, action: str, note: str = "") -> SocialPost:
    """The one entry point the views use for review actions."""
    if action == ReviewAction.SUBMIT:
        return post_submit(post=post, actor=actor)
    if action in (ReviewAction.APPROVE, ReviewAction.RETURN, ReviewAction.REJECT):
        return post_review(post=post, actor=actor, action=action, note=note)
    if action == ReviewAction.UNPUBLISH:
        return post_cancel(post=post, actor=actor, note=note)
    if action == ReviewAction.REDRAFT:
        return post_redraft(post=post, actor=actor)
    raise PermissionDenied


def next_slot(now: datetime | None = None, minutes: int = 15) -> datetime:
    """The next quarter hour at least ``minutes`` ahead: a sensible default
    time for a new post."""
    now = now or timezone.now()
    base = now + timedelta(minutes=minutes)
    extra = (15 - base.minute % 15) % 15
    return (base + timedelta(minutes=extra)).replace(second=0, microsecond=0)


def post_draft_from_news(*, item, actor: User) -> SocialPost:
    """A draft post for a published news item: its title, its public link
    and its featured photo, for the unit's active accounts."""
    from django.conf import settings

    if not policy.can_share_news(actor, item):
        raise PermissionDenied
    accounts = list(SocialAccount.objects.of_unit(item.unit).active())
    with transaction.atomic():
        post = post_create(
            actor=actor,
            unit=item.unit,
            text=item.title,
            title=item.title[:100],
            link=settings.SITE_URL + item.get_absolute_url(),
            scheduled_at=next_slot(),
            accounts=accounts,
            news_item=item,
        )
        image = item.featured_image
        if image is not None and image.original:
            try:
                with image.original.open("rb") as handle:
                    post_media_add(post=post, upload=handle, kind=MediaKind.IMAGE)
            except (ValidationError, OSError):
                # A missing or unreadable photo should not stop the draft;
                # the writer sees there is no image and can add one.
                logger.warning("Featured image %s of news item %s could not be attached.", image.pk, item.pk)
    return post
