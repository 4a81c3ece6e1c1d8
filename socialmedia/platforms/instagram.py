"""Instagram professional accounts through the Graph API content publishing
flow:

1. ``GET /{ig-user-id}/content_publishing_limit`` — stop before the 24-hour
   quota is used up;
2. ``POST /{ig-user-id}/media`` — a container (``image_url`` or
   ``video_url`` with ``media_type=REELS``; for several images one
   container per image with ``is_carousel_item`` and a ``CAROUSEL``
   container over them);
3. ``GET /{container-id}?fields=status_code`` until ``FINISHED``;
4. ``POST /{ig-user-id}/media_publish`` with ``creation_id``.

Instagram fetches the media itself, from the site's public address
(``SITE_URL`` + ``MEDIA_URL``). A container is published at most once, which
is what makes an interrupted delivery safe to resume: the checkpoint keeps
the container id, and the next attempt publishes that container rather
than making a new one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .base import (
    Confirmation,
    Content,
    Engagement,
    Identity,
    PlatformError,
    Published,
    RateLimited,
    StillProcessing,
    TransientError,
    Uncertain,
    json_body,
    normalise_text,
)
from .graph import GraphAdapter


class InstagramAdapter(GraphAdapter):
    platform = "instagram"
    label = "Instagram"
    base_setting = "SOCIAL_INSTAGRAM_GRAPH_URL"

    @property
    def user(self) -> str:
        return self.account.account_id

    def whoami(self) -> Identity:
        body = json_body(self.call("GET", self.url(self.user), params={"fields": "username,name"}))
        if not body.get("username"):
            raise PlatformError(_("Instagram tidak mengembalikan nama pengguna."))
        return Identity(name=body.get("name") or body["username"], handle=body["username"])

    def publishing_quota(self) -> tuple[int, int, int]:
        """(used, total, window in seconds) of the API publishing quota."""
        response = self.call(
            "GET", self.url(f"{self.user}/content_publishing_limit"), params={"fields": "quota_usage,config"}
        )
        rows = json_body(response).get("data") or [{}]
        row = rows[0] if isinstance(rows[0], dict) else {}
        config = row.get("config") or {}
        return (
            int(row.get("quota_usage") or 0),
            int(config.get("quota_total") or 0),
            int(config.get("quota_duration") or 86400),
        )

    def publish(self, content: Content) -> Published:
        used, total, window = self.publishing_quota()
        if total and used >= total:
            # The quota is a rolling window; try again in an hour, when the
            # oldest post may have left it.
            raise RateLimited(
                _("Instagram: kuota %(total)s kiriman per %(hours)s jam lewat API sudah terpakai.")
                % {"total": total, "hours": window // 3600},
                retry_at=timezone.now() + timedelta(hours=1),
            )
        container = self.checkpoint.get("container_id")
        if not container:
            container = self._create_container(content)
            self.save_progress(container_id=container)
        status = self._wait_until_ready(container)
        if status == "PUBLISHED":
            # An earlier attempt published it and was cut off before hearing so.
            found = self._find_recent(content)
            if found:
                return found
            raise Uncertain(
                _("Instagram menyatakan kontainer sudah terbit, tetapi kirimannya belum ditemukan.")
            )
        response = self.call(
            "POST", self.url(f"{self.user}/media_publish"), publishes=True, data={"creation_id": container}
        )
        media_id = json_body(response).get("id")
        if not media_id:
            raise self.unexpected(response, "id")
        return Published(platform_id=str(media_id), url=self._permalink(str(media_id)))

    def _create_container(self, content: Content) -> str:
        caption = content.text_with_link()
        if content.video:
            data = {
                "media_type": "REELS",
                "video_url": content.video.public_url,
                "caption": caption,
                "share_to_feed": "true",
            }
        elif len(content.images) == 1:
            data = {"image_url": content.images[0].public_url, "caption": caption}
        elif content.images:
            children: dict = dict(self.checkpoint.get("children", {}))
            for image in content.images:
                if image.name in children:
                    continue
                child = json_body(
                    self.call(
                        "POST",
                        self.url(f"{self.user}/media"),
                        data={"image_url": image.public_url, "is_carousel_item": "true"},
                    )
                ).get("id")
                if not child:
                    raise PlatformError(_("Instagram tidak mengembalikan ID kontainer gambar."))
                children[image.name] = str(child)
                self.save_progress(children=children)
            data = {
                "media_type": "CAROUSEL",
                "children": ",".join(children[image.name] for image in content.images),
                "caption": caption,
            }
        else:
            raise PlatformError(_("Instagram memerlukan gambar atau video."))
        response = self.call("POST", self.url(f"{self.user}/media"), data=data)
        container = json_body(response).get("id")
        if not container:
            raise self.unexpected(response, "id")
        return str(container)

    def container_status(self, container: str) -> tuple[str, str]:
        body = json_body(self.call("GET", self.url(container), params={"fields": "status_code,status"}))
        return str(body.get("status_code") or ""), str(body.get("status") or "")

    def _wait_until_ready(self, container: str) -> str:
        for poll in range(settings.SOCIAL_PROCESSING_MAX_POLLS):
            status, detail = self.container_status(container)
            if status in ("FINISHED", "PUBLISHED"):
                return status
            if status == "ERROR":
                self.forget_progress("container_id", "children")
                raise PlatformError(
                    _("Instagram gagal memproses media: %(detail)s")
                    % {"detail": self.scrub(detail) or status}
                )
            if status == "EXPIRED":
                # Unpublished containers expire after a day; start afresh.
                self.forget_progress("container_id", "children")
                raise TransientError(_("Kontainer Instagram kedaluwarsa sebelum diterbitkan; dibuat ulang."))
            if poll + 1 < settings.SOCIAL_PROCESSING_MAX_POLLS:
                self.wait_for_processing()
        raise StillProcessing(_("Instagram masih memproses media."))

    def _permalink(self, media_id: str) -> str:
        try:
            body = json_body(self.call("GET", self.url(media_id), params={"fields": "permalink"}))
        except PlatformError:
            body = {}
        return body.get("permalink", "")

    def _find_recent(self, content: Content) -> Published | None:
        wanted = normalise_text(content.text_with_link())
        response = self.call(
            "GET",
            self.url(f"{self.user}/media"),
            params={"fields": "id,caption,permalink,timestamp", "limit": 25},
        )
        for media in json_body(response).get("data", []):
            if wanted and normalise_text(media.get("caption", "")) == wanted:
                return Published(platform_id=str(media["id"]), url=media.get("permalink", ""))
        return None

    def confirm(self, content: Content, *, since: datetime) -> Confirmation:
        container = self.checkpoint.get("container_id")
        if not container:
            # Nothing can be published without a container, and a container
            # is remembered before it is published.
            return Confirmation(Confirmation.NOT_PUBLISHED)
        status, detail = self.container_status(container)
        if status == "PUBLISHED":
            found = self._find_recent(content)
            if found:
                return Confirmation(Confirmation.PUBLISHED, found)
            return Confirmation(
                Confirmation.UNKNOWN, message=_("Instagram menyatakan terbit; tautan belum ditemukan.")
            )
        if status in ("FINISHED", "IN_PROGRESS"):
            return Confirmation(Confirmation.RESUME)
        return Confirmation(Confirmation.NOT_PUBLISHED, message=self.scrub(detail or status))

    def engagement(self, platform_id: str) -> Engagement | None:
        body = json_body(
            self.call("GET", self.url(platform_id), params={"fields": "like_count,comments_count"})
        )
        likes = body.get("like_count")
        comments = body.get("comments_count")
        return Engagement(
            likes=int(likes) if likes is not None else None,
            comments=int(comments) if comments is not None else None,
        )
