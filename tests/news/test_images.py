"""News photos: stored clean, refused when unsafe, renditions made by the task."""

import io
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from PIL import Image

from humas_portal.core import images as core_images
from news.images import RENDITIONS, linked_size, news_image_create
from news.models import NewsImage
from news.tasks import make_image_renditions

from ..core.test_images import FAKES, GPS_TAG, noisy_photo, photo, photo_with_gps, png_bomb, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_contributors_photo_is_stored_without_gps(people, org, media_root):
    original = photo_with_gps(1600, 1200)
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(GPS_TAG)
    image = news_image_create(
        upload=upload(original, name="Manasik Haji.jpg"),
        uploaded_by=people.kontributor,
        unit=org.kua_bangil,
        caption="Peserta manasik haji di aula KUA",
    )
    image.refresh_from_db()
    assert (image.width, image.height) == (1600, 1200)
    assert image.alt_text == "Peserta manasik haji di aula KUA"
    assert image.original.path.startswith(str(media_root))
    with image.original.open("rb") as stored:
        data = stored.read()
    assert b"Exif" not in data
    with Image.open(io.BytesIO(data)) as stored_image:
        assert not stored_image.getexif()


@pytest.mark.parametrize(
    ("make", "name", "code"),
    [
        (lambda: FAKES["php"], "foto.jpg", "not_an_image"),
        (lambda: FAKES["html"], "foto.jpg", "not_an_image"),
        (png_bomb, "bom.png", None),
    ],
    ids=["php-named-jpg", "html-named-jpg", "decompression-bomb"],
)
def test_an_unsafe_upload_leaves_no_row_and_no_file(people, org, media_root, make, name, code):
    with pytest.raises(ValidationError) as caught:
        news_image_create(
            upload=upload(make(), name=name), uploaded_by=people.kontributor, unit=org.kua_bangil
        )
    if code:
        assert caught.value.code == code
    else:
        assert caught.value.code in ("decompression_bomb", "too_many_pixels")
    assert not NewsImage.objects.exists()
    assert stored_files(media_root) == []


def test_an_oversized_upload_is_refused(people, org, settings):
    data = noisy_photo(300, 300)
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data) // 2
    with pytest.raises(ValidationError, match="melebihi batas"):
        news_image_create(upload=upload(data), uploaded_by=people.kontributor, unit=org.kua_bangil)
    assert not NewsImage.objects.exists()


def test_renditions_are_made_after_commit_at_their_widths(people, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        image = news_image_create(
            upload=upload(photo(2400, 1600)), uploaded_by=people.kontributor, unit=org.kua_bangil
        )
        assert not image.thumbnail, "renditions wait for the commit and the worker"
    assert len(callbacks) == 1
    image.refresh_from_db()
    assert RENDITIONS == {"thumbnail": 320, "card": 720, "full": 1600}
    for name, width in RENDITIONS.items():
        field = getattr(image, name)
        assert field.name.endswith(f"-{name}.webp")
        with Image.open(field.path) as rendered:
            assert rendered.format == "WEBP"
            assert rendered.size == (width, round(width * 1600 / 2400))
        assert image.url_for(name) == field.url


def test_a_small_photo_is_never_enlarged(people, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = news_image_create(
            upload=upload(photo(600, 400)), uploaded_by=people.kontributor, unit=org.kua_bangil
        )
    image.refresh_from_db()
    sizes = {}
    for name in RENDITIONS:
        with Image.open(getattr(image, name).path) as rendered:
            sizes[name] = rendered.size
    assert sizes == {"thumbnail": (320, 213), "card": (600, 400), "full": (600, 400)}


def test_until_the_worker_is_done_the_original_is_shown(people, org):
    image = news_image_create(upload=upload(photo(800, 600)), uploaded_by=people.kontributor)
    assert image.url_for("card") == image.original.url


def test_the_rendition_task_is_idempotent(people, org, media_root):
    image = news_image_create(upload=upload(photo(1000, 700)), uploaded_by=people.kontributor)
    assert make_image_renditions(image.pk) is True
    files = stored_files(media_root)
    image.refresh_from_db()
    names = [image.thumbnail.name, image.card.name, image.full.name]
    assert make_image_renditions(image.pk) is False
    image.refresh_from_db()
    assert [image.thumbnail.name, image.card.name, image.full.name] == names
    assert stored_files(media_root) == files
    assert len(files) == 4  # the original and three renditions, nothing duplicated


def test_the_rendition_task_ignores_a_deleted_image(people, org):
    image = news_image_create(upload=upload(photo(300, 200)), uploaded_by=people.kontributor)
    image_id = image.pk
    image.delete()
    assert make_image_renditions(image_id) is False


@pytest.mark.django_db(transaction=True)
def test_two_workers_making_the_same_renditions_store_each_once(people, org, media_root):
    """A redelivered task runs next to the first: both render every size at
    the same moment, one claim wins per size and the loser's file is removed."""
    with mock.patch.object(make_image_renditions, "delay") as queued:  # the first task is "in the queue"
        image = news_image_create(upload=upload(photo(1800, 1200)), uploaded_by=people.kontributor)
    queued.assert_called_once_with(image.pk)
    in_step = threading.Barrier(2)
    real_rendition = core_images.rendition

    def rendition_in_step(*args, **kwargs):
        in_step.wait(timeout=30)
        return real_rendition(*args, **kwargs)

    results = []

    def work():
        try:
            results.append(make_image_renditions(image.pk))
        finally:
            connection.close()

    with mock.patch.object(core_images, "rendition", side_effect=rendition_in_step):
        threads = [threading.Thread(target=work) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert len(results) == 2 and any(results)
    image.refresh_from_db()
    stored = stored_files(media_root)
    assert len(stored) == 4, "the original and one file per rendition, no orphans"
    assert {path.name for path in stored} >= {
        getattr(image, name).name.rsplit("/", 1)[-1] for name in RENDITIONS
    }


def test_renditions_of_a_photo_whose_file_is_gone_are_skipped(people, org, caplog):
    image = news_image_create(upload=upload(photo(300, 200)), uploaded_by=people.kontributor)
    image.original.storage.delete(image.original.name)
    assert make_image_renditions(image.pk) is False
    assert f"Original of news image {image.pk} is missing" in caplog.text


@pytest.mark.parametrize(("width", "height"), [(2400, 1600), (1999, 1333), (1001, 3999), (700, 9000)])
def test_the_size_a_page_gives_is_the_size_of_the_rendition_it_links(
    people, org, django_capture_on_commit_callbacks, width, height
):
    with django_capture_on_commit_callbacks(execute=True):
        image = news_image_create(
            upload=upload(photo(width, height)), uploaded_by=people.kontributor, unit=org.kua_bangil
        )
    image.refresh_from_db()
    for name in RENDITIONS:
        with Image.open(getattr(image, name).path) as rendered:
            assert linked_size(image, name) == rendered.size
