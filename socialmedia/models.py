"""Social-media posts of the units: accounts, posts under review, and one
delivery per (post, account) that the publisher claims, sends and tracks."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from humas_portal.core.crypto import EncryptedTextField
from humas_portal.core.models import WorkUnit
from humas_portal.core.text import NameFieldsMixin
from humas_portal.core.workflow import ReviewableModel, ReviewStatus


class Platform(models.TextChoices):
    FACEBOOK = "facebook", _("Facebook")
    INSTAGRAM = "instagram", _("Instagram")
    X = "x", _("X (Twitter)")
    YOUTUBE = "youtube", _("YouTube")
    TIKTOK = "tiktok", _("TikTok")


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    NEEDS_RECONNECTION = "needs_reconnection", _("Perlu dihubungkan ulang")
    DISABLED = "disabled", _("Nonaktif")


class SocialAccountQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=AccountStatus.ACTIVE)

    def of_unit(self, unit: WorkUnit):
        return self.filter(unit=unit)


class SocialAccount(NameFieldsMixin, models.Model):
    """A unit's account on one platform and the credentials to post to it.

    Tokens are encrypted at rest and never rendered back into a page: the
    forms treat them as write-only.
    """

    NAME_FIELDS = ("display_name",)

    unit = models.ForeignKey(
        WorkUnit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="social_accounts"
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    account_id = models.CharField(
        _("ID akun di platform"),
        max_length=100,
        help_text=_("ID Halaman Facebook, ID pengguna Instagram/X, ID kanal YouTube, atau open_id TikTok."),
    )
    display_name = models.CharField(_("nama akun"), max_length=150)
    handle = models.CharField(_("nama pengguna"), max_length=100, blank=True)
    access_token = EncryptedTextField(_("token akses"), blank=True)
    refresh_token = EncryptedTextField(_("token pembaruan"), blank=True)
    token_expires_at = models.DateTimeField(_("token berlaku sampai"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AccountStatus.choices, default=AccountStatus.ACTIVE, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status berubah"), null=True, blank=True)
    # The platform's own words, with any credential scrubbed out.
    last_error = models.TextField(_("galat terakhir"), blank=True)
    last_checked_at = models.DateTimeField(_("terakhir diuji"), null=True, blank=True)
    # Set when the platform says to slow down; no call is made before it.
    rate_limited_until = models.DateTimeField(_("dibatasi sampai"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = SocialAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("akun media sosial")
        verbose_name_plural = _("akun media sosial")
        ordering = ["unit__path", "platform", "display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "platform", "account_id"], name="unique_social_account_per_unit"
            )
        ]

    def __str__(self):
        return f"{self.get_platform_display()} · {self.display_name}"

    def get_absolute_url(self):
        return reverse("socialmedia:account_edit", kwargs={"pk": self.pk})

    @property
    def has_token(self) -> bool:
        return bool(self.access_token)


class SocialPostQuerySet(models.QuerySet):
    def awaiting_review(self):
        return self.filter(status=ReviewStatus.SUBMITTED)

    def for_listing(self):
        """What a list row needs: the unit and author, and the deliveries
        with their accounts, in a fixed number of queries."""
        return self.select_related("unit", "author").prefetch_related(
            models.Prefetch("deliveries", queryset=Delivery.objects.select_related("account"))
        )


class SocialPost(NameFieldsMixin, ReviewableModel):
    """One message for several accounts, reviewed like a news item."""

    NAME_FIELDS = ("title",)

    unit = models.ForeignKey(
        WorkUnit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="social_posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pembuat"),
        on_delete=models.PROTECT,
        related_name="social_posts",
    )
    title = models.CharField(
        _("judul"),
        max_length=200,
        blank=True,
        help_text=_("Wajib untuk YouTube (paling banyak 100 karakter)."),
    )
    text = models.TextField(_("teks"))
    # {platform: text} for the platforms that get their own version.
    platform_texts = models.JSONField(_("teks per platform"), default=dict, blank=True)
    link = models.URLField(_("tautan"), max_length=500, blank=True)
    scheduled_at = models.DateTimeField(_("jadwal terbit"))
    accounts = models.ManyToManyField(
        SocialAccount, verbose_name=_("akun tujuan"), blank=True, related_name="posts"
    )
    news_item = models.ForeignKey(
        "news.NewsItem",
        verbose_name=_("berita asal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = SocialPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("kiriman media sosial")
        verbose_name_plural = _("kiriman media sosial")
        ordering = ["-scheduled_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status", "scheduled_at"], name="social_post_unit_status_idx")
        ]

    def __str__(self):
        first_line = (self.title or self.text).strip().splitlines()[0] if (self.title or self.text) else ""
        # A long first line ends with "…", never cut mid-word without a sign.
        return Truncator(first_line).chars(80) or f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("socialmedia:post_detail", kwargs={"pk": self.pk})

    def text_for(self, platform: str) -> str:
        """The text written for the platform, or the common text."""
        return (self.platform_texts or {}).get(platform, "").strip() or self.text.strip()


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Gambar")
    VIDEO = "video", _("Video")


def _media_path(instance, filename):
    return f"socialmedia/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-{filename}"


class PostMedia(models.Model):
    """An image (re-encoded without metadata) or the video of a post.

    What was checked on upload (type from the content, size, dimensions,
    duration) is stored so platform limits can be judged without reopening
    the file.
    """

    post = models.ForeignKey(
        SocialPost, verbose_name=_("kiriman"), on_delete=models.CASCADE, related_name="media"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=MediaKind.choices)
    file = models.FileField(_("berkas"), upload_to=_media_path, max_length=255)
    content_type = models.CharField(_("tipe isi"), max_length=50)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    duration = models.FloatField(_("durasi (detik)"), null=True, blank=True)
    position = models.PositiveIntegerField(_("urutan"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("media kiriman")
        verbose_name_plural = _("media kiriman")
        ordering = ["position", "id"]

    def __str__(self):
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def public_url(self) -> str:
        """The address a platform fetches the file from (Instagram, Facebook
        video): the site's public URL, not the request's host."""
        return settings.SITE_URL + self.file.url


class DeliveryState(models.TextChoices):
    SCHEDULED = "scheduled", _("Terjadwal")
    PUBLISHING = "publishing", _("Sedang dikirim")
    PUBLISHED = "published", _("Terbit")
    UNCONFIRMED = "unconfirmed", _("Belum terkonfirmasi")
    FAILED = "failed", _("Gagal")
    CANCELLED = "cancelled", _("Dibatalkan")


class HoldReason(models.TextChoices):
    """Why a scheduled delivery waits past its planned time."""

    NONE = "", _("—")
    RATE_LIMITED = "rate_limited", _("Dibatasi platform")
    SERVER_ERROR = "server_error", _("Gangguan server platform")
    PROCESSING = "processing", _("Platform masih memproses media")
    RETRY = "retry", _("Dijadwalkan ulang")


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None):
        """Scheduled deliveries whose time has come: what the sweep queues."""
        now = now or timezone.now()
        return self.filter(
            state=DeliveryState.SCHEDULED,
            next_attempt_at__lte=now,
            post__status__in=(ReviewStatus.APPROVED, ReviewStatus.PUBLISHED),
            account__status=AccountStatus.ACTIVE,
        ).filter(
            models.Q(account__rate_limited_until__isnull=True)
            | models.Q(account__rate_limited_until__lte=now)
        )

    def lease_expired(self, now=None):
        """Claimed by a worker that has given no sign of life within the
        lease: it probably died, and may or may not have posted."""
        now = now or timezone.now()
        lease = timedelta(seconds=settings.SOCIAL_PUBLISH_LEASE_SECONDS)
        return self.filter(state=DeliveryState.PUBLISHING, heartbeat_at__lt=now - lease)

    def to_confirm(self, now=None):
        now = now or timezone.now()
        return self.filter(
            state=DeliveryState.UNCONFIRMED,
            next_check_at__isnull=False,
            next_check_at__lte=now,
            checks__lt=settings.SOCIAL_CONFIRM_MAX_CHECKS,
        )

    def with_engagement(self, now=None):
        """Published in the last ``SOCIAL_ENGAGEMENT_DAYS`` with a platform id."""
        now = now or timezone.now()
        since = now - timedelta(days=settings.SOCIAL_ENGAGEMENT_DAYS)
        return self.filter(state=DeliveryState.PUBLISHED, published_at__gte=since).exclude(
            platform_post_id=""
        )

    def for_calendar(self):
        return self.select_related("post", "post__unit", "account")


class Delivery(models.Model):
    """One post going to one account.

    A worker claims a delivery with a conditional UPDATE (scheduled →
    publishing) before calling the platform, so a duplicated task, a retried
    task and the beat sweep can never post the same pair twice. What the
    platform has already accepted along the way (an Instagram container, a
    YouTube upload session, a TikTok publish id) is kept in ``checkpoint`` so
    an interrupted delivery resumes or is checked instead of starting over.
    """

    post = models.ForeignKey(
        SocialPost, verbose_name=_("kiriman"), on_delete=models.CASCADE, related_name="deliveries"
    )
    account = models.ForeignKey(
        SocialAccount, verbose_name=_("akun"), on_delete=models.PROTECT, related_name="deliveries"
    )
    state = models.CharField(
        _("status"), max_length=20, choices=DeliveryState.choices, default=DeliveryState.SCHEDULED
    )
    hold_reason = models.CharField(
        _("alasan menunggu"), max_length=20, choices=HoldReason.choices, default="", blank=True
    )
    scheduled_at = models.DateTimeField(_("jadwal"))
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"))
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    # Consecutive server errors, for the backoff and its limit; rate limits
    # and processing waits do not count.
    server_errors = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(_("diambil pekerja"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("tanda hidup terakhir"), null=True, blank=True)
    checkpoint = models.JSONField(default=dict, blank=True)
    checks = models.PositiveIntegerField(_("pemeriksaan"), default=0)
    next_check_at = models.DateTimeField(_("pemeriksaan berikutnya"), null=True, blank=True)
    published_at = models.DateTimeField(_("waktu terbit"), null=True, blank=True)
    platform_post_id = models.CharField(_("ID di platform"), max_length=200, blank=True)
    platform_url = models.URLField(_("tautan di platform"), max_length=500, blank=True)
    last_error = models.TextField(_("pesan terakhir"), blank=True)
    likes = models.PositiveBigIntegerField(_("suka"), null=True, blank=True)
    comments = models.PositiveBigIntegerField(_("komentar"), null=True, blank=True)
    shares = models.PositiveBigIntegerField(_("dibagikan"), null=True, blank=True)
    views = models.PositiveBigIntegerField(_("ditonton"), null=True, blank=True)
    engagement_updated_at = models.DateTimeField(_("interaksi diperbarui"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("pengiriman")
        verbose_name_plural = _("pengiriman")
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "account"], name="unique_delivery_per_post_account")
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="social_delivery_due_idx"),
            models.Index(fields=["state", "heartbeat_at"], name="social_delivery_lease_idx"),
            models.Index(fields=["scheduled_at"], name="social_delivery_calendar_idx"),
        ]

    def __str__(self):
        return f"{self.post} → {self.account}"

    @property
    def unit(self) -> WorkUnit:
        return self.post.unit

    @property
    def calendar_at(self):
        """When the delivery sits on the calendar: when it went out, or when
        it is planned."""
        return self.published_at or self.scheduled_at

    @property
    def has_engagement(self) -> bool:
        return self.engagement_updated_at is not None
