"""The portal as its people meet it: a crawl through what each of them can
see, at desktop and at phone size.

On the demo data, the public and every demo role start on the home page
(signing in through the header's "Masuk"), follow the links a person can
see (the header, desk cards, lists, one page of each kind), and on every page
reached:

- the header shows its navigation (on a phone behind the menu button), and a
  signed-in person sees a log-out control;
- nothing scrolls sideways;
- no 5xx, no link to a page that refuses or is missing, no console error,
  no failed request for the portal's own assets;
- axe-core reports no serious or critical violation (once per kind of page
  and size; the rule set is axe's default, WCAG 2.x A and AA).

At the end each signed-in person logs out through that control. Failures are
collected and reported together, with a screenshot of each failing page in
``var/browser-failures/``; the pages visited are printed.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


@functools.cache
def _axe_source() -> str:
    # Run as a plain script it defines window.axe; the trailing undefined
    # keeps Playwright from sending the script's last value back.
    return AXE.read_text() + "\n;undefined"


PASSWORD = "sandi-demo-penjelajah"
# Every demo account that has a role, and the public (None).
PEOPLE = [
    None,
    "kontributor",
    "verifikator",
    "admin_humas",
    "ppid",
    "atasan_ppid",
    "petugas_dumas",
    "pimpinan",
]
SIZES = {
    "desktop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
# Pages of one kind (one URL pattern) visited per person; lists with their
# filters and pages count as one kind.
PER_KIND = 2
# Links that are not pages to look at: files and feeds (fetched, status
# checked), the admin site (Django's own), language switches (they change the
# rest of the walk), and actions behind POST forms.
FILE_PATTERN = re.compile(
    r"(\.(xml|txt|pdf|xlsx|csv|png|jpe?g|webp|svg)$)|/(rss|atom|unduh|dokumen|surat|berkas|lampiran)/|/unduh\.|/media/"
)
SKIP_PATTERN = re.compile(r"^/(admin|i18n)/|^/akun/(bahasa|keluar)/|^/static/")
SERIOUS = ("serious", "critical")

AXE_SCRIPT = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
}"""
LINKS_SCRIPT = """() => [...document.querySelectorAll("a[href]")]
  .filter((a) => a.checkVisibility() || a.closest("#site-nav"))
  .map((a) => a.href)"""
OVERFLOW_SCRIPT = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@dataclass
class Crawl:
    size: str
    base: str
    visited: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    axe_done: set[str] = field(default_factory=set)
    files_checked: set[str] = field(default_factory=set)
    failed_pages: list[tuple[str, object]] = field(default_factory=list)

    def fail(self, who: str, path: str, message: str) -> None:
        self.failures.append(f"[{self.size}] {who} {path}: {message}")


def kind_of(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def own_path(url: str, base: str) -> str | None:
    """The path and query of a link into the portal, else None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def open_menu(page, size: str) -> None:
    if size == "phone":
        toggle = page.locator(".menu-toggle")
        expect(toggle).to_be_visible()
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.tap()
        expect(toggle).to_have_attribute("aria-expanded", "true")


def header_link(page, name: str):
    return page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name=name, exact=True)


def check_page(crawl: Crawl, page, who: str, path: str, status: int, signed_in: bool, problems: list) -> None:
    local = []
    if status >= 400:
        local.append(f"status {status}")
    overflow = page.evaluate(OVERFLOW_SCRIPT)
    if overflow > 0:
        local.append(f"scrolls sideways by {overflow} px")
    nav = page.locator("#site-nav")
    if crawl.size == "phone":
        toggle = page.locator(".menu-toggle")
        if not toggle.is_visible():
            local.append("no menu button on the phone")
        else:
            toggle.tap()
    if not nav.is_visible() or not header_link(page, "Berita").is_visible():
        local.append("the header's navigation is not visible")
    if signed_in and not page.get_by_role("button", name="Keluar").is_visible():
        local.append("no visible log-out control")
    if not signed_in and not header_link(page, "Masuk").is_visible():
        local.append("no visible Masuk link")
    if crawl.size == "phone" and page.locator(".menu-toggle").is_visible():
        page.locator(".menu-toggle").tap()  # closed again, as a person leaves it
    kind = kind_of(urlsplit(path).path) or path
    if kind not in crawl.axe_done:
        crawl.axe_done.add(kind)
        # Evaluated through the browser's debugging protocol, to which the
        # page's Content-Security-Policy does not apply (it refuses an
        # inline <script> tag, as it should).
        page.evaluate(_axe_source())
        local += [f"axe: {violation}" for violation in page.evaluate(AXE_SCRIPT)]
    local += problems
    for message in local:
        crawl.fail(who, path, message)
    if local:
        crawl.failed_pages.append((f"{who}-{path}", page.screenshot(full_page=True)))


def check_file(crawl: Crawl, context, who: str, path: str) -> None:
    if path in crawl.files_checked:
        return
    crawl.files_checked.add(path)
    response = context.request.get(crawl.base + path)
    if response.status >= 400:
        crawl.fail(who, path, f"a visible link answers {response.status}")


def walk(crawl: Crawl, browser, who: str | None) -> None:
    context = browser.new_context(
        base_url=crawl.base, locale="id-ID", timezone_id="Asia/Jakarta", **SIZES[crawl.size]
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    name = who or "publik"
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(f"console: {message.text}") if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))

    def on_response(response):
        own = own_path(response.url, crawl.base)
        if own is not None and response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"asset {own} answered {response.status}")

    page.on("response", on_response)
    page.on(
        "requestfailed",
        # An asset cut off by the next navigation is aborted, not failed.
        lambda request: (
            problems.append(f"request failed: {request.url} ({request.failure})")
            if own_path(request.url, crawl.base) and request.failure != "net::ERR_ABORTED"
            else None
        ),
    )

    page.goto("/")
    if who:
        open_menu(page, crawl.size)
        header_link(page, "Masuk").click()
        page.locator("input[name=username]").fill(who)
        page.locator("input[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("form:has(input[name=username]) button[type=submit]").click()
        assert "/akun/masuk/" not in page.url, f"{who} could not sign in"
    queue = [own_path(page.url, crawl.base), "/"]
    seen: set[str] = set()
    per_kind: dict[str, int] = {}
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        kind = kind_of(urlsplit(path).path)
        if kind is None:
            crawl.fail(name, path, "a visible link to a page that does not exist")
            continue
        if per_kind.get(kind, 0) >= PER_KIND:
            continue
        per_kind[kind] = per_kind.get(kind, 0) + 1
        problems.clear()
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            if "Download is starting" not in str(error):
                raise
            check_file(crawl, context, name, path)  # a file behind a link without an extension
            continue
        page.wait_for_load_state("load")
        status = response.status if response else 0
        crawl.visited.append(f"{name}: {path} ({status})")
        check_page(crawl, page, name, path, status, bool(who), list(problems))
        for url in page.evaluate(LINKS_SCRIPT):
            link = own_path(url.split("#", 1)[0], crawl.base)
            if link is None or SKIP_PATTERN.search(link):
                continue
            if FILE_PATTERN.search(urlsplit(link).path):
                check_file(crawl, context, name, link)
            elif link not in seen:
                queue.append(link)
    if who:
        # The visible log-out control works.
        page.goto("/")
        open_menu(page, crawl.size)
        page.get_by_role("button", name="Keluar").click()
        open_menu(page, crawl.size)
        if not header_link(page, "Masuk").is_visible():
            crawl.fail(name, "/", "still signed in after Keluar")
    context.close()


@pytest.fixture
def demo_portal(settings):
    settings.DEBUG = True  # the demo data is refused without it
    call_command("seed_demo", password=PASSWORD, stdout=io.StringIO())


@pytest.mark.parametrize("size", list(SIZES))
def test_every_person_can_reach_and_use_every_page_they_see(size, demo_portal, browser, live_server):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` in the project root (bin/test does).")
    crawl = Crawl(size=size, base=live_server.url)
    for who in PEOPLE:
        walk(crawl, browser, who)
    print(f"\n{len(crawl.visited)} pages visited at {size} size:")
    print("\n".join(f"  {line}" for line in crawl.visited))
    if crawl.failed_pages:
        folder = Path(settings.VAR_DIR) / "browser-failures"
        folder.mkdir(parents=True, exist_ok=True)
        for label, png in crawl.failed_pages:
            (folder / (re.sub(r"[^\w.-]+", "_", f"crawl-{size}-{label}")[:150] + ".png")).write_bytes(png)
    distinct = {line.split(": ", 1)[1].rsplit(" (", 1)[0] for line in crawl.visited}
    assert len(distinct) >= 40, f"only {len(distinct)} distinct pages reached"
    assert crawl.failures == [], "\n".join(crawl.failures)
