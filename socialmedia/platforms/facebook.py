"""Facebook Pages through the Graph API.

- text and link: ``POST /{page-id}/feed`` (``message``, ``link``)
- one photo: ``POST /{page-id}/photos`` (multipart ``source``, ``message``)
- several photos: each ``POST /{page-id}/photos`` with ``published=false``,
  then ``POST /{page-id}/feed`` with ``attached_media[n]={"media_fbid": …}``
- video: ``POST /{page-id}/videos`` (``file_url``, ``description``)

The Page access token goes in the ``Authorization`` header, never in a URL.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from .base import (
    Confirmation,
    Content,
    Engagement,
    Identity,
    PlatformError,
    Published,
    dumps,
    json_body,
    normalise_text,
)
from .graph import GraphAdapter


class FacebookAdapter(GraphAdapter):
    platform = "facebook"
    label = "Facebook"
    base_setting = "SOCIAL_FACEBOOK_GRAPH_URL"

    @property
    def page(self) -> str:
        return self.account.account_id

    def whoami(self) -> Identity:
        body = json_body(self.call("GET", self.url(self.page), params={"fields": "name,username"}))
        if not body.get("name"):
            raise PlatformError(_("Facebook tidak mengembalikan nama Halaman."))
        return Identity(name=body["name"], handle=body.get("username", ""))

    def publish(self, content: Content) -> Published:
        if content.video:
            response = self.call(
                "POST",
                self.url(f"{self.page}/videos"),
                publishes=True,
                upload=True,
                data={
                    "file_url": content.video.public_url,
                    "description": content.text_with_link(),
                    "title": content.title,
                },
            )
            video_id = json_body(response).get("id")
            if not video_id:
                raise self.unexpected(response, "id")
            return Published(platform_id=str(video_id), url=f"https://www.facebook.com/{video_id}")
        if len(content.images) == 1:
            image = content.images[0]
            with image.open() as handle:
                response = self.call(
                    "POST",
                    self.url(f"{self.page}/photos"),
                    publishes=True,
                    upload=True,
                    data={"message": content.text_with_link()},
                    files={"source": (image.name.rsplit("/", 1)[-1], handle, image.content_type)},
                )
            body = json_body(response)
            post_id = body.get("post_id") or body.get("id")
        elif content.images:
            photo_ids = self._upload_unpublished(content)
            data = {"message": content.text_with_link()}
            for index, fbid in enumerate(photo_ids):
                data[f"attached_media[{index}]"] = dumps({"media_fbid": fbid})
            response = self.call("POST", self.url(f"{self.page}/feed"), publishes=True, data=data)
            post_id = json_body(response).get("id")
        else:
            data = {"message": content.text}
            if content.link:
                data["link"] = content.link
            response = self.call("POST", self.url(f"{self.page}/feed"), publishes=True, data=data)
            post_id = json_body(response).get("id")
        if not post_id:
            raise self.unexpected(response, "id")
        return Published(platform_id=str(post_id), url=self._permalink(str(post_id)))

    def _upload_unpublished(self, content: Content) -> list[str]:
        """Upload the photos of a multi-photo post, unpublished (invisible
        until attached), remembering each so a retry does not upload again."""
        uploaded: dict = dict(self.checkpoint.get("photo_ids", {}))
        for image in content.images:
            if image.name in uploaded:
                continue
            with image.open() as handle:
                response = self.call(
                    "POST",
                    self.url(f"{self.page}/photos"),
                    upload=True,
                    data={"published": "false"},
                    files={"source": (image.name.rsplit("/", 1)[-1], handle, image.content_type)},
                )
            photo_id = json_body(response).get("id")
            if not photo_id:
                raise self.unexpected(response, "id")
            uploaded[image.name] = str(photo_id)
            self.save_progress(photo_ids=uploaded)
        return [uploaded[image.name] for image in content.images]

    def _permalink(self, post_id: str) -> str:
        try:
            body = json_body(self.call("GET", self.url(post_id), params={"fields": "permalink_url"}))
        except PlatformError:
            # The post exists; a missing permalink is not worth failing for.
            body = {}
        return body.get("permalink_url") or f"https://www.facebook.com/{post_id}"

    def confirm(self, content: Content, *, since: datetime) -> Confirmation:
        """Search the Page's recent posts for our text."""
        wanted = {normalise_text(content.text), normalise_text(content.text_with_link())} - {""}
        if not wanted:
            return Confirmation(Confirmation.UNKNOWN)
        response = self.call(
            "GET",
            self.url(f"{self.page}/posts"),
            params={
                "fields": "id,message,permalink_url,created_time",
                "since": int(since.timestamp()),
                "limit": 25,
            },
        )
        for post in json_body(response).get("data", []):
            if normalise_text(post.get("message", "")) in wanted:
                return Confirmation(
                    Confirmation.PUBLISHED,
                    Published(
                        platform_id=str(post["id"]),
                        url=post.get("permalink_url") or f"https://www.facebook.com/{post['id']}",
                    ),
                )
        return Confirmation(Confirmation.UNKNOWN)

    def engagement(self, platform_id: str) -> Engagement | None:
        body = json_body(
            self.call(
                "GET",
                self.url(platform_id),
                params={
                    "fields": "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),shares"
                },
            )
        )

        def total(key):
            value = (body.get(key) or {}).get("summary", {}).get("total_count")
            return int(value) if value is not None else None

        shares = (body.get("shares") or {}).get("count")
        return Engagement(
            likes=total("reactions"),
            comments=total("comments"),
            shares=int(shares) if shares is not None else 0,
        )
