"""The news desk as its two people use it, in headless Chromium.

The Kasubbag TU opens the queue from the dashboard, reads the item on its
review page and rejects it, which takes a second, confirming step, on a
phone with scripts off (the step must not depend on them) and on a desktop.
The contributor follows the count of returned items from her dashboard to
her list, the item and its revisions on a phone, where the desk's tables are
stacks of cards and nothing scrolls sideways.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from humas_portal.core.workflow import ReviewStatus
from news import services
from news.models import NewsItem
from tests.news.factories import NewsImageFactory, NewsItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
TITLE = "KUA Bangil Serahkan Buku Nikah kepada Sepuluh Pasangan"
BODY_TEXT = "Penyerahan berlangsung khidmat di aula KUA Kecamatan Bangil."


def assert_nothing_scrolls_sideways(page):
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), (
        f"{page.url} scrolls sideways"
    )


def assert_tables_are_cards(page):
    """Every desk table shows its rows as blocks with the column headers
    hidden, and is no wider than its box."""
    tables = page.locator("table.desk-table")
    assert tables.count() > 0
    for index in range(tables.count()):
        table = tables.nth(index)
        expect(table.locator("thead th").first).not_to_be_in_viewport()
        assert table.locator("tbody tr").first.evaluate("row => getComputedStyle(row).display") == "block"
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1"), "a card is cut off"


@pytest.fixture
def submitted_item(org, people):
    item = NewsItemFactory(
        unit=org.kua_bangil,
        author=people.kontributor,
        title=TITLE,
        lead="Sepuluh pasangan menerima buku nikah dari Kepala KUA.",
        body=f"<p>{BODY_TEXT}</p>",
        featured_image=NewsImageFactory(alt_text="Kepala KUA menyerahkan buku nikah"),
        featured_caption="Kepala KUA menyerahkan buku nikah",
    )
    return services.news_submit(item=item, actor=people.kontributor)


@pytest.mark.parametrize(
    "device",
    [
        pytest.param({**PHONE, "java_script_enabled": False}, id="phone-without-scripts"),
        pytest.param(DESKTOP, id="desktop"),
    ],
)
def test_the_verifier_rejects_only_after_confirming(people, submitted_item, new_page, log_in, device):
    page = new_page(**device)
    phone = device.get("is_mobile", False)
    log_in(page, people.verifikator.username)

    page.get_by_role("link", name="1 berita menunggu persetujuan Anda").click()
    expect(page.get_by_role("heading", name="Antrean verifikasi berita")).to_be_visible()
    page.get_by_role("link", name=TITLE).click()

    # The review page shows the item as it will be published, then the decision.
    expect(page.get_by_role("heading", name="Isi berita seperti akan terbit")).to_be_visible()
    expect(page.locator(".desk-article")).to_contain_text(BODY_TEXT)
    expect(page.locator(".desk-article figcaption")).to_have_text("Kepala KUA menyerahkan buku nikah")
    if phone:
        assert_nothing_scrolls_sideways(page)
    decision = page.locator("#keputusan")

    # First try: the verifier gives a reason, sees what rejecting means, and steps back.
    decision.get_by_label("Alasan penolakan (wajib)").fill("Sudah pernah diberitakan.")
    decision.get_by_role("button", name="Tolak", exact=True).click()
    expect(page.get_by_role("heading", name="Tolak berita ini?")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Penolakan adalah keputusan akhir.")
    expect(page.get_by_label("Alasan penolakan (wajib)")).to_have_value("Sudah pernah diberitakan.")
    if phone:
        assert_nothing_scrolls_sideways(page)
    submitted_item.refresh_from_db()
    assert submitted_item.status == ReviewStatus.SUBMITTED, "nothing is rejected before the confirmation"
    page.get_by_role("link", name="Batal").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    submitted_item.refresh_from_db()
    assert submitted_item.status == ReviewStatus.SUBMITTED

    # Second try: confirmed.
    decision.get_by_label("Alasan penolakan (wajib)").fill("Duplikat berita pekan lalu.")
    decision.get_by_role("button", name="Tolak", exact=True).click()
    page.get_by_role("button", name="Ya, tolak berita ini").click()
    expect(page.locator(".messages")).to_contain_text(f"Berita “{TITLE}” ditolak.")
    expect(page.locator(".message.error")).to_contain_text("Duplikat berita pekan lalu.")
    submitted_item.refresh_from_db()
    assert (submitted_item.status, submitted_item.review_note) == (
        ReviewStatus.REJECTED,
        "Duplikat berita pekan lalu.",
    )
    assert submitted_item.decided_by == people.verifikator

    # And the queue now says, in words, that nothing waits.
    page.get_by_role("link", name="Meja kerja").click()
    expect(page.get_by_text("Tidak ada berita yang menunggu persetujuan Anda.")).to_be_visible()
    page.get_by_role("link", name="Antrean verifikasi").click()
    expect(page.get_by_text("Tidak ada berita yang menunggu persetujuan Anda.")).to_be_visible()
    if phone:
        assert_nothing_scrolls_sideways(page)


def test_on_a_phone_the_contributor_follows_her_returned_count_to_the_item(
    org, people, submitted_item, phone_page, log_in
):
    page = phone_page
    services.news_return(item=submitted_item, actor=people.verifikator, note="Tambahkan nama narasumber.")
    NewsItemFactory(
        unit=org.kua_bangil,
        author=people.kontributor,
        published=True,
        published_at=timezone.now(),
        title="Manasik Haji Tingkat Kecamatan",
    )
    log_in(page, people.kontributor.username)

    returned = page.get_by_role("link", name="1 Dikembalikan, perlu Anda revisi")
    expect(returned).to_be_visible()
    returned.tap()
    expect(page.get_by_role("heading", name="Berita saya")).to_be_visible()
    expect(page.locator("[aria-current=true]")).to_contain_text("Dikembalikan")
    rows = page.locator("table.desk-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(TITLE)
    expect(rows.first).to_contain_text("Dikembalikan untuk revisi")
    assert_tables_are_cards(page)
    assert_nothing_scrolls_sideways(page)

    page.get_by_role("link", name="Terbit pekan ini").tap()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Manasik Haji Tingkat Kecamatan")
    page.get_by_role("link", name="Dikembalikan, perlu Anda revisi").tap()

    page.get_by_role("link", name=TITLE).tap()
    expect(page.get_by_text("Tambahkan nama narasumber.").first).to_be_visible()
    expect(page.locator(".desk-article")).to_contain_text(BODY_TEXT)
    history = page.locator("table.desk-table")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history).to_contain_text("Kembalikan untuk revisi")
    assert_tables_are_cards(page)
    assert_nothing_scrolls_sideways(page)

    page.get_by_role("link", name=re.compile(r"^\d+ revisi$")).tap()
    expect(page.get_by_role("heading", name="Revisi berita")).to_be_visible()
    assert_nothing_scrolls_sideways(page)
    assert NewsItem.objects.get(pk=submitted_item.pk).status == ReviewStatus.RETURNED
