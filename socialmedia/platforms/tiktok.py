"""TikTok through the Content Posting API (direct post, file upload).

1. ``POST /v2/post/publish/creator_info/query/`` — the privacy levels and
   the longest video this creator may post (TikTok requires asking first);
2. ``POST /v2/post/publish/video/init/`` with ``source_info.source =
   FILE_UPLOAD`` and the chunking → ``publish_id`` and ``upload_url``;
3. ``PUT`` each chunk to ``upload_url`` with ``Content-Range``
   (206 while partial, 201 when complete);
4. ``POST /v2/post/publish/status/fetch/`` until ``PUBLISH_COMPLETE``.

Answers are ``{"data": {...}, "error": {"code", "message", "log_id"}}``;
``error.code`` is ``"ok"`` on success. The ``publish_id`` is kept in the
checkpoint before the upload, so an interrupted delivery is checked with the
status endpoint instead of being uploaded again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

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
    OAuthRefresh,
    PlatformError,
    Published,
    RateLimited,
    StillProcessing,
    TokenRefused,
    chunk_ranges,
    json_body,
    read_chunks,
    retry_after,
)

TOKEN_ERROR_CODES = frozenset({"access_token_invalid", "scope_not_authorized"})
RATE_ERROR_CODES = frozenset({"rate_limit_exceeded"})
# The creator has posted too much today; try again much later.
DAILY_CAP_CODES = frozenset({"spam_risk_too_many_posts", "spam_risk_too_many_pending_share"})
# TikTok takes chunks of 5 to 64 MB; a smaller video goes in one piece.
CHUNK_BYTES = 10 * 1024 * 1024
PROCESSING = frozenset({"PROCESSING_UPLOAD", "PROCESSING_DOWNLOAD", "SEND_TO_USER_INBOX"})


class TikTokAdapter(Adapter):
    platform = "tiktok"
    label = "TikTok"
    # POST /v2/oauth/token/ with the client's key and secret as form fields.
    oauth_refresh = OAuthRefresh(
        endpoint=("SOCIAL_TIKTOK_API_URL", "/v2/oauth/token/"),
        credentials=("SOCIAL_TIKTOK_CLIENT_KEY", "SOCIAL_TIKTOK_CLIENT_SECRET"),
        client_id_field="client_key",
    )

    @property
    def api(self) -> str:
        return settings.SOCIAL_TIKTOK_API_URL

    def _error_code(self, response: requests.Response) -> str:
        error = json_body(response).get("error")
        if isinstance(error, dict):
            return str(error.get("code") or "")
        return str(error or "")

    def platform_message(self, response: requests.Response) -> str:
        error = json_body(response).get("error")
        if isinstance(error, dict):
            text = error.get("message") or ""
            code = error.get("code") or ""
            if text or code:
                return f"{text} ({code})" if text and code else text or code
        return super().platform_message(response)

    def error_for(self, response: requests.Response) -> PlatformError:
        code = self._error_code(response)
        message = self.scrub(self.platform_message(response))
        if code in TOKEN_ERROR_CODES or response.status_code == 401:
            return TokenRefused(self.refused_message(message), status=response.status_code, code=code)
        if code in RATE_ERROR_CODES or response.status_code == 429:
            return RateLimited(
                self.limited_message(message),
                retry_at=retry_after(response, default_seconds=60),
                status=response.status_code,
                code=code,
            )
        if code in DAILY_CAP_CODES:
            return RateLimited(
                self.limited_message(message),
                retry_at=timezone.now() + timedelta(hours=6),
                status=response.status_code,
                code=code,
            )
        return super().error_for(response)

    def api_call(self, path: str, *, method: str = "POST", **kwargs) -> dict:
        """A call to the open API; an answer whose ``error.code`` is not
        ``ok`` is an error whatever its HTTP status."""
        response = self.call(method, f"{self.api}{path}", **kwargs)
        code = self._error_code(response)
        if code and code != "ok":
            raise self.error_for(response)
        return json_body(response).get("data") or {}

    def whoami(self) -> Identity:
        data = self.api_call("/v2/user/info/", method="GET", params={"fields": "open_id,display_name"})
        user = data.get("user") or {}
        if not user.get("display_name"):
            raise PlatformError(_("TikTok tidak mengembalikan nama akun."))
        return Identity(name=user["display_name"], handle=self.account.handle)

    def creator_info(self) -> dict:
        return self.api_call(
            "/v2/post/publish/creator_info/query/",
            json={},
            headers={"Content-Type": "application/json; charset=UTF-8"},
        )

    def publish(self, content: Content) -> Published:
        video = content.video
        if video is None:
            raise PlatformError(_("TikTok memerlukan video."))
        publish_id = self.checkpoint.get("publish_id")
        if publish_id:
            status = self.fetch_status(publish_id)
            state = status.get("status")
            if state == "PUBLISH_COMPLETE" or (state in PROCESSING and state != "PROCESSING_UPLOAD"):
                return self._wait_until_published(publish_id)
            if state == "PROCESSING_UPLOAD" and self.checkpoint.get("uploaded"):
                return self._wait_until_published(publish_id)
            # Failed, or the upload never completed: TikTok will not post it,
            # so a fresh upload cannot make a second post.
            self.forget_progress("publish_id", "uploaded")
        self._check_creator(video)
        ranges = chunk_ranges(video.size, CHUNK_BYTES, merge_tail=True)
        data = self.api_call(
            "/v2/post/publish/video/init/",
            headers={"Content-Type": "application/json; charset=UTF-8"},
            json={
                "post_info": {
                    "title": content.text_with_link(),
                    "privacy_level": settings.SOCIAL_TIKTOK_PRIVACY_LEVEL,
                    "disable_comment": False,
                    "disable_duet": False,
                    "disable_stitch": False,
                },
                "source_info": {
                    "source": "FILE_UPLOAD",
                    "video_size": video.size,
                    "chunk_size": ranges[0][1] - ranges[0][0],
                    "total_chunk_count": len(ranges),
                },
            },
        )
        publish_id, upload_url = data.get("publish_id"), data.get("upload_url")
        if not publish_id or not upload_url:
            raise PlatformError(_("TikTok tidak mengembalikan publish_id dan upload_url."))
        # The upload URL carries its own upload token; it is used once and
        # never stored.
        self.save_progress(publish_id=publish_id)
        for start, chunk in read_chunks(video, ranges):
            self.call(
                "PUT",
                upload_url,
                publishes=True,
                upload=True,
                authenticated=False,
                expected=(200, 201, 206),
                headers={
                    "Content-Type": video.content_type,
                    "Content-Length": str(len(chunk)),
                    "Content-Range": f"bytes {start}-{start + len(chunk) - 1}/{video.size}",
                },
                data=chunk,
            )
            self.heartbeat()
        self.save_progress(uploaded=True)
        return self._wait_until_published(publish_id)

    def _check_creator(self, video) -> None:
        info = self.creator_info()
        options = info.get("privacy_level_options") or []
        level = settings.SOCIAL_TIKTOK_PRIVACY_LEVEL
        if options and level not in options:
            raise PlatformError(
                _(
                    "TikTok tidak mengizinkan tingkat privasi %(level)s untuk akun ini (tersedia: %(options)s)."
                )
                % {"level": level, "options": ", ".join(options)}
            )
        longest = info.get("max_video_post_duration_sec")
        if longest and video.duration and video.duration > longest:
            raise PlatformError(
                _(
                    "Video terlalu panjang untuk akun TikTok ini: %(duration)s detik, paling lama %(max)s detik."
                )
                % {"duration": int(video.duration), "max": longest}
            )

    def fetch_status(self, publish_id: str) -> dict:
        return self.api_call(
            "/v2/post/publish/status/fetch/",
            headers={"Content-Type": "application/json; charset=UTF-8"},
            json={"publish_id": publish_id},
        )

    def _wait_until_published(self, publish_id: str) -> Published:
        for poll in range(settings.SOCIAL_PROCESSING_MAX_POLLS):
            status = self.fetch_status(publish_id)
            state = status.get("status")
            if state == "PUBLISH_COMPLETE":
                return self._published(status)
            if state == "FAILED":
                self.forget_progress("publish_id", "uploaded")
                raise PlatformError(
                    _("TikTok gagal menerbitkan video: %(reason)s")
                    % {"reason": self.scrub(status.get("fail_reason") or state)}
                )
            if poll + 1 < settings.SOCIAL_PROCESSING_MAX_POLLS:
                self.wait_for_processing()
        raise StillProcessing(_("TikTok masih memproses video."))

    def _published(self, status: dict) -> Published:
        # The field is spelled this way in TikTok's API.
        ids = status.get("publicaly_available_post_id") or []
        post_id = str(ids[0]) if ids else ""
        url = ""
        if post_id and self.account.handle:
            url = f"https://www.tiktok.com/@{self.account.handle.lstrip('@')}/video/{post_id}"
        return Published(platform_id=post_id, url=url)

    def confirm(self, content: Content, *, since: datetime) -> Confirmation:
        publish_id = self.checkpoint.get("publish_id")
        if not publish_id:
            return Confirmation(Confirmation.NOT_PUBLISHED)
        status = self.fetch_status(publish_id)
        state = status.get("status")
        if state == "PUBLISH_COMPLETE":
            return Confirmation(Confirmation.PUBLISHED, self._published(status))
        if state == "FAILED":
            return Confirmation(
                Confirmation.NOT_PUBLISHED, message=self.scrub(status.get("fail_reason") or "")
            )
        return Confirmation(Confirmation.RESUME)

    def engagement(self, platform_id: str) -> Engagement | None:
        data = self.api_call(
            "/v2/video/query/",
            params={"fields": "id,like_count,comment_count,share_count,view_count"},
            headers={"Content-Type": "application/json; charset=UTF-8"},
            json={"filters": {"video_ids": [platform_id]}},
        )
        videos = data.get("videos") or []
        if not videos:
            return None
        video = videos[0]
        return Engagement(
            likes=video.get("like_count"),
            comments=video.get("comment_count"),
            shares=video.get("share_count"),
            views=video.get("view_count"),
        )
