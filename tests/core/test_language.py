import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_indonesian_by_default(client):
    response = client.get("/akun/masuk/")
    assert response.status_code == 200
    assert '<html lang="id">' in response.content.decode()
    assert "Lupa kata sandi?" in response.content.decode()


def test_switching_to_english_sets_the_cookie_and_returns_to_the_page(client):
    response = client.get("/akun/bahasa/en/?next=/akun/masuk/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/"
    assert response.cookies["django_language"].value == "en"
    page = client.get("/akun/masuk/").content.decode()
    assert '<html lang="en">' in page


def test_switch_refuses_to_redirect_off_site(client):
    response = client.get("/akun/bahasa/en/?next=https://contoh-jahat.example/")
    assert response["Location"] == "/"


def test_unknown_language_is_ignored(client):
    response = client.get("/akun/bahasa/xx/?next=/akun/masuk/")
    assert "django_language" not in response.cookies


def test_public_pages_set_no_csrf_cookie_for_anonymous_readers(client):
    """The language switch is a link, so anonymous pages stay cacheable."""
    response = client.get("/akun/masuk/")
    response = client.get("/")
    assert response.status_code == 200
    assert "csrftoken" not in response.cookies


def test_a_browser_asking_for_english_still_gets_indonesian(client):
    """Phones often run in English; the portal stays Indonesian until the
    visitor chooses English."""
    page = client.get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in page
    assert "Lupa kata sandi?" in page


def test_english_after_choosing_it(client):
    client.cookies["django_language"] = "en"
    response = client.get("/akun/masuk/")
    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"
