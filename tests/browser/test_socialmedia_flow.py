"""Social media end to end, in headless Chromium.

A contributor of KUA Bangil schedules a post for the unit's Facebook Page
and X account (both pointed at the fake platform server), the Kasubbag TU
approves it, the publisher's sweep runs when the time comes, and the
calendar shows both deliveries turn from scheduled to published.
"""

import os
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from humas_portal.core.workflow import ReviewStatus
from socialmedia.models import DeliveryState, Platform, SocialPost
from socialmedia.publishing import deliveries_sweep

from ..socialmedia.factories import SocialAccountFactory
from ..socialmedia.fake_platforms import FakePlatforms

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TEXT = "Manasik haji tingkat kecamatan digelar di aula KUA Bangil, diikuti 120 calon jemaah."


@pytest.fixture
def fake(settings):
    server = FakePlatforms().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    settings.SOCIAL_READ_TIMEOUT = 5
    yield server
    server.stop()


def test_a_scheduled_post_is_approved_and_turns_published_on_the_calendar(
    org, people, page, new_page, log_in, fake
):
    facebook = SocialAccountFactory(
        unit=org.kua_bangil, platform=Platform.FACEBOOK, display_name="KUA Bangil Facebook"
    )
    x = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.X, display_name="KUA Bangil X")
    when = timezone.localtime(timezone.now() + timedelta(minutes=10), org.kua_bangil.tzinfo).replace(
        second=0, microsecond=0
    )

    # --- The contributor writes, schedules and submits ------------------------------
    log_in(page, people.kontributor.username)
    page.goto("/medsos/")
    page.get_by_role("link", name="Tulis kiriman").first.click()
    expect(page.get_by_role("heading", name="Tulis kiriman")).to_be_visible()
    page.get_by_role("textbox", name="Teks", exact=True).fill(TEXT)
    expect(page.locator("label[for=id_scheduled_at]")).to_contain_text("Jadwal terbit (WIB)")
    page.locator("#id_scheduled_at").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(str(facebook)).check()
    page.get_by_label(str(x)).check()
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator(".message")).to_contain_text("Draf kiriman tersimpan")
    page.get_by_role("button", name="Ajukan untuk verifikasi").click()
    expect(page.locator("#post-status")).to_have_text("Menunggu verifikasi")
    post = SocialPost.objects.get()
    assert post.scheduled_at == when

    # --- The Kasubbag TU approves --------------------------------------------------------
    verifier = new_page()
    log_in(verifier, people.verifikator.username)
    verifier.goto(f"/medsos/kiriman/{post.pk}/")
    verifier.get_by_role("button", name="Setujui dan jadwalkan").click()
    expect(verifier.locator("#post-status")).to_have_text("Disetujui, menunggu terbit")
    expect(verifier.locator("#deliveries [data-state=scheduled]")).to_have_count(2)

    # --- The calendar shows both deliveries scheduled ----------------------------------
    calendar = f"/medsos/kalender/?bulan={when:%Y-%m}"
    verifier.goto(calendar)
    agenda = verifier.locator("section[aria-labelledby=agenda-title]")
    expect(agenda.locator("[data-state=scheduled]")).to_have_count(2)
    expect(agenda).to_contain_text(f"{when:%H.%M} WIB")
    assert not fake.calls_to(operation="create")

    # --- The time comes; the beat sweep publishes -------------------------------------------
    with time_machine.travel(when + timedelta(minutes=1), tick=True):
        assert deliveries_sweep()["due"] == 2

    verifier.reload()
    agenda = verifier.locator("section[aria-labelledby=agenda-title]")
    expect(agenda.locator("[data-state=published]")).to_have_count(2)
    expect(agenda.locator("[data-state=scheduled]")).to_have_count(0)
    assert len(fake.created("facebook")) == 1 and len(fake.created("x")) == 1
    assert fake.created("x")[0]["text"] == TEXT

    # The post page links to both posts on the platforms.
    verifier.goto(f"/medsos/kiriman/{post.pk}/")
    expect(verifier.locator("#post-status")).to_have_text("Terbit")
    expect(verifier.get_by_role("link", name="Lihat di platform")).to_have_count(2)
    post.refresh_from_db()
    assert post.status == ReviewStatus.PUBLISHED
    assert set(post.deliveries.values_list("state", flat=True)) == {DeliveryState.PUBLISHED}

    # The contributor's list reads on a phone too.
    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    log_in(phone, people.kontributor.username)
    phone.goto("/medsos/")
    card = phone.locator(".post-list .card").first
    expect(card).to_contain_text("Terbit")
    assert card.bounding_box()["width"] <= 390
