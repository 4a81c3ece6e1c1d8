"""Accounts: tokens encrypted at rest and write-only, the connection test,
and who may manage accounts."""

import logging

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from humas_portal.core.models import AuditEntry
from socialmedia.models import AccountStatus, Platform, SocialAccount

from .factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

TOKEN = "EAAGm0PX4ZCpsBAKZBrahasia1234567890"


def test_tokens_are_encrypted_at_rest(org):
    account = SocialAccountFactory(
        unit=org.kua_bangil, access_token=TOKEN, refresh_token="refresh-rahasia-987654"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_token, refresh_token FROM socialmedia_socialaccount WHERE id = %s", [account.pk]
        )
        stored_access, stored_refresh = cursor.fetchone()
    assert TOKEN not in stored_access and stored_access.startswith("gAAAA")
    assert "refresh-rahasia" not in stored_refresh
    assert SocialAccount.objects.get(pk=account.pk).access_token == TOKEN


def test_an_admin_connects_an_account_and_the_token_is_never_shown_again(client, org, people):
    client.force_login(people.admin_humas)
    response = client.post(
        reverse("socialmedia:account_create"),
        {
            "unit": org.kua_bangil.pk,
            "platform": Platform.FACEBOOK,
            "account_id": "104857600123",
            "display_name": "KUA Bangil",
            "handle": "@kuabangil",
            "access_token": TOKEN,
            "refresh_token": "",
        },
    )
    account = SocialAccount.objects.get()
    assert response.status_code == 302 and response["Location"] == account.get_absolute_url()
    assert account.access_token == TOKEN
    assert account.handle == "kuabangil"
    assert account.status == AccountStatus.ACTIVE

    page = client.get(account.get_absolute_url()).content.decode()
    assert TOKEN not in page
    assert "Token tersimpan dan tidak ditampilkan" in page
    for url in (reverse("socialmedia:account_list"), reverse("core:dashboard")):
        assert TOKEN not in client.get(url).content.decode()
    entries = AuditEntry.objects.filter(object_id=str(account.pk))
    assert entries.count() == 1
    assert TOKEN not in entries.get().note and "access_token" in entries.get().note


def test_a_blank_token_keeps_the_stored_one_and_a_new_one_reconnects(client, org, people):
    account = SocialAccountFactory(
        unit=org.kua_bangil,
        access_token=TOKEN,
        status=AccountStatus.NEEDS_RECONNECTION,
        last_error="Token kedaluwarsa",
    )
    client.force_login(people.admin_humas)
    data = {
        "unit": org.kua_bangil.pk,
        "platform": account.platform,
        "account_id": account.account_id,
        "display_name": "Nama baru",
        "handle": "",
        "access_token": "",
        "refresh_token": "",
    }
    client.post(account.get_absolute_url(), data)
    account.refresh_from_db()
    assert (account.display_name, account.access_token) == ("Nama baru", TOKEN)
    assert account.status == AccountStatus.NEEDS_RECONNECTION

    client.post(account.get_absolute_url(), {**data, "access_token": "token-baru-1234567890"})
    account.refresh_from_db()
    assert account.access_token == "token-baru-1234567890"
    assert account.status == AccountStatus.ACTIVE
    assert account.last_error == ""


def test_the_same_account_cannot_be_connected_twice_to_a_unit(client, org, people):
    existing = SocialAccountFactory(unit=org.kua_bangil)
    client.force_login(people.admin_humas)
    response = client.post(
        reverse("socialmedia:account_create"),
        {
            "unit": org.kua_bangil.pk,
            "platform": existing.platform,
            "account_id": existing.account_id,
            "display_name": "Lagi",
            "access_token": "abcdefgh12345",
        },
    )
    assert response.status_code == 200
    assert "Akun ini sudah terhubung ke unit tersebut." in response.content.decode()


@pytest.mark.parametrize(
    "platform, name",
    [
        (Platform.FACEBOOK, "Halaman Resmi KUA Bangil"),
        (Platform.INSTAGRAM, "Halaman Resmi KUA Bangil"),
        (Platform.X, "Halaman Resmi KUA Bangil"),
        (Platform.YOUTUBE, "Halaman Resmi KUA Bangil"),
        (Platform.TIKTOK, "Halaman Resmi KUA Bangil"),
    ],
)
def test_connection_test_shows_the_real_name(client, fake, org, people, platform, name):
    account = SocialAccountFactory(unit=org.kua_bangil, platform=platform, display_name="Nama sementara")
    fake.names.update({account.account_id: name, "x": name, "youtube": name, "tiktok": name})
    client.force_login(people.admin_humas)
    response = client.post(reverse("socialmedia:account_test", args=[account.pk]), follow=True)
    assert f"Koneksi berhasil: akun “{name}”." in response.content.decode()
    account.refresh_from_db()
    assert account.display_name == name
    assert account.last_checked_at is not None
    (call,) = fake.calls_to(platform, "whoami")
    assert call.headers["authorization"] == f"Bearer {account.access_token}"


def test_connection_test_shows_the_platform_error_and_stops_a_refused_account(
    client, fake, org, people, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    account = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.YOUTUBE, access_token=TOKEN)
    fake.refuse_token(TOKEN)
    client.force_login(people.admin_humas)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("socialmedia:account_test", args=[account.pk]), follow=True)
        client.post(reverse("socialmedia:account_test", args=[account.pk]), follow=True)
    page = first.content.decode()
    assert (
        "Koneksi gagal: YouTube menolak token akses: Request had invalid authentication credentials." in page
    )
    account.refresh_from_db()
    assert account.status == AccountStatus.NEEDS_RECONNECTION
    assert len(mail.outbox) == 1
    assert TOKEN not in page
    assert TOKEN not in caplog.text
    assert TOKEN not in mail.outbox[0].body
    assert not AuditEntry.objects.filter(note__contains=TOKEN).exists()


def test_a_platform_that_cannot_be_reached_is_reported(client, fake, org, people, settings):
    account = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.X)
    settings.SOCIAL_X_API_URL = "http://127.0.0.1:9"  # nothing listens there
    client.force_login(people.admin_humas)
    response = client.post(reverse("socialmedia:account_test", args=[account.pk]), follow=True)
    assert "Koneksi gagal: X tidak dapat dihubungi." in response.content.decode()
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE


def test_only_the_admin_humas_manages_accounts(client, org, people):
    account = SocialAccountFactory(unit=org.kua_bangil)
    client.force_login(people.kontributor)
    assert client.get(reverse("socialmedia:account_list")).status_code == 200
    assert client.get(reverse("socialmedia:account_create")).status_code == 403
    assert client.get(account.get_absolute_url()).status_code == 403
    assert client.post(reverse("socialmedia:account_test", args=[account.pk])).status_code == 403
    client.force_login(people.verifikator_lain)
    assert client.get(account.get_absolute_url()).status_code == 404
    client.force_login(people.outsider)
    assert client.get(reverse("socialmedia:account_list")).status_code == 403


def test_an_admin_disables_and_enables_an_account(client, org, people):
    account = SocialAccountFactory(unit=org.kua_bangil)
    client.force_login(people.admin_humas)
    client.post(reverse("socialmedia:account_toggle", args=[account.pk]))
    account.refresh_from_db()
    assert account.status == AccountStatus.DISABLED
    client.post(reverse("socialmedia:account_toggle", args=[account.pk]))
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE


def test_disabling_an_account_fails_its_scheduled_deliveries(org, people):
    from datetime import timedelta

    from django.utils import timezone

    from humas_portal.core.workflow import ReviewStatus
    from socialmedia.models import Delivery, DeliveryState
    from socialmedia.services import account_set_disabled

    from .factories import SocialPostFactory

    account = SocialAccountFactory(unit=org.kua_bangil)
    post = SocialPostFactory(unit=org.kua_bangil, status=ReviewStatus.APPROVED)
    later = timezone.now() + timedelta(days=1)
    delivery = Delivery.objects.create(post=post, account=account, scheduled_at=later, next_attempt_at=later)
    account_set_disabled(account=account, actor=people.admin_humas, disabled=True)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.last_error == f"Akun {account} dinonaktifkan."
