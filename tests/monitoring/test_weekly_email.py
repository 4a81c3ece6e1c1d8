"""The weekly email to each office's Admin Humas: silent units and drafts
waiting too long, once a week from Monday 07:00 in the office's zone, and
nothing when it is turned off."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail

from humas_portal.core.models import Role
from humas_portal.core.workflow import ReviewStatus
from monitoring import selectors, services, tasks
from monitoring.models import DigestStatus, WeeklyDigest
from tests.factories import UserFactory, grant

from .conftest import NOW, WIB
from .factories import NewsFactory, SocialPostFactory, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafts(scene):
    """Waiting since 4 days (listed), since 2 days (not yet), a post since 5
    days (listed), and Sidoarjo's old draft (another office's email)."""
    return {
        "old": NewsFactory(
            unit=scene.bangil,
            title="Rapat Kerja Penghulu Se-Kabupaten",
            status=ReviewStatus.SUBMITTED,
            published_at=None,
            submitted_at=NOW - timedelta(days=4),
        ),
        "fresh": NewsFactory(
            unit=scene.man,
            title="Pentas Seni Siswa MAN",
            status=ReviewStatus.SUBMITTED,
            published_at=None,
            submitted_at=NOW - timedelta(days=2),
        ),
        "post": SocialPostFactory(
            unit=scene.mtsn,
            title="",
            text="Upacara Hari Amal Bakti di halaman madrasah\nbaris kedua",
            status=ReviewStatus.SUBMITTED,
            submitted_at=NOW - timedelta(days=5),
        ),
        "elsewhere": NewsFactory(
            unit=scene.sidoarjo,
            title="Bimwin Sidoarjo",
            status=ReviewStatus.SUBMITTED,
            published_at=None,
            submitted_at=NOW - timedelta(days=9),
        ),
    }


def _messages_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_lists_silent_units_and_waiting_drafts(mon, scene, drafts):
    """Pasuruan's Admin Humas gets one email naming the office (never
    published) and the MTsN (8 days), not Beji (7 days) nor Bangil; the
    4-day-old item and the 5-day-old post, not the 2-day-old item nor
    Sidoarjo's."""
    sent = tasks.send_weekly_digests()
    assert sent == 1
    (message,) = _messages_to(mon.admin_humas.email)
    assert message.subject == "Pemantauan humas pekan ini: Kankemenag Kabupaten Pasuruan"
    body = message.body
    assert "Kankemenag Kabupaten Pasuruan: belum pernah terbit" in body
    assert "MTsN 2 Pasuruan: 8 hari sejak terbit terakhir (10 Juni 2025)" in body
    assert "KUA Kecamatan Beji" not in body
    assert "KUA Kecamatan Bangil:" not in body
    assert "(2 unit)" in body
    assert (
        "[Berita] Rapat Kerja Penghulu Se-Kabupaten (KUA Kecamatan Bangil), diajukan 14 Juni 2025 10:00 WIB, 4 hari menunggu"
        in body
    )
    assert f"/meja/{drafts['old'].pk}/" in body
    assert "[Media sosial] Upacara Hari Amal Bakti di halaman madrasah (MTsN 2 Pasuruan)" in body
    assert f"/medsos/kiriman/{drafts['post'].pk}/" in body
    assert "Pentas Seni Siswa MAN" not in body
    assert "Bimwin Sidoarjo" not in body
    assert "(2 naskah)" in body
    digest = WeeklyDigest.objects.get(office=scene.office)
    assert digest.status == DigestStatus.SENT
    assert (digest.silent_units, digest.waiting_drafts, digest.recipients) == (2, 2, 1)


def test_sent_once_a_week(mon, scene, drafts, frozen):
    """Hourly runs send nothing more that week; the next Monday 07:00 in
    the office's zone starts the next one."""
    tasks.send_weekly_digests()
    tasks.send_weekly_digests()
    assert len(_messages_to(mon.admin_humas.email)) == 1
    frozen.move_to(datetime(2025, 6, 23, 6, 59, tzinfo=WIB))
    tasks.send_weekly_digests()
    assert len(_messages_to(mon.admin_humas.email)) == 1
    frozen.move_to(datetime(2025, 6, 23, 7, 0, tzinfo=WIB))
    tasks.send_weekly_digests()
    assert len(_messages_to(mon.admin_humas.email)) == 2
    assert list(WeeklyDigest.objects.filter(office=scene.office).values_list("week_start", flat=True)) == [
        datetime(2025, 6, 23).date(),
        datetime(2025, 6, 16).date(),
    ]


def test_not_sent_when_turned_off(mon, scene, drafts, settings):
    settings.MONITORING_WEEKLY_EMAIL_ENABLED = False
    assert tasks.send_weekly_digests() == 0
    assert mail.outbox == []
    assert not WeeklyDigest.objects.exists()


def test_turned_off_after_planning_sends_nothing(mon, scene, drafts, settings):
    """A row planned before the switch was turned off is not sent by a task
    still in the queue."""
    (digest_id,) = services.weekly_digest_plan()
    settings.MONITORING_WEEKLY_EMAIL_ENABLED = False
    assert tasks.send_office_digest(digest_id) is False
    assert mail.outbox == []


def test_nothing_to_report_sends_nothing(mon, org, frozen):
    """Every unit published this week and no draft waits: no email."""
    for unit in (org.pasuruan, org.kua_bangil, org.man_pasuruan):
        published(unit, NOW - timedelta(days=1))
    tasks.send_weekly_digests()
    assert mail.outbox == []
    assert WeeklyDigest.objects.get(office=org.pasuruan).status == DigestStatus.NOTHING


def test_only_the_office_admin_humas_receives_it(mon, org, scene, drafts):
    """Admin Humas of the office itself; a contributor, a verifier, an
    inactive admin and an admin without email do not get it."""
    inactive = UserFactory(is_active=False)
    grant(inactive, Role.ADMIN_HUMAS, org.pasuruan)
    no_email = UserFactory(email="")
    grant(no_email, Role.ADMIN_HUMAS, org.pasuruan)
    tasks.send_weekly_digests()
    assert sorted(address for m in mail.outbox for address in m.to) == [mon.admin_humas.email]


def test_kanwil_email_lists_its_own_circle(org, frozen):
    """A Kanwil coaches its Kankemenag; their KUA are in the Kankemenag's
    own email, not the Kanwil's."""
    admin = UserFactory(username="admin_kanwil")
    grant(admin, Role.ADMIN_HUMAS, org.kanwil)
    tasks.send_weekly_digests()
    (message,) = _messages_to(admin.email)
    assert "Kankemenag Kabupaten Pasuruan: belum pernah terbit" in message.body
    assert "Kankemenag Kabupaten Sidoarjo: belum pernah terbit" in message.body
    assert "KUA Kecamatan Bangil" not in message.body
    units = selectors.office_units(org.kanwil)
    assert [u.slug for u in selectors.own_circle(org.kanwil, units)] == [
        "kanwil-jatim",
        "kemenag-pasuruan",
        "kemenag-sidoarjo",
    ]


def test_monday_seven_in_the_office_zone(org):
    """At 06:30 WIB on a Monday it is 08:30 in Jayapura: a WIT office gets
    this week's email, a WIB office is still on last week's."""
    org.sidoarjo.timezone = "Asia/Jayapura"
    org.sidoarjo.save()
    moment = datetime(2025, 6, 16, 6, 30, tzinfo=WIB)
    assert services.week_of(moment, org.sidoarjo) == datetime(2025, 6, 16).date()
    assert services.week_of(moment, org.pasuruan) == datetime(2025, 6, 9).date()


def test_failed_send_is_tried_again(mon, scene, drafts, monkeypatch):
    """A mail server that is down leaves the row pending for the next run."""

    def down(**kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(services, "send_templated_email", down)
    (digest_id,) = services.weekly_digest_plan()
    with pytest.raises(OSError):
        services.weekly_digest_send(digest_id=digest_id)
    assert WeeklyDigest.objects.get(pk=digest_id).status == DigestStatus.PENDING
    monkeypatch.undo()
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        tasks.send_weekly_digests()
    assert len(_messages_to(mon.admin_humas.email)) == 1
