"""Logging in and out, the lockout, and changing or resetting a password."""

import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "sandi-rahasia-123"  # tests.factories.UserFactory's password
LOGIN = reverse("core:login")


@pytest.fixture
def pegawai():
    return UserFactory(username="siti", full_name="Siti Aminah", email="siti@contoh.kemenag.go.id")


@pytest.fixture
def address():
    """A client address of its own for each test: rate-limit counters live in
    the shared Redis and outlast the test."""
    group = uuid.uuid4().hex
    return f"2001:db8:{group[:4]}:{group[4:8]}::1"


def login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_the_login_page_is_in_indonesian(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nama pengguna" in content
    assert "Lupa kata sandi?" in content


def test_a_user_logs_in_and_lands_on_the_dashboard(client, pegawai):
    response = login(client, "siti", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    dashboard = client.get(reverse("core:dashboard"))
    assert "Selamat datang, Siti Aminah" in dashboard.content.decode()


def test_a_wrong_password_is_refused_with_a_clear_message(client, pegawai):
    response = login(client, "siti", "salah-sandi")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_after_too_many_failures_even_the_right_password_waits_for_the_window(client, pegawai, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_WINDOW = timedelta(minutes=15)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _attempt in range(3):
            login(client, "siti", "tebakan")
        response = login(client, "siti", PASSWORD)
        content = response.content.decode()
        assert response.status_code == 200
        assert "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit" in content
        assert "_auth_user_id" not in client.session

        traveller.shift(timedelta(minutes=14))
        assert login(client, "siti", PASSWORD).status_code == 200  # still locked

        traveller.shift(timedelta(minutes=2))
        response = login(client, "siti", PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(pegawai.pk)


def test_the_lockout_ignores_the_case_of_the_username(client, pegawai, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    login(client, "SITI", "tebakan")
    login(client, "Siti", "tebakan")
    assert login(client, "siti", PASSWORD).status_code == 200


def test_a_successful_login_clears_earlier_failures(client, pegawai, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    login(client, "siti", "tebakan")
    login(client, "siti", "tebakan")
    assert login(client, "siti", PASSWORD).status_code == 302
    client.post(reverse("core:logout"))
    login(client, "siti", "tebakan")
    login(client, "siti", "tebakan")
    assert login(client, "siti", PASSWORD).status_code == 302


def test_one_address_guessing_many_usernames_is_locked_but_others_are_not(client, pegawai, settings):
    settings.LOGIN_FAILURE_LIMIT = 2  # an address gets four times as many
    for number in range(8):
        login(client, f"tebak{number}", "tebakan", REMOTE_ADDR="203.0.113.9")
    assert login(client, "siti", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 200
    assert login(client, "siti", PASSWORD, REMOTE_ADDR="198.51.100.4").status_code == 302


def test_a_forged_forwarded_for_header_cannot_lock_out_someone_elses_address(client, pegawai, settings):
    """Without a trusted proxy the header is ignored, so an attacker cannot
    pin their failures on an office's address."""
    settings.LOGIN_FAILURE_LIMIT = 2
    for number in range(8):
        login(client, f"tebak{number}", "x", REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert login(client, "siti", PASSWORD, REMOTE_ADDR="198.51.100.4").status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(client, pegawai, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.RATELIMIT_TRUSTED_PROXIES = 1
    for number in range(8):
        login(client, f"tebak{number}", "x", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    locked = login(client, "siti", PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert locked.status_code == 200
    other = login(client, "siti", PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert other.status_code == 302


def test_logout_needs_a_post_and_ends_the_session(client, pegawai):
    client.force_login(pegawai)
    assert client.get(reverse("core:logout")).status_code == 405
    response = client.post(reverse("core:logout"), follow=True)
    assert "_auth_user_id" not in client.session
    assert "Anda telah keluar." in response.content.decode()
    assert client.get(reverse("core:dashboard"))["Location"].startswith(LOGIN)


def test_a_user_changes_their_password(client, pegawai):
    client.force_login(pegawai)
    url = reverse("core:password_change")
    wrong = client.post(
        url,
        {"old_password": "bukan", "new_password1": "Ganti-Sandi-2025", "new_password2": "Ganti-Sandi-2025"},
    )
    assert wrong.status_code == 200
    response = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "Ganti-Sandi-2025", "new_password2": "Ganti-Sandi-2025"},
        follow=True,
    )
    assert "Kata sandi berhasil diubah." in response.content.decode()
    pegawai.refresh_from_db()
    assert pegawai.check_password("Ganti-Sandi-2025")


def test_changing_the_password_requires_login(client):
    response = client.get(reverse("core:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def reset_link(message) -> str:
    match = re.search(r"http://testserver(/akun/sandi/atur/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_forgotten_password_is_reset_through_an_emailed_link(client, pegawai, address):
    response = client.post(
        reverse("core:password_reset"), {"email": "SITI@contoh.kemenag.go.id"}, REMOTE_ADDR=address
    )
    assert response["Location"] == reverse("core:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti@contoh.kemenag.go.id"]
    assert message.subject.startswith("Atur ulang kata sandi")
    assert "Yth. Siti Aminah," in message.body
    assert "Nama pengguna Anda: siti" in message.body

    # Django swaps the token for a session marker before showing the form.
    form_page = client.get(reset_link(message), follow=True)
    assert "Buat kata sandi baru" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Sandi-Baru-2025", "new_password2": "Sandi-Baru-2025"})
    assert done["Location"] == reverse("core:password_reset_complete")
    assert "Kata sandi baru Anda sudah berlaku" in client.get(done["Location"]).content.decode()

    assert login(client, "siti", "Sandi-Baru-2025").status_code == 302
    client.post(reverse("core:logout"))
    assert login(client, "siti", PASSWORD).status_code == 200
    # The link works once.
    again = client.get(reset_link(message), follow=True)
    assert "Tautan tidak berlaku" in again.content.decode()


def test_mismatched_new_passwords_are_refused(client, pegawai, address):
    client.post(reverse("core:password_reset"), {"email": pegawai.email}, REMOTE_ADDR=address)
    form_page = client.get(reset_link(mail.outbox[0]), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Sandi-Baru-2025", "new_password2": "Sandi-Lain-2025"},
    )
    assert response.status_code == 200
    pegawai.refresh_from_db()
    assert pegawai.check_password(PASSWORD)


def test_an_unknown_email_gets_the_same_answer_and_no_message(client, pegawai, address):
    """The page does not tell who has an account."""
    known = client.post(reverse("core:password_reset"), {"email": pegawai.email}, REMOTE_ADDR=address)
    unknown = client.post(reverse("core:password_reset"), {"email": "orang@lain.id"}, REMOTE_ADDR=address)
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert len(mail.outbox) == 1
    page = client.get(unknown["Location"]).content.decode()
    assert "Bila alamat itu terdaftar, kami telah mengirim tautan" in page


def test_reset_requests_from_one_address_are_capped(client, pegawai, address, settings):
    settings.PASSWORD_RESET_PER_HOUR = 2
    url = reverse("core:password_reset")
    for _attempt in range(2):
        assert client.post(url, {"email": pegawai.email}, REMOTE_ADDR=address).status_code == 302
    refused = client.post(url, {"email": pegawai.email}, REMOTE_ADDR=address)
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan" in refused.content.decode()
    assert len(mail.outbox) == 2


def test_a_stranger_guessing_a_password_does_not_lock_its_owner_out_elsewhere(client, pegawai, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _attempt in range(5):
        login(client, "siti", "tebakan", REMOTE_ADDR="203.0.113.50")
    # The stranger's address is locked for that username ...
    assert login(client, "siti", PASSWORD, REMOTE_ADDR="203.0.113.50").status_code == 200
    # ... the owner at the office is not.
    assert login(client, "siti", PASSWORD, REMOTE_ADDR="198.51.100.20").status_code == 302


def test_a_password_reset_lifts_the_owners_lockout_everywhere(client, pegawai, address, settings):
    from humas_portal.core.models import LoginFailure

    settings.LOGIN_FAILURE_LIMIT = 2
    for _attempt in range(2):
        login(client, "siti", "tebakan", REMOTE_ADDR="203.0.113.51")
    assert login(client, "siti", PASSWORD, REMOTE_ADDR="203.0.113.51").status_code == 200
    client.post(reverse("core:password_reset"), {"email": pegawai.email}, REMOTE_ADDR=address)
    form_page = client.get(reset_link(mail.outbox[-1]), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "sandi-baru-yang-kuat-77", "new_password2": "sandi-baru-yang-kuat-77"},
    )
    assert not LoginFailure.objects.filter(username__iexact="siti").exists()
    assert login(client, "siti", "sandi-baru-yang-kuat-77", REMOTE_ADDR="203.0.113.51").status_code == 302


def test_failures_older_than_the_window_are_purged(client, pegawai, settings):
    from humas_portal.core.models import LoginFailure

    settings.LOGIN_LOCKOUT_WINDOW = timedelta(minutes=15)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        login(client, "siti", "tebakan")
        login(client, "lain", "tebakan")
        traveller.shift(timedelta(minutes=16))
        login(client, "siti", "tebakan")
    assert LoginFailure.objects.count() == 1
