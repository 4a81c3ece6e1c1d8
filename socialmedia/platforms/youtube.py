"""YouTube channels through the Data API v3 resumable upload.

1. ``POST {api}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status``
   with the metadata as JSON and ``X-Upload-Content-Length/-Type``; the
   answer's ``Location`` is the upload session;
2. ``PUT`` the bytes to the session; ``200``/``201`` returns the video.

The session URL is kept in the checkpoint before any byte is sent. An
interrupted upload is asked where it stands with an empty ``PUT`` carrying
``Content-Range: bytes */{size}``: ``308 Resume Incomplete`` (with a
``Range`` of what arrived) means continue from there, ``200``/``201`` means
the video exists. That answer is definitive, so a YouTube delivery is never
uploaded twice.

Access tokens last an hour; with a refresh token and the OAuth client
configured they are renewed at ``SOCIAL_GOOGLE_TOKEN_URL``. The daily quota
(``quotaExceeded``) resets at midnight Pacific time.
"""

from __future__ import annotations

import zoneinfo
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
    json_body,
    retry_after,
)

QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded", "uploadLimitExceeded"})
RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")


def next_pacific_midnight(now: datetime) -> datetime:
    local = now.astimezone(PACIFIC)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=5, second=0, microsecond=0)
    return midnight


class SessionGone(Exception):
    """The upload session expired or is unknown."""


class YouTubeAdapter(Adapter):
    platform = "youtube"
    label = "YouTube"
    # Google's token endpoint, the client's id and secret as form fields.
    oauth_refresh = OAuthRefresh(
        endpoint=("SOCIAL_GOOGLE_TOKEN_URL", ""),
        credentials=("SOCIAL_YOUTUBE_CLIENT_ID", "SOCIAL_YOUTUBE_CLIENT_SECRET"),
    )

    @property
    def api(self) -> str:
        return settings.SOCIAL_YOUTUBE_API_URL

    def _reasons(self, response: requests.Response) -> set[str]:
        error = json_body(response).get("error")
        if not isinstance(error, dict):
            return set()
        return {e.get("reason") for e in error.get("errors", []) if isinstance(e, dict)}

    def error_for(self, response: requests.Response) -> PlatformError:
        reasons = self._reasons(response)
        message = self.scrub(self.platform_message(response))
        if reasons & QUOTA_REASONS:
            return RateLimited(
                _("Kuota harian YouTube habis: %(message)s") % {"message": message},
                retry_at=next_pacific_midnight(timezone.now()),
                status=response.status_code,
            )
        if reasons & RATE_REASONS:
            return RateLimited(
                self.limited_message(message), retry_at=retry_after(response), status=response.status_code
            )
        return super().error_for(response)

    def whoami(self) -> Identity:
        body = json_body(
            self.call("GET", f"{self.api}/youtube/v3/channels", params={"part": "snippet", "mine": "true"})
        )
        items = body.get("items") or []
        if not items:
            raise PlatformError(_("Token ini tidak terhubung ke kanal YouTube mana pun."))
        snippet = items[0].get("snippet") or {}
        return Identity(name=snippet.get("title", ""), handle=snippet.get("customUrl", ""))

    def publish(self, content: Content) -> Published:
        video = content.video
        if video is None:
            raise PlatformError(_("YouTube memerlukan video."))
        session = self.checkpoint.get("session_url")
        offset = 0
        if session:
            try:
                done, offset = self._upload_status(session, video.size)
            except SessionGone:
                self.forget_progress("session_url")
                session = None
            else:
                if done is not None:
                    return done
        if not session:
            session = self._start_session(content)
            self.save_progress(session_url=session)
            offset = 0
        headers = {"Content-Type": video.content_type}
        with video.open() as handle:
            handle.seek(offset)
            if offset:
                headers["Content-Range"] = f"bytes {offset}-{video.size - 1}/{video.size}"
            headers["Content-Length"] = str(video.size - offset)
            response = self.call("PUT", session, publishes=True, upload=True, headers=headers, data=handle)
        return self._published(response)

    def _start_session(self, content: Content) -> str:
        video = content.video
        metadata = {
            "snippet": {
                "title": content.title,
                "description": content.text_with_link(),
                "categoryId": settings.SOCIAL_YOUTUBE_CATEGORY_ID,
            },
            "status": {
                "privacyStatus": settings.SOCIAL_YOUTUBE_PRIVACY_STATUS,
                "selfDeclaredMadeForKids": False,
            },
        }
        response = self.call(
            "POST",
            f"{self.api}/upload/youtube/v3/videos",
            params={"uploadType": "resumable", "part": "snippet,status"},
            json=metadata,
            headers={"X-Upload-Content-Length": str(video.size), "X-Upload-Content-Type": video.content_type},
        )
        location = response.headers.get("Location")
        if not location:
            raise self.unexpected(response, "Location")
        return location

    def _upload_status(self, session: str, size: int) -> tuple[Published | None, int]:
        """Ask the session how far the upload got: ``(video, 0)`` when it is
        complete, ``(None, offset)`` when it continues from ``offset``."""
        try:
            response = self.call(
                "PUT",
                session,
                expected=(200, 201, 308),
                headers={"Content-Length": "0", "Content-Range": f"bytes */{size}"},
            )
        except PlatformError as error:
            if error.status in (404, 410):
                raise SessionGone from error
            raise
        if response.status_code == 308:
            received = response.headers.get("Range", "")
            offset = int(received.rsplit("-", 1)[-1]) + 1 if "-" in received else 0
            return None, offset
        return self._published(response), 0

    def _published(self, response: requests.Response) -> Published:
        video_id = json_body(response).get("id")
        if not video_id:
            raise self.unexpected(response, "id")
        return Published(platform_id=str(video_id), url=f"https://www.youtube.com/watch?v={video_id}")

    def confirm(self, content: Content, *, since: datetime) -> Confirmation:
        session = self.checkpoint.get("session_url")
        if not session or content.video is None:
            return Confirmation(Confirmation.NOT_PUBLISHED)
        try:
            done, _offset = self._upload_status(session, content.video.size)
        except SessionGone:
            return Confirmation(Confirmation.NOT_PUBLISHED)
        if done is not None:
            return Confirmation(Confirmation.PUBLISHED, done)
        return Confirmation(Confirmation.RESUME)

    def engagement(self, platform_id: str) -> Engagement | None:
        body = json_body(
            self.call(
                "GET", f"{self.api}/youtube/v3/videos", params={"part": "statistics", "id": platform_id}
            )
        )
        items = body.get("items") or []
        if not items:
            return None
        stats = items[0].get("statistics") or {}

        def number(key):
            value = stats.get(key)
            return int(value) if value not in (None, "") else None

        return Engagement(
            likes=number("likeCount"), comments=number("commentCount"), views=number("viewCount")
        )
