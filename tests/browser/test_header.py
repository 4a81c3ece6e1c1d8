"""The header as people meet it: every link visible on a desktop, behind one
menu button on a phone, and a signed-in person can always log out."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_LINKS = ["Berita", "Cari", "PPID", "Pengaduan"]


def header_link(page, name):
    return page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name=name, exact=True)


def test_on_a_desktop_the_header_shows_every_link_and_a_log_out_button(page, log_in):
    UserFactory(username="kontributor_bangil")
    page.goto("/")
    for name in [*PUBLIC_LINKS, "Masuk"]:
        expect(header_link(page, name)).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()

    header_link(page, "Masuk").click()
    page.wait_for_url("**/akun/masuk/**")
    log_in(page, "kontributor_bangil")
    expect(header_link(page, "Meja kerja")).to_be_visible()
    page.get_by_role("button", name="Keluar").click()
    expect(header_link(page, "Masuk")).to_be_visible()
    expect(page.get_by_role("button", name="Keluar")).to_have_count(0)


def test_on_a_phone_the_links_open_from_the_menu_button(phone_page, log_in):
    UserFactory(username="kontributor_bangil")
    page = phone_page
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(header_link(page, "PPID")).to_be_hidden()
    menu.tap()
    expect(menu).to_have_attribute("aria-expanded", "true")
    for name in [*PUBLIC_LINKS, "Masuk"]:
        expect(header_link(page, name)).to_be_visible()
    header_link(page, "Masuk").tap()
    page.wait_for_url("**/akun/masuk/**")
    log_in(page, "kontributor_bangil")
    page.get_by_role("button", name="Menu").tap()
    page.get_by_role("button", name="Keluar").tap()
    page.get_by_role("button", name="Menu").tap()
    expect(header_link(page, "Masuk")).to_be_visible()
    # Nothing scrolls sideways on the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
