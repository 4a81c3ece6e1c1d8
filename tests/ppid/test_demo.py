"""The PPID part of ``manage.py seed_demo``."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ppid.models import DipEntry, Objection, PpidProfile, PpidRequest

pytestmark = pytest.mark.django_db


def test_demo_builds_a_ppid_page_with_requests_and_is_repeatable(client):
    out = io.StringIO()
    call_command("seed_demo", "--force", "--password", "demo-uji-123", stdout=out)
    profile = PpidProfile.objects.get(unit__code="KK3514")
    assert profile.is_published and profile.officials.count() == 3
    assert set(DipEntry.objects.values_list("category", flat=True)) == {
        "berkala",
        "serta_merta",
        "setiap_saat",
        "dikecualikan",
    }
    assert PpidRequest.objects.count() == 4
    assert PpidRequest.objects.filter(status="dijawab").count() == 2
    assert Objection.objects.count() == 1
    assert "permohonan contoh" in out.getvalue()

    call_command("seed_demo", "--force", "--password", "demo-uji-123", stdout=io.StringIO())
    assert PpidRequest.objects.count() == 4
    assert DipEntry.objects.count() == 6

    page = client.get(reverse("ppid:unit", kwargs={"slug": profile.unit.slug}))
    assert "Berkas pemeriksaan disiplin pegawai" in page.text
    assert client.login(username="ppid", password="demo-uji-123")
    queue = client.get(reverse("ppid:queue"))
    assert len(queue.context["rows"]) == 2
