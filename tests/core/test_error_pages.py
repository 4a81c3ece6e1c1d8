"""Error pages are the portal's own: Indonesian, with the header and a way
back, and the 500 page is drawn without the database."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from humas_portal.core import ratelimit
from humas_portal.core.views import server_error
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def assert_portal_page(response, status, heading):
    assert response.status_code == status
    html = response.content.decode()
    assert heading in html
    assert 'aria-label="Navigasi utama"' in html  # the header and its links
    assert f'href="{reverse("ppid:index")}"' in html
    assert "Kembali ke beranda" in html
    return html


def test_a_missing_page_says_so_in_indonesian_with_the_header(client):
    html = assert_portal_page(client.get("/tidak-ada-halaman-ini/"), 404, "Halaman tidak ditemukan")
    assert "Kode kesalahan 404" in html


def test_a_refused_page_explains_who_may_open_it(client):
    client.force_login(UserFactory(username="tanpa_peran"))
    html = assert_portal_page(client.get(reverse("ppid:queue")), 403, "Anda tidak berhak membuka halaman ini")
    assert "Keluar" in html  # the signed-in person can still log out


def test_a_bad_request_has_the_portal_page(client):
    assert_portal_page(
        client.get("/", HTTP_HOST="bukan-situs-ini.example"), 400, "Permintaan tidak dapat diproses"
    )


def test_a_form_refused_by_the_csrf_check_says_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("core:login"), {"username": "x", "password": "y"})
    html = assert_portal_page(response, 403, "Formulir tidak dapat dikirim")
    assert "Muat ulang halaman formulir" in html


def test_too_many_requests_is_a_portal_page_with_the_wait():
    request = RequestFactory().get("/")
    response = ratelimit.limited_response(request, window=600)
    assert response.status_code == 429
    assert "Terlalu banyak permintaan" in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_the_server_error_page_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi gangguan pada server" in html
    assert 'aria-label="Navigasi utama"' in html
    assert "Kembali ke beranda" in html
