"""Email subscriptions: double opt-in, one-click unsubscribe, no leaks."""

import re
import secrets
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from news.models import NewsSubscription
from news.selectors import invalidate_public_cache
from news.subscriptions import subscription_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    # Cached list counts outlive a test (Redis); start each test afresh.
    invalidate_public_cache()


TOKEN_FIELD = re.compile(r'name="form_token" value="([^"]+)"')
LINK = re.compile(r"http://localhost:8000(/langganan/\S+/)")


@pytest.fixture
def client(client):
    # The form is rate limited per address in Redis, which outlives a test:
    # each test reads from a network of its own (documentation range; the
    # limiter groups IPv6 by /64).
    client.defaults["REMOTE_ADDR"] = f"2001:db8:{secrets.token_hex(2)}:{secrets.token_hex(2)}::1"
    return client


@pytest.fixture
def subscribe(client, django_capture_on_commit_callbacks):
    """Fill in the form the way a person does: open it, wait, send."""

    def send(email, unit="", *, follow=False):
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            page = client.get(reverse("news:subscribe")).content.decode()
            traveller.shift(timedelta(seconds=10))
            data = {"email": email, "unit": unit, "form_token": TOKEN_FIELD.search(page).group(1)}
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(reverse("news:subscribe"), data, follow=follow)

    return send


def links_in(message):
    return LINK.findall(message.body)


def test_a_reader_subscribes_confirms_and_unsubscribes(client, org, subscribe):
    response = subscribe("warga@contoh.id", org.pasuruan.slug, follow=True)

    assert response.redirect_chain[-1][0] == reverse("news:subscribe_done")
    assert "Periksa email Anda" in response.content.decode()
    subscription = NewsSubscription.objects.get()
    assert subscription.unit == org.pasuruan and subscription.confirmed_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["warga@contoh.id"]
    assert "Konfirmasi langganan berita" in message.subject
    assert "Kankemenag Kabupaten Pasuruan" in message.body
    confirm_path, unsubscribe_path = links_in(message)

    # Mail scanners follow links: opening it only shows a button.
    page = client.get(confirm_path)
    assert "Ya, aktifkan langganan" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None

    confirmed = client.post(confirm_path)
    assert "Langganan aktif" in confirmed.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    assert "Ya, berhenti berlangganan" in client.get(unsubscribe_path).content.decode()
    gone = client.post(unsubscribe_path)
    assert "Langganan dihentikan" in gone.content.decode()
    assert not NewsSubscription.objects.exists()


def test_unsubscribe_works_in_one_click_from_a_mail_program(db):
    subscription = NewsSubscription.objects.create(
        email="warga@contoh.id", token="t" * 43, confirmed_at=timezone.now()
    )
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        reverse("news:unsubscribe", kwargs={"token": subscription.token}), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not NewsSubscription.objects.exists()


@pytest.mark.parametrize("email", ["bukan-email", "warga@", "@contoh.id", "warga @contoh.id"])
def test_an_invalid_address_is_refused_in_indonesian(subscribe, email):
    response = subscribe(email)
    assert response.status_code == 200
    assert "tidak valid. Periksa kembali penulisannya." in response.content.decode()
    assert not NewsSubscription.objects.exists()
    assert mail.outbox == []


def test_an_empty_address_is_refused(subscribe):
    response = subscribe("  ")
    assert "wajib diisi" in response.content.decode()


def test_the_answer_never_reveals_an_existing_subscription(subscribe):
    NewsSubscription.objects.create(email="warga@contoh.id", token="a" * 43, confirmed_at=timezone.now())

    again = subscribe("Warga@Contoh.ID")
    new = subscribe("orang.lain@contoh.id")

    assert again.status_code == new.status_code == 302
    assert again["Location"] == new["Location"]
    assert [m.to for m in mail.outbox] == [["orang.lain@contoh.id"]]
    assert NewsSubscription.objects.filter(email="warga@contoh.id").count() == 1


def test_asking_again_soon_sends_nothing_later_sends_a_fresh_link(
    subscribe, django_capture_on_commit_callbacks
):
    subscribe("warga@contoh.id")
    first_link = links_in(mail.outbox[0])[0]

    subscribe("warga@contoh.id")
    assert len(mail.outbox) == 1  # no flood of confirmation emails

    with time_machine.travel(timezone.now() + timedelta(minutes=15)):
        with django_capture_on_commit_callbacks(execute=True):
            subscription_request(email="warga@contoh.id", unit=None)
    assert len(mail.outbox) == 2
    assert links_in(mail.outbox[1])[0] != first_link
    assert NewsSubscription.objects.count() == 1


def test_a_confirmation_link_expires_after_a_week(client, subscribe):
    subscribe("warga@contoh.id")
    confirm_path = links_in(mail.outbox[0])[0]

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(confirm_path)

    assert response.status_code == 404
    assert "Tautan tidak berlaku" in response.content.decode()
    assert NewsSubscription.objects.get().confirmed_at is None


def test_unknown_links_say_so(client, db):
    for name in ("news:subscription_confirm", "news:unsubscribe"):
        response = client.get(reverse(name, kwargs={"token": "tidak-ada"}))
        assert response.status_code == 404
        assert "Tautan tidak berlaku" in response.content.decode()


def test_a_form_sent_without_the_guard_token_is_refused(client, db):
    response = client.post(reverse("news:subscribe"), {"email": "warga@contoh.id"})
    assert response.status_code == 200
    assert not NewsSubscription.objects.exists()


def test_the_unit_page_offers_its_own_subscription(client, org):
    page = client.get(reverse("news:unit", kwargs={"slug": org.kua_bangil.slug})).content.decode()
    assert reverse("news:subscribe") + "?unit=kua-bangil" in page
    form = client.get(reverse("news:subscribe"), {"unit": "kua-bangil"}).content.decode()
    assert '<option value="kua-bangil" selected>' in form


def test_after_a_few_requests_from_one_network_the_form_asks_a_sum(subscribe):
    from news.views_public import SUBSCRIBE_SOFT_LIMIT_PER_HOUR

    for n in range(SUBSCRIBE_SOFT_LIMIT_PER_HOUR):
        assert subscribe(f"warga{n}@contoh.id").status_code == 302
    response = subscribe("satu.lagi@contoh.id")
    assert response.status_code == 200
    assert "Jawab pertanyaan hitungan" in response.content.decode()
    assert not NewsSubscription.objects.filter(email="satu.lagi@contoh.id").exists()
