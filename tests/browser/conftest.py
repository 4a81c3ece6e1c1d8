"""Playwright fixtures shared by the end-to-end browser tests of the portal.

The tests drive Debian's Chromium (``/usr/bin/chromium``; a browser is never
downloaded) against pytest-django's ``live_server``. Use them with
``@pytest.mark.browser`` and ``@pytest.mark.django_db(transaction=True)``:
the live server runs in another thread and must see committed rows.

- ``browser``: one headless Chromium for the whole run.
- ``page``: a fresh context per test (its own cookies), ``base_url`` set to
  the live server, Indonesian locale, desktop viewport.
- ``phone_page``: the same on a phone-sized, touch viewport.
- ``new_page``: ``new_page()`` opens another page in a context of its own,
  for flows with several people (a writer, a verifier, a reader).
- ``log_in``: ``log_in(page, username)`` signs in through ``/akun/masuk/``.

When a test fails, a full-page screenshot of each of its pages is saved
under ``var/browser-failures/`` (not committed) to see what went wrong.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API keeps an event loop in this thread; Django refuses ORM
# calls while a loop runs unless told that this thread is synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The password tests/factories.py gives every user.
DEFAULT_PASSWORD = "sandi-rahasia-123"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Fixtures read this at teardown to know whether the test failed.
    setattr(item, f"report_{report.when}", report)
    return report


def _screenshot_on_failure(request, page, suffix=""):
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed or page.is_closed():
        return
    folder = Path(settings.VAR_DIR) / "browser-failures"
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1]) + suffix
    try:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        (folder / f"{name}.html").write_text(page.content(), encoding="utf-8")
    except Exception as error:  # noqa: BLE001 - a failed screenshot must not hide the real failure
        print(f"Screenshot of the failed page not saved: {error}")


def _context(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", timezone_id="Asia/Jakarta", **options
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser, live_server, request):
    context = _context(browser, live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    for number, opened in enumerate(context.pages):
        _screenshot_on_failure(request, opened, suffix=f"-{number}" if number else "")
    context.close()


@pytest.fixture
def new_page(browser, live_server, request):
    contexts = []

    def open_page(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = _context(browser, live_server, **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for number, context in enumerate(contexts, start=1):
        for opened in context.pages:
            _screenshot_on_failure(request, opened, suffix=f"-extra{number}")
        context.close()


@pytest.fixture
def phone_page(browser, live_server, request):
    context = _context(
        browser,
        live_server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    _screenshot_on_failure(request, page, suffix="-phone")
    context.close()


@pytest.fixture
def log_in():
    """Sign in through the login page as a user made by the factories."""

    def sign_in(page, username: str, password: str = DEFAULT_PASSWORD):
        page.goto("/akun/masuk/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            page.locator("form:has(input[name=username]) button[type=submit]").click()
        if "/akun/masuk/" in page.url:
            raise AssertionError(
                f"{username} could not sign in: {page.locator('.errorlist').all_inner_texts()}"
            )
        return page

    return sign_in
