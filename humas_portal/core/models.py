"""The shared core: work units, people and their roles, the working-day
calendar overrides and the audit trail."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .text import NameFieldsMixin


class UnitKind(models.TextChoices):
    PUSAT = "pusat", _("Kemenag Pusat")
    KANWIL = "kanwil", _("Kantor Wilayah")
    KANKEMENAG = "kankemenag", _("Kantor Kementerian Agama")
    KUA = "kua", _("KUA")
    MIN = "min", _("MIN")
    MTSN = "mtsn", _("MTsN")
    MAN = "man", _("MAN")
    MADRASAH_SWASTA = "madrasah_swasta", _("Madrasah Swasta")
    POKJAWAS = "pokjawas", _("Pokjawas")
    PENYULUH = "penyuluh", _("Penyuluh Agama")
    PTKN = "ptkn", _("PTKN")
    BALAI = "balai", _("Balai")


class UnitTimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (Asia/Jakarta)")
    WITA = "Asia/Makassar", _("WITA (Asia/Makassar)")
    WIT = "Asia/Jayapura", _("WIT (Asia/Jayapura)")


# Offices whose Kasubbag TU / Kabag TU verifies for the units beneath them.
OFFICE_KINDS = frozenset({UnitKind.PUSAT, UnitKind.KANWIL, UnitKind.KANKEMENAG})


class WorkUnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def under(self, unit: WorkUnit):
        """The unit itself and every unit below it in the hierarchy."""
        return self.filter(path__startswith=unit.path)


class WorkUnit(NameFieldsMixin, models.Model):
    """A Kemenag office or satker.

    ``path`` is a materialised path of primary keys (``/1/4/17/``) so that
    "this unit and everything under it" is one indexed prefix query instead of
    a recursive walk; it is maintained in ``save``.
    """

    NAME_FIELDS = ("name", "short_name")

    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    timezone = models.CharField(
        _("zona waktu"), max_length=32, choices=UnitTimeZone.choices, default=UnitTimeZone.WIB
    )
    address = models.TextField(_("alamat"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    # db_index on PostgreSQL also creates the varchar_pattern_ops index that
    # prefix (startswith) lookups use.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    objects = WorkUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.parent_id and self.parent_id == self.pk:
            raise ValueError("A work unit cannot be its own parent.")
        old_path = self.path
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else "/"
        new_path = f"{parent_path}{self.pk}/"
        if new_path != old_path:
            WorkUnit.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path
            if old_path:
                # Moving a unit moves its whole subtree.
                for child in WorkUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    WorkUnit.objects.filter(pk=child.pk).update(path=new_path + child.path[len(old_path) :])

    def get_absolute_url(self):
        return reverse("news:unit", kwargs={"slug": self.slug})

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def is_office(self) -> bool:
        return self.kind in OFFICE_KINDS

    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to this unit, itself included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def covers(self, other: WorkUnit) -> bool:
        return other.path.startswith(self.path)

    def office(self) -> WorkUnit:
        """The nearest office at or above this unit (a satker's Kankemenag)."""
        if self.is_office or not self.parent_id:
            return self
        return self.parent.office()


class User(NameFieldsMixin, AbstractUser):
    NAME_FIELDS = ("full_name", "first_name", "last_name")
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name()


class Role(models.TextChoices):
    KONTRIBUTOR = "kontributor", _("Kontributor berita")
    VERIFIKATOR = "verifikator", _("Verifikator / Kasubbag TU")
    ADMIN_HUMAS = "admin_humas", _("Admin Humas / Pranata Humas")
    PPID = "ppid", _("PPID Pelaksana")
    ATASAN_PPID = "atasan_ppid", _("Atasan PPID")
    PETUGAS_DUMAS = "petugas_dumas", _("Petugas Dumas")
    PIMPINAN = "pimpinan", _("Pimpinan")


class RoleAssignmentQuerySet(models.QuerySet):
    def covering(self, unit: WorkUnit):
        """Assignments held at ``unit`` or at any office above it."""
        return self.filter(unit_id__in=unit.ancestor_ids())


class RoleAssignment(models.Model):
    """A user holds a role in a unit; a role at an office covers every unit
    under it (see ``humas_portal.core.policy``)."""

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    unit = models.ForeignKey(
        WorkUnit, verbose_name=_("unit kerja"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penugasan peran")
        verbose_name_plural = _("penugasan peran")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_role_assignment")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class CalendarOverride(NameFieldsMixin, models.Model):
    """A day whose working status differs from the `holidays` package: a
    newly decreed cuti bersama, a moved Islamic holiday, a regional day off,
    or a holiday that turned out to be a working day."""

    NAME_FIELDS = ("name",)

    date = models.DateField(_("tanggal"), unique=True)
    is_working_day = models.BooleanField(
        _("hari kerja"),
        help_text=_("Centang bila tanggal ini hari kerja walaupun tercatat libur."),
    )
    name = models.CharField(_("keterangan"), max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("koreksi kalender")
        verbose_name_plural = _("koreksi kalender")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class AuditEntry(models.Model):
    """Who did what to which object, when, and from which state to which.

    State-changing services append one row per transition; these rows are also
    the event history shown on each object's page.
    """

    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("pelaku"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("tindakan"), max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("objek"), max_length=255)
    unit = models.ForeignKey(
        WorkUnit,
        verbose_name=_("unit kerja"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_state = models.CharField(_("dari status"), max_length=40, blank=True)
    to_state = models.CharField(_("ke status"), max_length=40, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"


class LoginFailure(models.Model):
    """One failed login, for the lockout (see ``core.auth``)."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("gagal masuk")
        verbose_name_plural = _("gagal masuk")

    def __str__(self):
        return f"{self.username} {self.created_at:%Y-%m-%d %H:%M}"
