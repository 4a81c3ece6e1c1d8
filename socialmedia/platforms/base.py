"""What every platform adapter shares: one HTTP call with timeouts, the
classification of a failed call, and the outcomes the publisher acts on.

The publisher's safety rests on one distinction made here: a call that
*publishes* (creates something the public can see) and then times out or
loses its connection may have been carried out, so it raises ``Uncertain``
and is checked rather than repeated; a call that fails before anything was
sent, or a preparatory call (an upload, a container), raises
``TransientError`` and can simply be tried again.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import requests
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

logger = logging.getLogger(__name__)

# Platform messages are stored and shown; keep them readable, not a dump.
MESSAGE_LIMIT = 500


@dataclass(frozen=True)
class MediaFile:
    name: str
    kind: str
    content_type: str
    size: int
    width: int = 0
    height: int = 0
    duration: float | None = None
    public_url: str = ""

    def open(self):
        return default_storage.open(self.name, "rb")


@dataclass(frozen=True)
class Content:
    """What one delivery sends: the text written for this platform, the
    link, the title (YouTube) and the media."""

    text: str
    link: str = ""
    title: str = ""
    images: tuple[MediaFile, ...] = ()
    video: MediaFile | None = None

    def text_with_link(self) -> str:
        """The text with the link appended, for platforms without a link
        field (the link is not repeated if the text already has it)."""
        if self.link and self.link not in self.text:
            return f"{self.text}\n\n{self.link}".strip()
        return self.text


@dataclass(frozen=True)
class Published:
    platform_id: str
    url: str = ""


@dataclass(frozen=True)
class Identity:
    name: str
    handle: str = ""


@dataclass(frozen=True)
class Engagement:
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    views: int | None = None


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    refresh_token: str = ""
    expires_in: int | None = None


@dataclass(frozen=True)
class OAuthRefresh:
    """How a platform renews an access token with its refresh token (the
    OAuth 2.0 ``refresh_token`` grant): where to post it, which settings hold
    the client's credentials, and how the platform wants them sent.

    Settings are named, not read here, so a deployment or a test that
    changes them is honoured at the next refresh.
    """

    # The setting holding the API's base URL, and the token path after it.
    endpoint: tuple[str, str]
    # The settings holding the client's id and secret.
    credentials: tuple[str, str]
    # The form field carrying the client's id (TikTok calls it client_key).
    client_id_field: str = "client_id"
    # Whether a client without a secret (a public client) may refresh.
    public_client: bool = False
    # A confidential client's id and secret as HTTP Basic instead of form
    # fields; the id is still sent in the form.
    basic_auth: bool = False

    def token_url(self) -> str:
        base_setting, path = self.endpoint
        return getattr(settings, base_setting) + path

    def client_credentials(self) -> tuple[str, str]:
        id_setting, secret_setting = self.credentials
        return getattr(settings, id_setting), getattr(settings, secret_setting)


@dataclass(frozen=True)
class Confirmation:
    """The answer of a check on an unconfirmed delivery.

    ``published``: the platform has the post. ``not_published``: the
    platform says nothing went out and nothing is pending, so sending again
    from scratch is safe. ``resume``: something is started but not public
    yet (an unpublished container, an incomplete upload); the next attempt
    continues it from the checkpoint, which cannot make a second post.
    ``unknown``: the platform cannot tell; check again later or leave it to
    a person.
    """

    outcome: str
    result: Published | None = None
    message: str = ""

    PUBLISHED = "published"
    NOT_PUBLISHED = "not_published"
    RESUME = "resume"
    UNKNOWN = "unknown"


class PlatformError(Exception):
    """The platform refused or failed; ``message`` is safe to store and show
    (credentials scrubbed)."""

    def __init__(self, message: str, *, status: int | None = None, code: str | int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code

    def __str__(self):
        return self.message


class TokenRefused(PlatformError):
    """The token is expired or revoked: the account must be reconnected."""


class RateLimited(PlatformError):
    """The platform asked us to slow down; nothing was done. No call to this
    account before ``retry_at``."""

    def __init__(self, message: str, *, retry_at: datetime, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_at = retry_at


class TransientError(PlatformError):
    """A server error, or a failure before the request was sent: nothing was
    published and the call can be tried again later."""


class Uncertain(PlatformError):
    """A publishing call timed out or lost its connection after it was sent:
    the post may exist. Check, never repeat blindly."""


class StillProcessing(PlatformError):
    """The platform accepted the media and is still processing it; the next
    attempt resumes from the checkpoint instead of starting again."""


def scrub(text: str, secrets: list[str] | tuple[str, ...]) -> str:
    """``text`` with every secret replaced, cut to a storable length."""
    text = str(text or "")
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "•••")
    # Query-string tokens in URLs echoed back by a server or a library.
    text = re.sub(r"(access_token|token|code)=([^&\s]+)", r"\1=•••", text)
    return text[:MESSAGE_LIMIT]


def retry_after(response: requests.Response, default_seconds: int | None = None) -> datetime:
    """When to call again, from ``Retry-After`` (seconds or an HTTP date)."""
    now = timezone.now()
    value = response.headers.get("Retry-After", "").strip()
    if value:
        if value.isdigit():
            return now + timedelta(seconds=int(value))
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if timezone.is_naive(when):
                when = timezone.make_aware(when, timezone.utc)
            return max(when, now)
    seconds = default_seconds if default_seconds is not None else settings.SOCIAL_RATE_LIMIT_DEFAULT_SECONDS
    return now + timedelta(seconds=seconds)


def json_body(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _never_sent(exc: requests.ConnectionError) -> bool:
    """Whether the connection failed before any byte of the request left
    (refused, unresolvable host, connect timeout)."""
    seen = set()
    pending = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen or current is None:
            continue
        seen.add(id(current))
        if isinstance(current, NewConnectionError | ConnectTimeoutError | requests.ConnectTimeout):
            return True
        pending.extend(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))
        pending.append(getattr(current, "reason", None))
        pending.append(current.__cause__)
        pending.append(current.__context__)
    return False


class Adapter:
    """Base of the platform adapters.

    ``checkpoint`` carries what an earlier attempt of the same delivery left
    (ids the platform returned); ``on_progress`` persists it, and is also
    called as a heartbeat during long uploads so the worker's lease is
    renewed.
    """

    platform = ""
    label = ""
    # How this platform renews tokens; without it an expired token means
    # reconnecting the account.
    oauth_refresh: OAuthRefresh | None = None

    def __init__(self, account, *, checkpoint: dict | None = None, on_progress=None, session=None):
        self.account = account
        self.checkpoint = dict(checkpoint or {})
        self._on_progress = on_progress
        self.session = session or requests.Session()
        # Set when an answer says the allowance is (nearly) used up: the
        # publisher holds the account's next calls until then.
        self.slow_down_until: datetime | None = None
        # Once a publishing call has been accepted, anything that goes wrong
        # afterwards leaves the post possibly public: the publisher then
        # checks instead of failing or retrying.
        self.sent_publishing_call = False

    # --- what each platform implements ---------------------------------------

    def whoami(self) -> Identity:
        raise NotImplementedError

    def publish(self, content: Content) -> Published:
        raise NotImplementedError

    def confirm(self, content: Content, *, since: datetime) -> Confirmation:
        return Confirmation(Confirmation.UNKNOWN)

    def engagement(self, platform_id: str) -> Engagement | None:
        return None

    # --- token renewal, the same OAuth 2.0 grant everywhere ------------------

    def can_refresh(self) -> bool:
        """Whether ``refresh_token`` can be tried: the account has a refresh
        token and the portal has the platform's client credentials."""
        oauth = self.oauth_refresh
        if oauth is None or not self.account.refresh_token:
            return False
        client_id, client_secret = oauth.client_credentials()
        return bool(client_id and (client_secret or oauth.public_client))

    def refresh_token(self) -> TokenGrant:
        """A new access token (and, on platforms that rotate them, a new
        refresh token); ``TokenRefused`` when the refresh token was revoked
        or has expired, so the account must be reconnected."""
        oauth = self.oauth_refresh
        if oauth is None:
            raise NotImplementedError(f"{self.label} tokens are not renewed by refresh.")
        client_id, client_secret = oauth.client_credentials()
        form = {
            "grant_type": "refresh_token",
            "refresh_token": self.account.refresh_token,
            oauth.client_id_field: client_id,
        }
        auth = None
        if client_secret and oauth.basic_auth:
            auth = (client_id, client_secret)
        elif client_secret:
            form["client_secret"] = client_secret
        try:
            response = self.call("POST", oauth.token_url(), authenticated=False, auth=auth, data=form)
        except PlatformError as error:
            # invalid_grant (400) or an unknown client (401).
            if error.status in (400, 401):
                raise TokenRefused(self.refused_message(error.message), status=error.status) from error
            raise
        body = json_body(response)
        if body.get("error"):
            # TikTok answers a refused refresh with 200 and an error body.
            message = body.get("error_description") or str(body["error"])
            raise TokenRefused(self.refused_message(self.scrub(message)), status=response.status_code)
        if not body.get("access_token"):
            raise self.unexpected(response, "access_token")
        return TokenGrant(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token", ""),
            expires_in=body.get("expires_in"),
        )

    # --- shared machinery ----------------------------------------------------

    def save_progress(self, **values) -> None:
        self.checkpoint.update(values)
        self.heartbeat()

    def forget_progress(self, *keys: str) -> None:
        for key in keys:
            self.checkpoint.pop(key, None)
        self.heartbeat()

    def slow_down(self, until: datetime) -> None:
        if self.slow_down_until is None or until > self.slow_down_until:
            self.slow_down_until = until

    def wait_for_processing(self) -> None:
        """Pause between polls of a platform that is processing media."""
        self.heartbeat()
        if settings.SOCIAL_PROCESSING_POLL_SECONDS > 0:
            time.sleep(settings.SOCIAL_PROCESSING_POLL_SECONDS)

    def heartbeat(self) -> None:
        if self._on_progress is not None:
            self._on_progress(dict(self.checkpoint))

    def secrets(self) -> list[str]:
        return [self.account.access_token or "", self.account.refresh_token or ""]

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.account.access_token}"}

    def scrub(self, text: str) -> str:
        return scrub(text, self.secrets())

    def call(
        self,
        method: str,
        url: str,
        *,
        publishes: bool = False,
        upload: bool = False,
        authenticated: bool = True,
        expected: tuple[int, ...] = (200, 201),
        headers: dict | None = None,
        **kwargs,
    ) -> requests.Response:
        """One HTTP call; returns the response when its status is
        ``expected``, raises the matching ``PlatformError`` otherwise."""
        read_timeout = settings.SOCIAL_UPLOAD_TIMEOUT if upload else settings.SOCIAL_READ_TIMEOUT
        all_headers = {**(self.auth_headers() if authenticated else {}), **(headers or {})}
        try:
            response = self.session.request(
                method,
                url,
                headers=all_headers,
                timeout=(settings.SOCIAL_CONNECT_TIMEOUT, read_timeout),
                allow_redirects=False,
                **kwargs,
            )
        except requests.ConnectTimeout as exc:
            raise TransientError(
                _("%(platform)s tidak dapat dihubungi (batas waktu koneksi habis).")
                % {"platform": self.label}
            ) from exc
        except requests.ReadTimeout as exc:
            if publishes:
                raise Uncertain(
                    _(
                        "%(platform)s tidak menjawab dalam batas waktu setelah permintaan terkirim; "
                        "kiriman mungkin sudah terbit."
                    )
                    % {"platform": self.label}
                ) from exc
            raise TransientError(
                _("%(platform)s tidak menjawab dalam batas waktu.") % {"platform": self.label}
            ) from exc
        except requests.ConnectionError as exc:
            if publishes and not _never_sent(exc):
                raise Uncertain(
                    _(
                        "Koneksi ke %(platform)s terputus setelah permintaan terkirim; kiriman mungkin sudah terbit."
                    )
                    % {"platform": self.label}
                ) from exc
            raise TransientError(_("%(platform)s tidak dapat dihubungi.") % {"platform": self.label}) from exc
        self.inspect(response)
        if response.status_code in expected:
            if publishes:
                self.sent_publishing_call = True
            return response
        raise self.error_for(response)

    def inspect(self, response: requests.Response) -> None:
        """Look at every answer (usage headers) before it is judged."""

    def platform_message(self, response: requests.Response) -> str:
        body = json_body(response)
        for key in ("message", "detail", "error_description", "title"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return error["message"]
        if isinstance(error, str):
            return error
        return response.reason or str(response.status_code)

    def error_for(self, response: requests.Response) -> PlatformError:
        status = response.status_code
        message = self.scrub(self.platform_message(response))
        if status == 401:
            return TokenRefused(self.refused_message(message), status=status)
        if status == 429:
            return RateLimited(self.limited_message(message), retry_at=retry_after(response), status=status)
        if status >= 500:
            return TransientError(
                _("%(platform)s sedang bermasalah (HTTP %(status)s): %(message)s")
                % {"platform": self.label, "status": status, "message": message},
                status=status,
            )
        return PlatformError(
            _("%(platform)s menolak permintaan (HTTP %(status)s): %(message)s")
            % {"platform": self.label, "status": status, "message": message},
            status=status,
        )

    def refused_message(self, message: str) -> str:
        return _("%(platform)s menolak token akses: %(message)s") % {
            "platform": self.label,
            "message": message,
        }

    def limited_message(self, message: str) -> str:
        return _("%(platform)s membatasi jumlah permintaan: %(message)s") % {
            "platform": self.label,
            "message": message,
        }

    def unexpected(self, response: requests.Response, what: str) -> PlatformError:
        return PlatformError(
            _("Jawaban %(platform)s tidak berisi %(what)s.") % {"platform": self.label, "what": what},
            status=response.status_code,
        )


def read_chunks(media: MediaFile, ranges: list[tuple[int, int]]):
    """Yield ``(start, data)`` for each ``(start, end)`` byte range of a
    stored media file, reading one chunk at a time."""
    with media.open() as handle:
        for start, end in ranges:
            handle.seek(start)
            yield start, handle.read(end - start)


def chunk_ranges(size: int, chunk_size: int, *, merge_tail: bool = False) -> list[tuple[int, int]]:
    """Byte ranges covering ``size``; with ``merge_tail`` the remainder
    joins the last full chunk (TikTok counts chunks rounded down)."""
    if size <= chunk_size:
        return [(0, size)]
    ranges = [(start, min(start + chunk_size, size)) for start in range(0, size, chunk_size)]
    if merge_tail and ranges[-1][1] - ranges[-1][0] < chunk_size:
        tail = ranges.pop()
        ranges[-1] = (ranges[-1][0], tail[1])
    return ranges


def normalise_text(text: str) -> str:
    """Text compared when searching a platform for our own post: links
    (which platforms shorten) and whitespace removed, case folded."""
    text = re.sub(r"https?://\S+", "", text or "")
    return " ".join(text.split()).casefold()


def dumps(value) -> str:
    return json.dumps(value, separators=(",", ":"))
