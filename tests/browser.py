"""What browser tests share: Debian's Chromium, axe-core, and logging staff in by the form."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from tests.factories import STAFF_PASSWORD

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# A phone, and a clerk's office screen.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# A test run once at each width.
AT_BOTH_WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])


def assert_no_axe_violations(page: Page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def log_in(page: Page, base_url: str, user: User) -> None:
    """Through the admin's login form, as a clerk does every morning."""
    page.goto(base_url + "/admin/login/?next=/admin/")
    page.get_by_label("ユーザー名").fill(user.username)
    page.get_by_label("パスワード").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(
        page.get_by_role("link", name="ログアウト").or_(
            page.get_by_role("button", name="ログアウト")
        )
    ).to_be_visible()


def public_text(browser, url: str) -> str:
    """The page's main text as a visitor reads it: in a context of its own, no staff session."""
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(url)
        return page.locator("main").inner_text()
    finally:
        context.close()
