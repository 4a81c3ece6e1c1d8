"""The news desk end to end, in headless Chromium.

A contributor of KUA Bangil logs in, writes a news item with a photo inserted
through CKEditor's own upload button and a featured photo from the form, and
submits it; the Kasubbag TU of Kankemenag Pasuruan approves it from the
approval queue; a reader who has never visited sees it on the home page and
opens it on a phone. Publishing runs through Celery (eagerly, in-process, in tests).
"""

import os
import re

import pytest
from playwright.sync_api import expect

from humas_portal.core.workflow import ReviewStatus
from news.models import NewsImage, NewsItem

from ..core.test_images import photo_with_gps

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TITLE = "KUA Bangil Gelar Bimbingan Perkawinan bagi 40 Calon Pengantin"
LEAD = "Sebanyak 40 pasangan calon pengantin mengikuti bimbingan perkawinan di aula KUA Kecamatan Bangil."
PARAGRAPHS = [
    "Kegiatan dibuka oleh Kepala KUA Kecamatan Bangil dan menghadirkan penyuluh agama Islam sebagai narasumber.",
    "Materi meliputi moderasi beragama dalam keluarga, kesehatan reproduksi dan pengelolaan keuangan keluarga.",
]


def write_in_ckeditor(page, paragraphs, photo_path):
    editable = page.locator(".ck-editor__editable")
    expect(editable).to_be_visible()
    editable.click()
    for number, paragraph in enumerate(paragraphs):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)
    # The toolbar's image button opens this hidden file input; CKEditor then
    # posts the file to the portal's upload endpoint with the CSRF token.
    page.locator(".ck-toolbar input[type=file]").first.set_input_files(str(photo_path))
    uploaded = editable.locator('img[src*="/media/news/"]')
    expect(uploaded).to_have_count(1, timeout=20_000)
    return uploaded.get_attribute("src")


def test_a_contributor_writes_with_a_photo_the_verifier_approves_and_readers_see_it(
    people, org, page, new_page, log_in, tmp_path
):
    body_photo = tmp_path / "bimwin.jpg"
    body_photo.write_bytes(photo_with_gps(1600, 1067))
    featured_photo = tmp_path / "foto-utama.jpg"
    featured_photo.write_bytes(photo_with_gps(2000, 1333))

    # --- The contributor writes and submits ---------------------------------------
    log_in(page, people.kontributor.username)
    page.get_by_role("link", name="Tulis berita").click()
    expect(page.get_by_role("heading", name="Tulis berita")).to_be_visible()

    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Teras berita").fill(LEAD)
    body_src = write_in_ckeditor(page, PARAGRAPHS, body_photo)
    page.locator("input[name=featured_image]").set_input_files(str(featured_photo))
    page.get_by_label("Keterangan foto utama").fill("Peserta bimbingan perkawinan di aula KUA Bangil")
    page.get_by_label("Program prioritas").select_option(label="Layanan keagamaan")
    page.get_by_label("Tag").fill("bimbingan perkawinan, KUA")
    page.get_by_label("Tempat (dateline)").fill("Pasuruan")
    page.get_by_label("Penulis/reporter").fill("Siti Aminah")
    expect(page.get_by_label("Unit kerja")).to_have_value(str(org.kua_bangil.pk))
    page.get_by_role("button", name="Simpan dan ajukan").click()

    expect(page.locator(".messages")).to_contain_text("Berita diajukan untuk verifikasi.")
    expect(page.get_by_text("Menunggu verifikasi").first).to_be_visible()
    item = NewsItem.objects.get(title=TITLE)
    assert item.status == ReviewStatus.SUBMITTED
    assert item.author == people.kontributor
    assert item.unit == org.kua_bangil
    assert body_src in item.body, "the editor's photo is kept in the sanitised body"
    assert NewsImage.objects.filter(item=item).count() == 2

    # --- The Kasubbag TU approves from the queue ---------------------------------------
    verifier = new_page()
    log_in(verifier, people.verifikator.username)
    verifier.get_by_role("link", name="Antrean verifikasi").click()
    expect(verifier.get_by_role("heading", name="Antrean verifikasi berita")).to_be_visible()
    card = verifier.locator(".queue-item").filter(has_text=TITLE)
    expect(card).to_have_count(1)
    card.get_by_role("button", name="Setujui").click()
    expect(verifier.locator(".messages")).to_contain_text("disetujui")
    expect(verifier.locator(".queue-item").filter(has_text=TITLE)).to_have_count(0)

    item.refresh_from_db()
    assert item.status == ReviewStatus.PUBLISHED, "the publishing task ran after the approval"
    assert item.decided_by == people.verifikator

    # --- A reader finds it on the home page, on a phone ------------------------------------
    reader = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    reader.goto("/")
    headline = reader.get_by_role("link", name=TITLE)
    expect(headline.first).to_be_visible()
    card_image = reader.locator("article.news-card").filter(has_text=TITLE).locator("img").first
    expect(card_image).to_have_attribute("src", re.compile(r"-card\.webp$"))
    headline.first.click()
    expect(reader.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(reader.locator(".news-body")).to_contain_text(PARAGRAPHS[1])
    expect(reader.locator(f'.news-body img[src="{body_src}"]')).to_have_count(1)
    expect(reader.locator(".news-body")).not_to_contain_text("<script")
