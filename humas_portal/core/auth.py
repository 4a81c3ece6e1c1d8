"""Login with a lockout after repeated failures.

Failures are counted per username and per client address within a sliding
window (``LOGIN_LOCKOUT_WINDOW``); at ``LOGIN_FAILURE_LIMIT`` further attempts
are refused without checking the password, so guessing gains nothing. A
successful login clears the username's failures.
"""

from __future__ import annotations

import ipaddress

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LoginFailure
from .ratelimit import client_address


def client_ip(request) -> str | None:
    """The client's address as the rate limits see it (trusting only the
    configured proxies), as a plain address for ``LoginFailure``: an IPv6
    client is its /64, stored as the network's first address."""
    try:
        return str(ipaddress.ip_network(client_address(request), strict=False).network_address)
    except ValueError:
        return None


def is_locked_out(username: str, ip_address: str | None) -> bool:
    since = timezone.now() - settings.LOGIN_LOCKOUT_WINDOW
    recent = LoginFailure.objects.filter(created_at__gte=since)
    limit = settings.LOGIN_FAILURE_LIMIT
    if recent.filter(username__iexact=username).count() >= limit:
        return True
    # An address gets more room than a username: an office shares one.
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= limit * 4


def record_failure(username: str, ip_address: str | None) -> None:
    LoginFailure.objects.create(username=username[:150], ip_address=ip_address)


def clear_failures(username: str) -> None:
    LoginFailure.objects.filter(Q(username__iexact=username)).delete()


class LockoutAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah."),
        "inactive": _("Akun ini tidak aktif."),
        "locked_out": _(
            "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)s menit "
            "atau atur ulang kata sandi."
        ),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        ip_address = client_ip(self.request) if self.request else None
        if username and is_locked_out(username, ip_address):
            minutes = int(settings.LOGIN_LOCKOUT_WINDOW.total_seconds() // 60)
            raise forms.ValidationError(
                self.error_messages["locked_out"], code="locked_out", params={"minutes": minutes}
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                record_failure(username, ip_address)
            raise
        clear_failures(username)
        return cleaned
