"""The monitoring card on the staff home shows what the person's roles
allow."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("monitoring:dashboard")
BOARD = reverse("monitoring:leaderboard")
EXPORTS = reverse("monitoring:exports")


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("core:dashboard")).content.decode()


@pytest.mark.parametrize("person", ["pimpinan", "admin_humas"])
def test_evaluators_see_every_link(client, mon, person):
    body = _home(client, getattr(mon, person))
    assert "Pemantauan humas" in body
    for url in (DASHBOARD, BOARD, EXPORTS):
        assert f'href="{url}"' in body


def test_verifier_sees_the_dashboard_but_not_the_export(client, mon):
    body = _home(client, mon.verifikator)
    assert f'href="{DASHBOARD}"' in body and f'href="{BOARD}"' in body
    assert f'href="{EXPORTS}"' not in body


@pytest.mark.parametrize("person", ["kontributor", "ppid", "outsider"])
def test_others_see_no_card(client, mon, person):
    body = _home(client, getattr(mon, person))
    assert "Pemantauan humas" not in body
    assert DASHBOARD not in body


def test_leaderboard_office_switch_keeps_the_period(client, mon, org):
    client.force_login(mon.pimpinan_dua)
    body = client.get(
        BOARD, {"kantor": org.pasuruan.pk, "periode": "tahun-lalu", "sort": "berita"}
    ).content.decode()
    assert '<input type="hidden" name="periode" value="tahun-lalu">' in body
    assert '<input type="hidden" name="sort" value="berita">' in body
