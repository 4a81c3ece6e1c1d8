"""The monitoring pages in headless Chromium: the dashboard on a phone
(readable without sideways scrolling, tables sortable by a tap), and the
export page following the worker's progress until the download appears."""

import os

import pytest
from playwright.sync_api import expect

from monitoring import services
from monitoring.models import EvaluationExport

# The monitoring suite's data fixtures; the browser fixtures come from this
# folder's conftest (importing those here would start a second Playwright).
from tests.monitoring.conftest import frozen, mon, private_files, scene  # noqa: F401

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_dashboard_on_a_phone(mon, scene, phone_page, log_in):  # noqa: F811 - imported fixtures
    log_in(phone_page, mon.pimpinan.username)
    phone_page.goto("/pemantauan/")
    expect(phone_page.get_by_role("heading", name="Dasbor pemantauan humas")).to_be_visible()
    # Wide tables scroll inside their box; the page itself stays phone-wide.
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    activity = phone_page.locator("#keaktifan table")
    silent_rows = activity.locator("tbody tr.silent")
    expect(silent_rows).to_have_count(2)
    # Tap "Hari" twice: most days first (never published counts as most).
    heading = activity.get_by_role("button", name="Hari")
    heading.click()
    expect(activity.locator("thead th").nth(1)).to_have_attribute("aria-sort", "descending")
    first = activity.locator("tbody tr").first
    expect(first.locator("td").first).to_have_text("Kankemenag Kabupaten Pasuruan")
    expect(activity.locator("tbody tr").nth(1).locator("td").first).to_have_text("MTsN 2 Pasuruan")
    heading.click()
    expect(activity.locator("thead th").nth(1)).to_have_attribute("aria-sort", "ascending")
    expect(activity.locator("tbody tr").first.locator("td").nth(1)).to_have_text("1")


def test_export_progress_then_download(mon, scene, page, log_in, tmp_path):  # noqa: F811
    """The page shows the queued job, follows it while the worker builds it
    and then offers both files."""
    export = EvaluationExport.objects.create(office=scene.office, year=2025, requested_by=mon.admin_humas)
    log_in(page, mon.admin_humas.username)
    page.goto("/pemantauan/evaluasi/")
    row = page.locator(f"tr[data-export='{export.pk}']")
    expect(row.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")
    expect(row).to_contain_text("Menunggu antrean")
    # The worker builds it while the page is open.
    assert services.evaluation_export_run(export_id=export.pk)
    expect(row.get_by_role("link", name="Excel")).to_be_visible(timeout=20_000)
    expect(row).to_contain_text("Selesai")
    with page.expect_download() as download:
        row.get_by_role("link", name="PDF").click()
    saved = tmp_path / "ringkasan.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "evaluasi-humas-KK1514-2025.pdf"
    assert saved.read_bytes().startswith(b"%PDF-")
