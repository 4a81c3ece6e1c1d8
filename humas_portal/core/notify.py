"""Email notifications, rendered in the recipient-facing language."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def send_templated_email(
    *,
    to: Iterable[str],
    template: str,
    context: dict,
    language: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` (and
    ``<template>.html`` when it exists) and send one message per recipient,
    so addresses are never disclosed to each other, with ``headers`` added
    to each. Returns how many were sent. Call it from
    ``transaction.on_commit`` or a task, never inside a transaction.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:  # the HTML part is optional
            html = None
    sent = 0
    for address in recipients:
        message = EmailMultiAlternatives(
            subject, body, settings.DEFAULT_FROM_EMAIL, [address], headers=dict(headers or {})
        )
        if html:
            message.attach_alternative(html, "text/html")
        sent += message.send()
    return sent
