"""What Facebook and Instagram share: Meta's Graph API errors and usage
headers.

Graph errors come as ``{"error": {"message", "type", "code",
"error_subcode", "is_transient", "fbtrace_id"}}``, usually with HTTP 400
whatever the cause, so the ``code`` decides: 190 (and 102) is a refused
token; 4, 17, 32, 613 and the 800xx page/Instagram codes are rate limits;
1, 2 or ``is_transient`` are temporary. Usage headers (``X-App-Usage``,
``X-Business-Use-Case-Usage``) report percentages of the allowance; near
the limit we stop calling before Meta blocks the app.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .base import Adapter, PlatformError, RateLimited, TokenRefused, TransientError, json_body, retry_after

TOKEN_ERROR_CODES = frozenset({102, 190})
RATE_LIMIT_ERROR_CODES = frozenset({4, 17, 32, 613, 80001, 80002})
TRANSIENT_ERROR_CODES = frozenset({1, 2})


def _usage_header(response: requests.Response, name: str):
    raw = response.headers.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def usage_wait(response: requests.Response) -> tuple[int, timedelta | None]:
    """The highest usage percentage reported and, when Meta says so, how
    long until access is regained."""
    highest = 0
    wait: timedelta | None = None
    app = _usage_header(response, "X-App-Usage")
    if isinstance(app, dict):
        highest = max([highest] + [int(v) for v in app.values() if isinstance(v, int | float)])
    business = _usage_header(response, "X-Business-Use-Case-Usage")
    if isinstance(business, dict):
        for entries in business.values():
            for entry in entries if isinstance(entries, list) else []:
                if not isinstance(entry, dict):
                    continue
                for key in ("call_count", "total_cputime", "total_time"):
                    value = entry.get(key)
                    if isinstance(value, int | float):
                        highest = max(highest, int(value))
                minutes = entry.get("estimated_time_to_regain_access")
                if isinstance(minutes, int | float) and minutes > 0:
                    candidate = timedelta(minutes=minutes)
                    wait = candidate if wait is None else max(wait, candidate)
    return highest, wait


class GraphAdapter(Adapter):
    base_setting = ""

    @property
    def base(self) -> str:
        return getattr(settings, self.base_setting)

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def inspect(self, response: requests.Response) -> None:
        highest, wait = usage_wait(response)
        if highest >= settings.SOCIAL_META_USAGE_THRESHOLD:
            self.slow_down(self._regain_at(wait))

    def _regain_at(self, wait: timedelta | None) -> datetime:
        if wait is None:
            wait = timedelta(seconds=settings.SOCIAL_RATE_LIMIT_DEFAULT_SECONDS)
        return timezone.now() + wait

    def platform_message(self, response: requests.Response) -> str:
        error = json_body(response).get("error")
        if isinstance(error, dict) and error.get("message"):
            code = error.get("code")
            return f"{error['message']} (#{code})" if code is not None else str(error["message"])
        return super().platform_message(response)

    def error_for(self, response: requests.Response) -> PlatformError:
        error = json_body(response).get("error")
        error = error if isinstance(error, dict) else {}
        code = error.get("code")
        status = response.status_code
        message = self.scrub(self.platform_message(response))
        if code in TOKEN_ERROR_CODES or status == 401:
            return TokenRefused(self.refused_message(message), status=status, code=code)
        if code in RATE_LIMIT_ERROR_CODES or status == 429:
            _highest, wait = usage_wait(response)
            retry_at = self._regain_at(wait) if wait else retry_after(response)
            return RateLimited(self.limited_message(message), retry_at=retry_at, status=status, code=code)
        if status >= 500 or code in TRANSIENT_ERROR_CODES or error.get("is_transient"):
            return TransientError(
                _("%(platform)s sedang bermasalah: %(message)s")
                % {"platform": self.label, "message": message},
                status=status,
                code=code,
            )
        return PlatformError(
            _("%(platform)s menolak permintaan: %(message)s") % {"platform": self.label, "message": message},
            status=status,
            code=code,
        )
