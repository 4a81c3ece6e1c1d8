"""The CKEditor image upload endpoint, as the editor in the browser calls it."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string
from PIL import Image

from news.models import NewsImage, NewsItem

from ..core.test_images import FAKES, noisy_photo, photo, photo_with_gps, png_bomb, upload

pytestmark = pytest.mark.django_db

URL = "/unggah/gambar/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def post_image(client, data, name="foto.jpg", content_type="image/jpeg"):
    return client.post(URL, {"upload": upload(data, name=name, content_type=content_type)})


def error_of(response) -> str:
    return response.json()["error"]["message"]


def test_the_url_is_the_one_ckeditor_is_configured_with(settings):
    assert reverse(settings.CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME) == URL


def test_a_contributor_who_is_not_staff_can_upload(client, people, org):
    assert not people.kontributor.is_staff
    client.force_login(people.kontributor)
    response = post_image(client, photo_with_gps(1024, 768), name="Wisuda MAN.jpg")
    assert response.status_code == 200
    image = NewsImage.objects.get()
    assert response.json() == {"url": image.original.url}
    assert image.uploaded_by == people.kontributor
    assert image.unit == org.kua_bangil
    assert image.item is None  # referenced from the body until the item is saved
    with Image.open(image.original.path) as stored:
        assert stored.size == (1024, 768)
        assert not stored.getexif()


def test_an_admin_humas_can_upload_for_the_office(client, people, org):
    client.force_login(people.admin_humas)
    assert post_image(client, photo(400, 300)).status_code == 200
    assert NewsImage.objects.get().unit == org.pasuruan


def test_an_anonymous_visitor_gets_403_in_indonesian(client, org):
    response = post_image(client, photo(400, 300))
    assert response.status_code == 403
    assert error_of(response) == "Silakan masuk untuk mengunggah gambar."
    assert not NewsImage.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "verifikator"])
def test_a_user_without_a_writer_role_gets_403_in_indonesian(client, people, who):
    """Verifiers decide on news but do not write it (news.policy)."""
    client.force_login(getattr(people, who))
    response = post_image(client, photo(400, 300))
    assert response.status_code == 403
    assert error_of(response) == "Anda tidak memiliki peran penulis berita untuk mengunggah gambar."
    assert not NewsImage.objects.exists()


def test_get_is_not_allowed(client, people):
    client.force_login(people.kontributor)
    assert client.get(URL).status_code == 405


def test_a_post_without_a_file_is_a_clear_400(client, people):
    client.force_login(people.kontributor)
    response = client.post(URL, {})
    assert response.status_code == 400
    assert error_of(response) == "Pilih berkas gambar untuk diunggah."


@pytest.mark.parametrize("kind", ["text", "html", "php"])
def test_a_fake_image_is_refused(client, people, kind):
    client.force_login(people.kontributor)
    response = post_image(client, FAKES[kind], name="foto-kegiatan.jpg")
    assert response.status_code == 400
    assert "bukan gambar yang valid" in error_of(response)
    assert not NewsImage.objects.exists()


def test_an_oversized_file_is_refused(client, people, settings):
    data = noisy_photo(400, 400)
    settings.IMAGE_MAX_UPLOAD_BYTES = 100_000
    assert len(data) > settings.IMAGE_MAX_UPLOAD_BYTES
    client.force_login(people.kontributor)
    response = post_image(client, data)
    assert response.status_code == 400
    assert "melebihi batas" in error_of(response)
    assert not NewsImage.objects.exists()


def test_a_decompression_bomb_is_refused(client, people, media_root):
    client.force_login(people.kontributor)
    response = post_image(client, png_bomb(), name="poster.png", content_type="image/png")
    assert response.status_code == 400
    message = error_of(response)
    assert "bom dekompresi" in message or "terlalu besar" in message
    assert not NewsImage.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_the_csrf_token_is_required_and_read_from_the_header(people):
    """CKEditor sends the token from the csrftoken cookie in X-CSRFToken."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.kontributor)
    assert post_image(browser, photo(200, 100)).status_code == 403
    token = get_random_string(32)  # what Django puts in the csrftoken cookie
    browser.cookies["csrftoken"] = token
    response = browser.post(URL, {"upload": upload(photo(200, 100))}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    with Image.open(io.BytesIO(NewsImage.objects.get().original.read())) as stored:
        assert stored.format == "JPEG"


# --- The desk form: the same checks through news_image_create ---------------------------


def desk_form(org, **files):
    return {
        "title": "Madrasah Gelar Apel Hari Santri",
        "lead": "Seluruh siswa dan guru mengikuti apel peringatan Hari Santri.",
        "body": "<p>Apel dipimpin langsung oleh kepala madrasah.</p>",
        "unit": org.kua_bangil.pk,
        "save": "1",
        **files,
    }


def test_the_form_stores_the_featured_photo_without_gps(client, people, org):
    client.force_login(people.kontributor)
    response = client.post(
        reverse("news:desk_create"),
        desk_form(org, featured_image=upload(photo_with_gps(1280, 960), name="apel.jpg")),
    )
    assert response.status_code == 302
    image = NewsImage.objects.get()
    assert image.item.featured_image == image
    assert image.uploaded_by == people.kontributor
    with Image.open(image.original.path) as stored:
        assert stored.size == (1280, 960)
        assert not stored.getexif()


@pytest.mark.parametrize(
    ("make", "name", "expected"),
    [
        (png_bomb, "apel.png", ("bom dekompresi", "terlalu besar")),
        (lambda: FAKES["php"], "apel.jpg", ("bukan gambar yang valid",)),
    ],
    ids=["decompression-bomb", "php-named-jpg"],
)
def test_the_form_refuses_an_unsafe_featured_photo_in_indonesian(client, people, org, make, name, expected):
    client.force_login(people.kontributor)
    response = client.post(
        reverse("news:desk_create"), desk_form(org, featured_image=upload(make(), name=name))
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("featured_image", []))
    assert any(text in errors for text in expected), errors
    assert any(text in response.content.decode() for text in expected)
    assert not NewsImage.objects.exists()
    assert not NewsItem.objects.exists()
