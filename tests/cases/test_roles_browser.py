"""Reverting from 版の履歴 by clicking, as a 管理者 and as a 事例編集者 whose rights must hold."""

import re

import pytest
from playwright.sync_api import Page, expect

from cases import services
from cases.models import Case
from tests import factories
from tests.browser import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _revert_to_oldest(desk: Page, base_url: str, case: Case) -> None:
    """「変更履歴」 (版の履歴), the oldest version's 「この版に戻す」, then the confirmation."""
    desk.goto(f"{base_url}/admin/cases/case/{case.pk}/change/")
    desk.get_by_role("link", name="変更履歴").click()
    desk.get_by_role("link", name="この版に戻す").last.click()
    desk.get_by_role("button", name=re.compile("^版.*に戻す$")).click()
    expect(desk.locator(".messagelist")).to_be_visible()


def _visitor_sees(browser, url: str):
    """The public page as a visitor (no staff session, so no draft preview) gets it."""
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        return page.goto(url)
    finally:
        context.close()


def test_an_administrator_reverts_and_the_old_text_is_public(
    desk, browser, live_server, reference_data
):
    case = factories.case(title="最初の題名", summary="最初の概要です。")
    case.title, case.summary = "新しい題名", "新しい概要です。"
    case.save()
    log_in(desk, live_server.url, factories.staff_user("管理者"))
    _revert_to_oldest(desk, live_server.url, case)
    desk.goto(live_server.url + case.get_absolute_url())
    expect(desk.get_by_role("heading", level=1)).to_contain_text("最初の題名")
    expect(desk.get_by_text("最初の概要です。")).to_be_visible()


def test_an_editor_cannot_publish_merge_or_list_by_any_button(
    desk, browser, live_server, reference_data
):
    case = factories.case(title="公開時の題名")
    case.title = "アーカイブ時の題名"
    case.save()
    services.archive_cases(Case.objects.filter(pk=case.pk))
    organization = factories.organization("NPO法人そよかぜ", kana="ソヨカゼ")
    factories.organization("NPO法人そよかぜ（重複）", kana="ソヨカゼ")
    log_in(desk, live_server.url, factories.staff_user("事例編集者"))

    _revert_to_oldest(desk, live_server.url, case)
    case.refresh_from_db()
    assert case.title == "公開時の題名" and case.status == Case.Status.ARCHIVED
    response = _visitor_sees(browser, live_server.url + case.get_absolute_url())
    assert response.status in (404, 410)

    desk.goto(live_server.url + "/admin/partners/organization/")
    expect(desk.get_by_role("link", name="NPO法人そよかぜ", exact=True)).to_be_visible()
    # Without merge (needs the delete right) editors have no action to choose at all.
    expect(desk.get_by_role("option", name=re.compile("統合"))).to_have_count(0)

    desk.get_by_role("link", name="NPO法人そよかぜ", exact=True).click()
    expect(desk.get_by_role("heading", level=1)).to_be_visible()
    expect(desk.get_by_role("checkbox", name=re.compile("一覧に掲載する"))).to_have_count(0)
    expect(desk.get_by_text(re.compile("^一覧に掲載する"))).to_be_visible()  # shown, not editable
    organization.refresh_from_db()
    assert organization.is_public is False
