"""Login with a lockout after repeated failures that a stranger cannot
turn against an account's owner.

Failures are counted within a sliding window (``LOGIN_LOCKOUT_WINDOW``) per
username *and* client address: at ``LOGIN_FAILURE_LIMIT`` further attempts
for that username from that address are refused without checking the
password, so guessing gains nothing, while the owner signing in from
anywhere else is not affected. An address that guesses at many usernames
is locked as a whole at four times the limit (an office shares one address,
hence the room). The owner locked out at their own address has the slower
path the message names: resetting the password by e-mail, which clears
every failure of the username. A successful login clears the failures of
that username at that address; rows older than the window are purged as
new failures come in.

Own code rather than django-axes: axes replaces the sign-in page with its
own lockout response and counts exact addresses, where the portal keeps the
message inside the sign-in form (with the reset link) and counts an IPv6
client by its /64, as the public forms' rate limits do. The rules above are
the ones axes offers with ``AXES_LOCKOUT_PARAMETERS = [["username",
"ip_address"], "ip_address"]``.
"""

from __future__ import annotations

import ipaddress

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LoginFailure
from .ratelimit import client_address

# How many more failures an address may have than one username at it.
ADDRESS_FACTOR = 4


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
    if recent.filter(username__iexact=username, ip_address=ip_address).count() >= limit:
        return True
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= limit * ADDRESS_FACTOR


def record_failure(username: str, ip_address: str | None) -> None:
    now = timezone.now()
    LoginFailure.objects.filter(created_at__lt=now - settings.LOGIN_LOCKOUT_WINDOW).delete()
    LoginFailure.objects.create(username=username[:150], ip_address=ip_address)


def clear_failures(username: str, ip_address: str | None = None, *, everywhere: bool = False) -> None:
    """Forget the username's failures at ``ip_address`` (after a successful
    login there), or at every address (after a password reset)."""
    failures = LoginFailure.objects.filter(username__iexact=username)
    if not everywhere:
        failures = failures.filter(ip_address=ip_address)
    failures.delete()


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
        clear_failures(username, ip_address)
        return cleaned
