"""Browser tests: headless Debian chromium driven by Playwright against the live server."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

# Playwright's sync API runs an event loop; the Django ORM calls of the test itself are safe.
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
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (REQUIRE_BROWSER is set)")
    pytest.skip(f"{reason}; install Debian's chromium or set REQUIRE_BROWSER=1 to fail instead")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        _unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    executable = str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def site(transactional_db, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("loaddata", "demo", verbosity=0)
    User.objects.create_superuser("manager", "manager@example.com", "secret-pw")
    return live_server.url


def log_in(page, url: str) -> None:
    page.goto(f"{url}/admin/login/?next=/admin/training/intervention/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", "secret-pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/training/intervention/")


def preview_file(page, url: str, path: Path) -> None:
    """Log in, open the import form, choose ``path`` with no other choice, and preview it."""
    log_in(page, url)
    page.click("a.import_link")
    page.set_input_files("#id_file", str(path))
    page.click("input[name=preview]")
