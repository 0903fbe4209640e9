"""Real-browser tests: pytest-playwright (sync API) against pytest-django's `live_server`.

The browser is Debian's Chromium at /usr/bin/chromium, not one that `playwright install`
downloads. Screenshots of every step land in test-artifacts/e2e/ (gitignored).
"""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
PHONE = {"width": 390, "height": 844}
DEMO_CAMPAIGN_PATH = "/demo/custom-name-tote/"


def pytest_collection_modifyitems(items):
    """Run the browser tests last (stable: every other order is kept).

    From the first browser test to the end of the session, the sync Playwright API keeps an
    event loop running in the test thread, so every ORM call in that thread needs
    DJANGO_ALLOW_ASYNC_UNSAFE. Setting it for the whole run would also hand it to the
    subprocesses other tests start (`manage.py check --deploy` then fails with async.E001).
    """
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session", autouse=True)
def allow_orm_beside_playwright_loop():
    """DJANGO_ALLOW_ASYNC_UNSAFE from the first browser test to the end of the session."""
    had = "DJANGO_ALLOW_ASYNC_UNSAFE" in os.environ
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    yield
    if not had:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "locale": "en-US"}


@pytest.fixture
def media_root(settings, tmp_path):
    """seed_demo draws and stores campaign photos: keep them out of var/media.

    The live server serves MEDIA_URL from MEDIA_ROOT itself, so the photos still show.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def private_media_root(settings, tmp_path):
    """Proofs of payment go under PRIVATE_MEDIA_ROOT (payments/storage.py): keep them out of
    var/private too."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def demo_campaign_url(live_server, media_root):
    """The demo data (`manage.py seed_demo`) in the live server's database; the open PO's URL."""
    call_command("seed_demo", stdout=StringIO())
    return live_server.url + DEMO_CAMPAIGN_PATH


@pytest.fixture
def new_phone_page(browser, browser_context_args):
    """new_phone_page() opens a page in a fresh context (own cookies: another person) with the
    same phone viewport and locale as `page`; every context is closed after the test."""
    contexts = []

    def open_page():
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def assert_no_horizontal_scroll(page) -> None:
    """The page fits the phone's width: nothing to scroll sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


BLUR_TEXT_FIELD = """() => {
    const el = document.activeElement;
    if (el && el.matches("input:not([type=checkbox]):not([type=radio]), textarea, select")) {
        el.blur();
    }
}"""


@pytest.fixture
def screenshot(page):
    """screenshot("01-campaign") saves a full-page PNG of `page` to
    test-artifacts/e2e/01-campaign.png; screenshot("21-x", other_page) one of another page."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str, of=None) -> Path:
        target = of or page
        # A full-page capture resizes Chromium's view for a moment; a text field that still has
        # the focus is then scrolled back into view at the next focus change, i.e. between the
        # mousedown and the mouseup of the test's next click, which then hits nothing. Typing
        # is done by then: leave the field (a focused button keeps its ring for the picture).
        target.evaluate(BLUR_TEXT_FIELD)
        path = ARTIFACTS / f"{name}.png"
        target.screenshot(path=str(path), full_page=True)
        return path

    return take
