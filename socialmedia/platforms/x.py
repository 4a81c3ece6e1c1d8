"""X (Twitter) through API v2, with an OAuth 2.0 user access token.

- post: ``POST /2/tweets`` with ``{"text", "media": {"media_ids": [...]}}``
- media: the v2 chunked upload endpoints, for images and video alike:
  ``POST /2/media/upload/initialize`` (JSON ``media_type``, ``total_bytes``,
  ``media_category``), ``POST /2/media/upload/{id}/append`` (multipart
  ``media`` + ``segment_index``), ``POST /2/media/upload/{id}/finalize``,
  then ``GET /2/media/upload?command=STATUS&media_id=…`` while
  ``processing_info.state`` is pending. One flow for every media type keeps
  one code path; it lives under ``SOCIAL_X_UPLOAD_URL``.
- identity: ``GET /2/users/me``; checking an unconfirmed post:
  ``GET /2/users/{id}/tweets``; engagement: ``GET /2/tweets/{id}`` with
  ``public_metrics``.

Rate limits come as ``x-rate-limit-limit/remaining/reset`` headers (reset in
epoch seconds); at zero remaining we stop until the reset even before X
answers 429.
"""

from __future__ import annotations

from datetime import UTC, datetime

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .base import (
    Adapter,
    Confirmation,
    Content,
    Engagement,
    Identity,
    MediaFile,
    OAuthRefresh,
    PlatformError,
    Published,
    RateLimited,
    StillProcessing,
    TokenRefused,
    chunk_ranges,
    json_body,
    normalise_text,
    read_chunks,
    retry_after,
)

# Append segments are limited to a few megabytes.
SEGMENT_BYTES = 4 * 1024 * 1024
TOKEN_ERROR_CODES = frozenset({89, 32})


def _reset_at(response: requests.Response) -> datetime | None:
    reset = response.headers.get("x-rate-limit-reset", "").strip()
    if reset.isdigit():
        return datetime.fromtimestamp(int(reset), tz=UTC)
    return None


class XAdapter(Adapter):
    platform = "x"
    label = "X"
    # POST /2/oauth2/token. A public client sends only its id; a
    # confidential one authenticates with HTTP Basic.
    oauth_refresh = OAuthRefresh(
        endpoint=("SOCIAL_X_API_URL", "/2/oauth2/token"),
        credentials=("SOCIAL_X_CLIENT_ID", "SOCIAL_X_CLIENT_SECRET"),
        public_client=True,
        basic_auth=True,
    )

    @property
    def api(self) -> str:
        return settings.SOCIAL_X_API_URL

    @property
    def upload_api(self) -> str:
        return settings.SOCIAL_X_UPLOAD_URL

    def inspect(self, response: requests.Response) -> None:
        if response.headers.get("x-rate-limit-remaining", "").strip() == "0":
            reset = _reset_at(response)
            if reset is not None and reset > timezone.now():
                self.slow_down(reset)

    def platform_message(self, response: requests.Response) -> str:
        body = json_body(response)
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            text = first.get("message") or first.get("detail") or ""
            if text:
                return f"{text} ({first['code']})" if first.get("code") else text
        return super().platform_message(response)

    def error_for(self, response: requests.Response) -> PlatformError:
        body = json_body(response)
        codes = {e.get("code") for e in body.get("errors", []) if isinstance(e, dict)}
        if response.status_code == 401 or codes & TOKEN_ERROR_CODES:
            message = self.scrub(self.platform_message(response))
            return TokenRefused(self.refused_message(message), status=response.status_code)
        if response.status_code == 429 or 88 in codes:
            message = self.scrub(self.platform_message(response))
            reset = _reset_at(response)
            return RateLimited(
                self.limited_message(message),
                retry_at=reset if reset and reset > timezone.now() else retry_after(response),
                status=response.status_code,
            )
        return super().error_for(response)

    def whoami(self) -> Identity:
        body = json_body(self.call("GET", f"{self.api}/2/users/me"))
        data = body.get("data") or {}
        if not data.get("username"):
            raise PlatformError(_("X tidak mengembalikan nama pengguna."))
        return Identity(name=data.get("name") or data["username"], handle=data["username"])

    def publish(self, content: Content) -> Published:
        media = [content.video] if content.video else list(content.images)
        media_ids = [self._upload(item) for item in media]
        body: dict = {"text": content.text_with_link()}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        response = self.call("POST", f"{self.api}/2/tweets", publishes=True, json=body)
        tweet_id = (json_body(response).get("data") or {}).get("id")
        if not tweet_id:
            raise self.unexpected(response, "id")
        return Published(platform_id=str(tweet_id), url=self._url(str(tweet_id)))

    def _url(self, tweet_id: str) -> str:
        handle = self.account.handle or "i/web"
        return f"https://x.com/{handle}/status/{tweet_id}"

    def _upload(self, item: MediaFile) -> str:
        """Upload one file (or resume its processing) and return its media
        id once X has finished processing it."""
        uploads: dict = dict(self.checkpoint.get("media", {}))
        known = uploads.get(item.name)
        if known and known.get("ready"):
            return known["id"]
        if known:
            media_id = known["id"]
        else:
            if item.kind == "video":
                category = "tweet_video"
            elif item.content_type == "image/gif":
                category = "tweet_gif"
            else:
                category = "tweet_image"
            init = self.call(
                "POST",
                f"{self.upload_api}/2/media/upload/initialize",
                json={"media_type": item.content_type, "total_bytes": item.size, "media_category": category},
            )
            media_id = str((json_body(init).get("data") or {}).get("id") or "")
            if not media_id:
                raise self.unexpected(init, "media id")
            ranges = chunk_ranges(item.size, SEGMENT_BYTES)
            for index, (_start, data) in enumerate(read_chunks(item, ranges)):
                self.call(
                    "POST",
                    f"{self.upload_api}/2/media/upload/{media_id}/append",
                    upload=True,
                    expected=(200, 201, 204),
                    data={"segment_index": str(index)},
                    files={"media": ("chunk", data, "application/octet-stream")},
                )
                self.heartbeat()
            finalize = self.call("POST", f"{self.upload_api}/2/media/upload/{media_id}/finalize")
            info = (json_body(finalize).get("data") or {}).get("processing_info")
            uploads[item.name] = {"id": media_id, "ready": not info}
            self.save_progress(media=uploads)
            if not info:
                return media_id
        self._wait_for_media(media_id)
        uploads[item.name] = {"id": media_id, "ready": True}
        self.save_progress(media=uploads)
        return media_id

    def _wait_for_media(self, media_id: str) -> None:
        for poll in range(settings.SOCIAL_PROCESSING_MAX_POLLS):
            response = self.call(
                "GET", f"{self.upload_api}/2/media/upload", params={"command": "STATUS", "media_id": media_id}
            )
            info = (json_body(response).get("data") or {}).get("processing_info") or {}
            state = info.get("state", "succeeded")
            if state == "succeeded":
                return
            if state == "failed":
                error = info.get("error") or {}
                # A failed upload cannot be attached; the next attempt uploads afresh.
                uploads = {
                    k: v for k, v in self.checkpoint.get("media", {}).items() if v.get("id") != media_id
                }
                self.save_progress(media=uploads)
                raise PlatformError(
                    _("X gagal memproses media: %(message)s")
                    % {"message": self.scrub(error.get("message") or error.get("name") or state)}
                )
            if poll + 1 < settings.SOCIAL_PROCESSING_MAX_POLLS:
                self.wait_for_processing()
        raise StillProcessing(_("X masih memproses media."))

    def confirm(self, content: Content, *, since: datetime) -> Confirmation:
        """Look for our text among the account's posts since the claim."""
        wanted = normalise_text(content.text_with_link())
        if not wanted:
            return Confirmation(Confirmation.UNKNOWN)
        response = self.call(
            "GET",
            f"{self.api}/2/users/{self.account.account_id}/tweets",
            params={
                "start_time": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "max_results": 20,
                "tweet.fields": "created_at",
            },
        )
        for tweet in json_body(response).get("data") or []:
            if normalise_text(tweet.get("text", "")) == wanted:
                return Confirmation(
                    Confirmation.PUBLISHED,
                    Published(platform_id=str(tweet["id"]), url=self._url(str(tweet["id"]))),
                )
        return Confirmation(Confirmation.UNKNOWN)

    def engagement(self, platform_id: str) -> Engagement | None:
        body = json_body(
            self.call("GET", f"{self.api}/2/tweets/{platform_id}", params={"tweet.fields": "public_metrics"})
        )
        metrics = (body.get("data") or {}).get("public_metrics") or {}
        if not metrics:
            return None
        return Engagement(
            likes=metrics.get("like_count"),
            comments=metrics.get("reply_count"),
            shares=(metrics.get("retweet_count") or 0) + (metrics.get("quote_count") or 0),
            views=metrics.get("impression_count"),
        )
