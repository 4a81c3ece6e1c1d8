"""Flood and spam protection for the public forms (complaints, PPID requests).

Two layers, both self-hosted so the portal depends on no third-party service:

1. A rate limit: POSTs are counted per client address in fixed windows in the
   Django cache (Redis in production, where ``INCR`` is atomic, so parallel
   requests cannot slip past the limit together). Beyond the hard limit the
   address gets HTTP 429 until the window ends.
2. A form guard (``GuardedFormMixin``): a honeypot field that people never see
   but naive bots fill in, and a signed timestamp token that refuses forms
   sent faster than a person can type or older than a working day. Once an
   address passes the *soft* limit, the form also asks a small sum written in
   Indonesian words, so a real person sharing an address with a flood (an
   office network, a mobile carrier's NAT) still gets through.

An office's own networks (``OFFICE_NETWORKS``: the PTSP desk, the office
Wi-Fi) skip the question: a desk files form after form for the people it
serves from one address. The hard limit, the honeypot and the timestamp
still apply to them.

Client addresses are never stored: cache keys carry a keyed hash of the
address, and IPv6 addresses are grouped by /64 because one subscriber holds a
whole /64.
"""

from __future__ import annotations

import functools
import inspect
import ipaddress
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

IntSetting = int | Callable[[], int]


def _value(setting: IntSetting) -> int:
    # Numbers may be given as callables so that they are read from settings
    # per request, never at import time (tests and deployments override them).
    return int(setting() if callable(setting) else setting)


# --- Client address and counters --------------------------------------------------


def _client_ip(request) -> ipaddress.IPv4Address | ipaddress.IPv6Address | str:
    """The client's address as seen by the outermost trusted proxy: an
    address object, or the raw string when it is not an address.

    ``RATELIMIT_TRUSTED_PROXIES`` is how many proxies in front of Django
    append to ``X-Forwarded-For``; each appends the address it saw, so the
    client is that many hops from the right. Anything further left was sent
    by the client and could be forged to dodge the limit.
    """
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "RATELIMIT_TRUSTED_PROXIES", 0) or 0)
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and parsed.ipv4_mapped is not None:
        return parsed.ipv4_mapped
    return parsed


def client_address(request) -> str:
    """The client's address as the limits count it (see ``_client_ip``):
    an IPv6 client is its /64."""
    parsed = _client_ip(request)
    if isinstance(parsed, str):
        return parsed or "unknown"
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


@functools.lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    # settings.py has already refused a value that is not a network.
    return tuple(ipaddress.ip_network(value) for value in values)


def in_office_network(request) -> bool:
    """Whether the client (the address the limits count, taken through the
    trusted proxies only) is on one of the ``OFFICE_NETWORKS``."""
    values = tuple(getattr(settings, "OFFICE_NETWORKS", ()) or ())
    if not values:
        return False
    parsed = _client_ip(request)
    if isinstance(parsed, str):
        return False
    return any(parsed.version == network.version and parsed in network for network in _networks(values))


def _bucket(scope: str, address: str, window: int, now: float | None = None) -> tuple[str, int]:
    """The cache key of the current window and the seconds until it ends."""
    now = time.time() if now is None else now
    slot = int(now // window)
    digest = salted_hmac("ratelimit.address", address).hexdigest()[:32]
    return f"ratelimit:{scope}:{window}:{slot}:{digest}", int((slot + 1) * window - now) + 1


def hit(request, *, scope: str, window: int) -> int:
    """Count one request from the client in ``scope``; returns the count in
    the current window, this request included."""
    key, remaining = _bucket(scope, client_address(request), window)
    # ``add`` creates the counter only if it is missing (SET NX) and ``incr``
    # is a single INCR: together they never lose a concurrent hit.
    cache.add(key, 0, timeout=remaining)
    try:
        return cache.incr(key)
    except ValueError:
        # The window expired between the two calls; this is its first hit.
        cache.add(key, 1, timeout=remaining)
        return 1


def peek(request, *, scope: str, window: int) -> int:
    """How many requests the client made in ``scope`` in the current window."""
    key, _remaining = _bucket(scope, client_address(request), window)
    return int(cache.get(key) or 0)


def seconds_left(*, window: int) -> int:
    return int(window - time.time() % window) + 1


@dataclass(frozen=True)
class Usage:
    """Where the client stands in a limited scope for this request.

    ``count`` is this request's number in the window: counted requests
    include themselves, other requests show what the next counted one
    would be.
    """

    count: int
    limit: int
    soft_limit: int | None

    @property
    def limited(self) -> bool:
        return self.count > self.limit

    @property
    def challenge_required(self) -> bool:
        return self.soft_limit is not None and self.count > self.soft_limit


def ratelimit(
    *,
    scope: str,
    limit: IntSetting,
    window: IntSetting,
    soft_limit: IntSetting | None = None,
    methods: tuple[str, ...] = ("POST",),
    template_name: str | None = None,
):
    """Limit a view to ``limit`` requests (of ``methods``) per client address
    per ``window`` seconds.

    The view finds a ``Usage`` on ``request.ratelimit``; pass its
    ``challenge_required`` to a ``GuardedFormMixin`` form. A client on one of
    the ``OFFICE_NETWORKS`` has no soft limit (it is never asked the sum);
    its requests count towards the hard limit all the same. Requests over the
    limit get 429 with ``Retry-After``, rendered from ``template_name`` (with
    ``retry_after_minutes`` in the context) or as plain text.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            window_seconds = _value(window)
            hard = _value(limit)
            soft = _value(soft_limit) if soft_limit is not None else None
            if soft is not None and in_office_network(request):
                soft = None
            if request.method in methods:
                count = hit(request, scope=scope, window=window_seconds)
            else:
                count = peek(request, scope=scope, window=window_seconds) + 1
            request.ratelimit = Usage(count=count, limit=hard, soft_limit=soft)
            if request.method in methods and request.ratelimit.limited:
                return limited_response(request, window=window_seconds, template_name=template_name)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def limited_response(request, *, window: int, template_name: str | None = None) -> HttpResponse:
    retry_after = seconds_left(window=window)
    minutes = max(1, (retry_after + 59) // 60)
    # The portal's own 429 page (templates/429.html) unless the app has one.
    body = render_to_string(template_name or "429.html", {"retry_after_minutes": minutes}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


# --- The form guard ---------------------------------------------------------------

_NUMBER_WORDS = {
    1: gettext_lazy("satu"),
    2: gettext_lazy("dua"),
    3: gettext_lazy("tiga"),
    4: gettext_lazy("empat"),
    5: gettext_lazy("lima"),
    6: gettext_lazy("enam"),
    7: gettext_lazy("tujuh"),
    8: gettext_lazy("delapan"),
    9: gettext_lazy("sembilan"),
}


def _answer_digest(nonce: str, answer: str) -> str:
    # The token is signed, not encrypted, so it carries only a keyed hash of
    # the answer: reading the token does not reveal the sum.
    return salted_hmac("ratelimit.guard.answer", f"{nonce}:{answer.strip()}").hexdigest()


class GuardedFormMixin:
    """Honeypot, signed timestamp and (on request) an arithmetic question for a
    public Django form.

    Put ``{{ form.render_guard }}`` inside the ``<form>``; construct the form
    with ``challenge=request.ratelimit.challenge_required``. The guard's
    inputs are not Django fields: they are rendered fresh every time (a new
    question, a new single-use token that keeps the original start time), so
    a form shown again after an error can be sent again at once.
    """

    guard_scope: str = "public-form"
    # Numbers, or functions of no arguments read per request (settings).
    guard_min_seconds: IntSetting = 3
    guard_max_age_seconds: IntSetting = 12 * 3600

    HONEYPOT_FIELD = "situs_web"
    TOKEN_FIELD = "form_token"  # noqa: S105 (a field name, not a secret)
    ANSWER_FIELD = "jawaban_hitungan"

    def __init__(self, *args, challenge: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge = challenge
        self._guard_started_at: int | None = None

    # Reading and checking the token.

    def _guard_number(self, name: str) -> int:
        # Read the class attribute as written: a function assigned in a class
        # body would otherwise come back as a bound method.
        return _value(inspect.getattr_static(self, name))

    def _salt(self) -> str:
        return f"ratelimit.guard:{self.guard_scope}"

    def _issue_token(self, *, started_at: int, answer: str | None) -> str:
        nonce = secrets.token_urlsafe(12)
        payload = {"t": started_at, "n": nonce, "h": _answer_digest(nonce, answer) if answer else ""}
        return signing.dumps(payload, salt=self._salt(), compress=False)

    def _read_token(self) -> dict | None:
        raw = (self.data.get(self.TOKEN_FIELD) or "") if self.is_bound else ""
        if not raw:
            return None
        try:
            payload = signing.loads(raw, salt=self._salt())
        except signing.BadSignature:
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("t"), int):
            return None
        return payload

    def clean(self):
        cleaned = super().clean()
        if (self.data.get(self.HONEYPOT_FIELD) or "").strip():
            # Hidden from people (and labelled for screen readers); only a bot
            # fills it. The message stays vague so it teaches a bot nothing.
            self.add_error(None, _("Formulir tidak dapat dikirim. Muat ulang halaman lalu coba lagi."))
            return cleaned
        payload = self._read_token()
        if payload is None:
            self.add_error(
                None,
                _("Formulir ini tidak sah atau sudah kedaluwarsa. Periksa isian Anda lalu kirim kembali."),
            )
            return cleaned
        now = int(time.time())
        age = now - payload["t"]
        if age > self._guard_number("guard_max_age_seconds"):
            self.add_error(
                None,
                _("Formulir sudah terlalu lama dibuka. Periksa isian Anda lalu kirim kembali."),
            )
            return cleaned
        # Keep the original start time when the form is shown again.
        self._guard_started_at = payload["t"]
        if age < self._guard_number("guard_min_seconds"):
            self.add_error(
                None,
                _("Formulir dikirim terlalu cepat. Periksa kembali isian Anda lalu kirim lagi."),
            )
            return cleaned
        if self.challenge:
            answer = (self.data.get(self.ANSWER_FIELD) or "").strip()
            if not payload.get("h"):
                self.add_error(None, _("Jawab pertanyaan hitungan di bawah ini lalu kirim kembali."))
                return cleaned
            if not answer:
                self.add_error(None, _("Jawab pertanyaan hitungan dengan angka."))
                return cleaned
            if not constant_time_compare(_answer_digest(payload["n"], answer), payload["h"]):
                self.add_error(None, _("Jawaban hitungan belum benar. Coba pertanyaan yang baru."))
                return cleaned
        if not self.errors:
            # Single use: a replayed token (a bot re-posting one good form)
            # finds its nonce already spent.
            used_key = f"ratelimit:used:{self.guard_scope}:{payload['n']}"
            if not cache.add(used_key, 1, timeout=self._guard_number("guard_max_age_seconds") + 60):
                self.add_error(None, _("Formulir ini sudah pernah dikirim. Muat ulang halaman bila perlu."))
        return cleaned

    # Rendering.

    def render_guard(self):
        started_at = self._guard_started_at or int(time.time())
        answer = None
        question_html = ""
        if self.challenge:
            a = secrets.randbelow(9) + 1
            b = secrets.randbelow(9) + 1
            answer = str(a + b)
            question = _("Berapa hasil %(a)s ditambah %(b)s?") % {
                "a": _NUMBER_WORDS[a],
                "b": _NUMBER_WORDS[b],
            }
            question_html = format_html(
                '<p class="field guard-question"><label for="id_{name}">{question}</label>'
                '<input type="text" inputmode="numeric" name="{name}" id="id_{name}" '
                'autocomplete="off" required><span class="helptext">{help}</span></p>',
                name=self.ANSWER_FIELD,
                question=question,
                help=_(
                    "Tulis jawabannya dengan angka. Pertanyaan ini muncul karena banyak kiriman dari jaringan Anda."
                ),
            )
        token = self._issue_token(started_at=started_at, answer=answer)
        return format_html(
            '<div aria-hidden="true" style="position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden">'
            '<label for="id_{hp}">{hp_label}</label>'
            '<input type="text" name="{hp}" id="id_{hp}" value="" tabindex="-1" autocomplete="off"></div>'
            '<input type="hidden" name="{token_name}" value="{token}">{question}',
            hp=self.HONEYPOT_FIELD,
            hp_label=_("Jangan isi kolom ini"),
            token_name=self.TOKEN_FIELD,
            token=token,
            question=question_html,
        )
