"""Email subscriptions of readers: double opt-in and one-click unsubscribe.

A reader asks with an address (and optionally a unit); only a click on the
link mailed to that address activates the subscription, so nobody can
subscribe someone else. The page shown after asking is the same whether the
address was new, waiting or already subscribed: the form must not tell a
stranger who reads the ministry's news.

No audit rows here: the reader acts on their own address, and keeping it in
the audit trail after they unsubscribe would hold personal data with no use.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from humas_portal.core.models import WorkUnit
from humas_portal.core.notify import send_templated_email

from .models import NewsSubscription

# How long a confirmation link works.
CONFIRM_VALID_FOR = timedelta(days=7)
# A second request for a waiting subscription within this time sends no new
# email, so the form cannot be used to flood someone's inbox.
RESEND_AFTER = timedelta(minutes=10)


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def normalise_email(raw: str) -> str:
    """The address as stored, or ``ValidationError`` with an Indonesian message."""
    email = (raw or "").strip().lower()
    if not email:
        raise ValidationError(_("Alamat email wajib diisi."), code="required")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            _("Alamat email “%(email)s” tidak valid. Periksa kembali penulisannya."),
            code="invalid",
            params={"email": raw.strip()[:100]},
        ) from None
    return email


def subscription_request(*, email: str, unit: WorkUnit | None = None) -> None:
    """Ask for a subscription; mails a confirmation link when one is due.

    Returns nothing on purpose: the caller must show the same answer for a
    new, a waiting and an already confirmed address.
    """
    email = normalise_email(email)
    now = timezone.now()
    with transaction.atomic():
        subscription = NewsSubscription.objects.filter(email=email, unit=unit).order_by("id").first()
        if subscription is None:
            try:
                with transaction.atomic():
                    subscription = NewsSubscription.objects.create(email=email, unit=unit, token=_new_token())
            except IntegrityError:  # the same address, a moment ago
                return
        elif subscription.confirmed_at is not None:
            return
        elif subscription.created_at > now - RESEND_AFTER:
            return
        else:
            # A fresh link (and a fresh validity period) for a waiting one.
            subscription.token = _new_token()
            NewsSubscription.objects.filter(pk=subscription.pk).update(
                token=subscription.token, created_at=now
            )
        subscription_id = subscription.pk
        transaction.on_commit(lambda: send_confirmation(subscription_id=subscription_id))


def send_confirmation(*, subscription_id: int) -> int:
    """Mail the confirmation link (run after commit; never in a transaction)."""
    subscription = (
        NewsSubscription.objects.select_related("unit")
        .filter(pk=subscription_id, confirmed_at__isnull=True)
        .first()
    )
    if subscription is None:
        return 0
    return send_templated_email(
        to=[subscription.email],
        template="news/email/subscription_confirm",
        context={
            "subscription": subscription,
            "unit": subscription.unit,
            "confirm_url": settings.SITE_URL
            + reverse("news:subscription_confirm", kwargs={"token": subscription.token}),
            "unsubscribe_url": unsubscribe_url(subscription),
            "valid_days": CONFIRM_VALID_FOR.days,
        },
    )


def unsubscribe_url(subscription: NewsSubscription) -> str:
    """The absolute link that ends a subscription; put it in every notice."""
    return settings.SITE_URL + reverse("news:unsubscribe", kwargs={"token": subscription.token})


def list_headers(unsubscribe_url: str) -> dict[str, str]:
    """The headers of a notice to a subscriber, by which mail programs offer
    their own "unsubscribe" button (RFC 2369) that works in one click
    (RFC 8058): the program POSTs ``List-Unsubscribe=One-Click`` to the link,
    which ends the subscription without a page or a CSRF token
    (``views_public.unsubscribe``). The link's token is the proof: 43
    random characters, unknown to anyone who did not receive the mail. No
    ``mailto:`` address: nobody reads the portal's sending mailbox.
    """
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def subscription_confirm(*, token: str) -> NewsSubscription | None:
    """Activate the subscription of this link; ``None`` when the link is
    unknown or expired. Confirming twice is harmless."""
    now = timezone.now()
    NewsSubscription.objects.filter(
        token=token, confirmed_at__isnull=True, created_at__gte=now - CONFIRM_VALID_FOR
    ).update(confirmed_at=now)
    return (
        NewsSubscription.objects.select_related("unit")
        .filter(token=token, confirmed_at__isnull=False)
        .first()
    )


def subscription_cancel(*, token: str) -> bool:
    """End the subscription of this link (the row and the address are
    deleted); returns whether there was one."""
    deleted, _per_model = NewsSubscription.objects.filter(token=token).delete()
    return bool(deleted)


def subscription_find(*, token: str) -> NewsSubscription | None:
    return NewsSubscription.objects.select_related("unit").filter(token=token).first()
