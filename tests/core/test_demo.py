"""``manage.py seed_demo``: a complete, repeatable demo organisation."""

import importlib.machinery
import io
import sys
import types
from collections import Counter

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import CommandError, call_command
from django.urls import reverse

from humas_portal.core.models import AuditEntry, Role, RoleAssignment, UnitKind, UnitTimeZone, User, WorkUnit
from humas_portal.core.workflow import ReviewStatus
from news.models import Category, NewsItem, Tag

pytestmark = pytest.mark.django_db

PASSWORD = "sandi-demo-uji"


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", "--force", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "units": WorkUnit.objects.count(),
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "categories": Category.objects.count(),
        "tags": Tag.objects.count(),
        "news": NewsItem.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_running_it_twice_creates_no_duplicates():
    seed("--password", PASSWORD)
    first = snapshot()
    out = seed("--password", PASSWORD)
    assert snapshot() == first
    assert "0 berita baru" in out


def test_the_demo_organisation_has_offices_satker_and_two_time_zones():
    seed()
    kinds = Counter(WorkUnit.objects.values_list("kind", flat=True))
    assert kinds[UnitKind.KANKEMENAG] == 2
    satker = sum(count for kind, count in kinds.items() if kind not in (UnitKind.KANWIL, UnitKind.KANKEMENAG))
    assert satker == 10
    assert {UnitKind.KUA, UnitKind.MIN, UnitKind.MTSN, UnitKind.MAN, UnitKind.MADRASAH_SWASTA} <= set(kinds)
    assert {UnitKind.POKJAWAS, UnitKind.PENYULUH} <= set(kinds)
    pasuruan = WorkUnit.objects.get(slug="kemenag-pasuruan")
    assert WorkUnit.objects.under(pasuruan).count() == 9
    assert WorkUnit.objects.get(slug="kemenag-denpasar").timezone == UnitTimeZone.WITA
    assert Category.objects.count() == 7
    assert Tag.objects.filter(slug="moderasi-beragama").exists()


def test_fifty_news_items_mostly_published_with_some_waiting_on_the_desk():
    seed()
    statuses = Counter(NewsItem.objects.values_list("status", flat=True))
    assert sum(statuses.values()) == 50
    assert statuses[ReviewStatus.PUBLISHED] == 43
    assert statuses[ReviewStatus.SUBMITTED] == 3
    assert statuses[ReviewStatus.DRAFT] == 2
    published = NewsItem.objects.published()
    assert not published.filter(published_at__isnull=True).exists()
    assert published.values("unit").distinct().count() >= 10
    assert published.values("priority_program").distinct().count() == 9
    # The verifier of Kankemenag Pasuruan has drafts of its satker to decide.
    pasuruan = WorkUnit.objects.get(slug="kemenag-pasuruan")
    assert NewsItem.objects.awaiting_review().filter(unit__path__startswith=pasuruan.path).count() == 3
    draft = NewsItem.objects.get(status=ReviewStatus.DRAFT, author__username="kontributor")
    assert draft.unit.slug == "kua-bangil"
    scheduled = NewsItem.objects.get(status=ReviewStatus.APPROVED)
    assert scheduled.is_scheduled


def test_published_items_are_searchable_in_indonesian():
    seed()
    assert not NewsItem.objects.published().filter(search_vector__isnull=True).exists()
    # "calon pengantin" is stemmed by the indonesian configuration.
    found = NewsItem.objects.published().filter(search_vector=SearchQuery("pengantin", config="indonesian"))
    assert found.exists()


def test_every_role_has_a_demo_user_who_can_log_in(client):
    out = seed("--password", PASSWORD)
    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    assert User.objects.get(username="admin").is_superuser
    usernames = ["admin"] + [
        RoleAssignment.objects.filter(role=role).order_by("id").first().user.username for role in Role.values
    ]
    for username in usernames:
        assert username in out
        response = client.post(reverse("core:login"), {"username": username, "password": PASSWORD})
        assert response.status_code == 302, username
        client.post(reverse("core:logout"))
    assert f"kata sandi semuanya: {PASSWORD}" in out


def test_the_password_comes_from_demo_password_when_not_given(client, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "dari-lingkungan-42")
    out = seed()
    assert "dari-lingkungan-42" in out
    assert client.login(username="verifikator", password="dari-lingkungan-42")


def test_it_refuses_to_load_known_passwords_on_a_production_server(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG mati"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()


def test_apps_extend_the_demo_through_their_demo_module(monkeypatch):
    calls = []
    module = types.ModuleType("socialmedia.demo")
    module.__spec__ = importlib.machinery.ModuleSpec("socialmedia.demo", None)
    module.seed_demo = lambda stdout: (
        calls.append(WorkUnit.objects.count()) or stdout.write("akun medsos demo")
    )
    monkeypatch.setitem(sys.modules, "socialmedia.demo", module)
    out = seed()
    # The hook runs after the core data exists.
    assert calls == [14]
    assert "akun medsos demo" in out


def test_the_news_demo_runs_before_the_apps_that_build_on_it(monkeypatch):
    """The apps' parts run in INSTALLED_APPS order: by the time the social
    media demo runs, the news items exist."""
    news_items = []
    module = types.ModuleType("socialmedia.demo")
    module.__spec__ = importlib.machinery.ModuleSpec("socialmedia.demo", None)
    module.seed_demo = lambda stdout: news_items.append(NewsItem.objects.count())
    monkeypatch.setitem(sys.modules, "socialmedia.demo", module)
    out = seed()
    assert news_items == [50]
    assert "50 berita baru" in out
