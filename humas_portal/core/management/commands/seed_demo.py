"""Load demo data: units and one user per role, then each app's part (news,
social media, PPID, Dumas) from its ``demo.py``.

Running it again adds nothing twice (units by code, users by username; the
apps by their own keys) but resets the demo users' password to the one
printed, so the printed logins always work. An app extends the demo with a
``seed_demo(stdout)`` function in its ``demo.py``; it runs after the core
data exists and must be idempotent too.
"""

from __future__ import annotations

import importlib
import importlib.util
import os

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from humas_portal.core.management import demo_content as content
from humas_portal.core.models import Role, RoleAssignment, User, WorkUnit
from humas_portal.core.policy import forget_roles

# A development-only password, documented in the README; set DEMO_PASSWORD or
# pass --password for anything others can reach.
DEFAULT_DEMO_PASSWORD = "demo-humas-portal"  # noqa: S105


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


class Command(BaseCommand):
    help = _("Muat data demo: unit kerja, satu akun per peran, kategori, tag dan sekitar lima puluh berita.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=_("kata sandi semua akun demo (bawaan: DEMO_PASSWORD atau %(default)s)")
            % {"default": DEFAULT_DEMO_PASSWORD},
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("muat juga bila DEBUG mati (server uji coba, bukan produksi)"),
        )
        parser.add_argument(
            "--no-logins",
            action="store_true",
            help=_("jangan cetak daftar akun demo (runportal mencetaknya sebagai baris terakhir)"),
        )

    def handle(self, *args, password: str | None, force: bool, no_logins: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "DEBUG mati: data demo dengan kata sandi yang diketahui umum tidak dimuat di produksi. "
                    "Tambahkan --force bila ini server uji coba."
                )
            )
        password = password or demo_password()
        with transaction.atomic():
            units = seed_units()
            users = seed_users(units, password)
        self.stdout.write(
            _("Data demo: %(units)s unit, %(users)s akun.") % {"units": len(units), "users": len(users)}
        )
        run_app_hooks(self.stdout)
        self.stdout.write(self.style.SUCCESS(_("Data demo siap.")))
        if not no_logins:
            print_logins(self.stdout, password)


def seed_units() -> dict[str, WorkUnit]:
    units: dict[str, WorkUnit] = {}
    for spec in content.UNITS:
        unit, _created = WorkUnit.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "short_name": spec.short_name,
                "kind": spec.kind,
                "slug": spec.slug,
                "parent": units[spec.parent] if spec.parent else None,
                "timezone": spec.timezone,
                "address": spec.address,
            },
        )
        units[spec.code] = unit
    return units


def seed_users(units: dict[str, WorkUnit], password: str) -> dict[str, User]:
    users: dict[str, User] = {}
    for spec in content.USERS:
        user, _created = User.objects.get_or_create(
            username=spec.username,
            defaults={"full_name": spec.full_name, "email": f"{spec.username}@contoh.kemenag.go.id"},
        )
        user.is_active = True
        if spec.role is None:
            user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        if spec.role:
            RoleAssignment.objects.get_or_create(user=user, unit=units[spec.unit], role=spec.role)
            forget_roles(user)
        users[spec.username] = user
    return users


def run_app_hooks(stdout) -> None:
    """Call ``<app>.demo.seed_demo(stdout)`` for every installed app that has
    one, found by the app's name: the core imports no app.

    They run in ``INSTALLED_APPS`` order, so an app's demo may use the demo
    data of the apps listed before it (news comes first).
    """
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        hook = getattr(importlib.import_module(module_name), "seed_demo", None)
        if callable(hook):
            with transaction.atomic():
                hook(stdout)


def demo_logins() -> list[tuple[str, str]]:
    """(username, what the account is for) of the demo users that exist."""
    units = {spec.code: spec.name for spec in content.UNITS}
    present = set(
        User.objects.filter(username__in=[u.username for u in content.USERS]).values_list(
            "username", flat=True
        )
    )
    rows = []
    for spec in content.USERS:
        if spec.username not in present:
            continue
        if spec.role is None:
            rows.append((spec.username, _("superuser, halaman admin /admin/")))
        else:
            rows.append((spec.username, f"{Role(spec.role).label} — {units[spec.unit]}"))
    return rows


def print_logins(stdout, password: str | None) -> None:
    rows = demo_logins()
    if not rows:
        return
    if password:
        stdout.write(_("Akun demo (kata sandi semuanya: %(password)s):") % {"password": password})
    else:
        stdout.write(
            _(
                "Akun demo (kata sandi: yang dicetak saat data demo dimuat; bawaan DEMO_PASSWORD atau %(default)s):"
            )
            % {"default": DEFAULT_DEMO_PASSWORD}
        )
    width = max(len(username) for username, _label in rows)
    for username, label in rows:
        stdout.write(f"  {username.ljust(width)}  {label}")
