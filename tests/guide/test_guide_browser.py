"""Guide pages in a real Chromium: reached from the header and footer, edited by a clerk."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case
from tests import factories
from tests.browser import AT_BOTH_WIDTHS, assert_no_axe_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@AT_BOTH_WIDTHS
def test_header_and_footer_lead_to_the_guide_pages(browser, live_server, reference_data, viewport):
    factories.case(title="フードバンクで食品ロスを減らす", photos=1)
    context = browser.new_context(locale="ja-JP", viewport=viewport)
    page = context.new_page()
    page.goto(live_server.url + "/")
    header = page.get_by_role("navigation", name="メインメニュー")
    header.get_by_role("link", name="相談する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("相談窓口")
    expect(page).to_have_title(re.compile("^相談窓口"))
    expect(page.get_by_role("link", name="相談フォーム")).to_be_visible()
    expect(header.get_by_role("link", name="相談する")).to_have_attribute("aria-current", "page")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_no_axe_violations(page)

    footer = page.get_by_role("navigation", name="ご利用案内", exact=True)
    footer.get_by_role("link", name="協働とは").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("協働とは")
    expect(page.get_by_role("heading", name="協働の9原則")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("contentinfo").get_by_role("link", name="ウェブアクセシビリティ方針").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ウェブアクセシビリティ方針")
    expect(page.get_by_text("JIS X 8341-3:2016").first).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("contentinfo").get_by_role("link", name="よくある質問").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("よくある質問")
    assert_no_axe_violations(page)
    context.close()


def test_a_clerk_edits_a_guide_page_and_the_public_sees_it(
    desk, browser, live_server, reference_data
):
    visitor = browser.new_context(locale="ja-JP").new_page()
    visitor.goto(live_server.url + "/faq/")  # now cached for every visitor
    expect(visitor.get_by_role("heading", level=1)).to_have_text("よくある質問")

    log_in(desk, live_server.url, factories.staff_user("事例編集者"))
    # The index names the app and its one model alike: the model row is the list.
    desk.get_by_role("row", name="ガイドページ").get_by_role("link", name="ガイドページ").click()
    desk.get_by_role("link", name="よくある質問", exact=True).click()
    body = desk.get_by_label("本文（Markdown）")
    body.fill("## 新しい質問\n\n回答を**書き直しました**。<script>alert(1)</script>")
    assert_no_axe_violations(desk)
    desk.get_by_role("button", name="保存", exact=True).last.click()  # the one under the form
    expect(desk.locator(".messagelist")).to_contain_text("承認待ち")
    visitor.goto(live_server.url + "/faq/")
    expect(visitor.get_by_role("heading", name="新しい質問")).to_have_count(0)  # not yet
    desk.get_by_role("button", name="ログアウト").click()

    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.get_by_role("link", name="承認待ちのガイドページ：1件").click()
    desk.get_by_role("link", name="確認する").click()
    expect(desk.locator(".revision-changes")).to_contain_text("書き直しました")
    assert_no_axe_violations(desk)
    desk.get_by_role("button", name="承認して公開ページに反映する").click()
    expect(desk.locator(".messagelist")).to_contain_text("承認し")

    visitor.goto(live_server.url + "/faq/")
    expect(visitor.get_by_role("heading", name="新しい質問")).to_be_visible()
    expect(visitor.locator("strong", has_text="書き直しました")).to_be_visible()
    assert "alert(1)" not in visitor.content()
    visitor.context.close()


def test_an_archived_case_page_says_its_listing_ended(page, live_server, reference_data):
    case = factories.case(title="終わった見守り活動", status=Case.Status.ARCHIVED)
    factories.case(title="掲載中の見守り活動")
    response = page.goto(live_server.url + case.get_absolute_url())
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("この事例の掲載は終了しました")
    expect(page.get_by_text(str(case.number), exact=True)).to_be_visible()
    page.get_by_role("link", name="掲載中の見守り活動").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("掲載中の見守り活動")
    assert_no_axe_violations(page)


def test_case_page_with_json_ld_has_no_csp_violation(page, live_server, reference_data):
    case = factories.case(photos=1)
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    for path in [case.get_absolute_url(), "/consultation/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
    assert violations == []


def test_a_manager_sends_back_an_editors_change_to_a_public_page(desk, live_server, reference_data):
    from guide.models import GuidePage

    editor = factories.staff_user("事例編集者")
    log_in(desk, live_server.url, editor)
    desk.goto(live_server.url + "/admin/guide/guidepage/")
    desk.get_by_role("link", name="よくある質問", exact=True).click()
    desk.get_by_label("本文（Markdown）").fill("## 取り消される質問")
    desk.get_by_role("button", name="保存", exact=True).last.click()
    expect(desk.locator(".messagelist")).to_contain_text("承認待ち")
    desk.get_by_role("button", name="ログアウト").click()

    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.get_by_role("link", name="承認待ちのガイドページ：1件").click()
    desk.get_by_role("link", name="確認する").click()
    reason = desk.get_by_role("textbox", name="差し戻しの理由")
    reason.evaluate("e => e.removeAttribute('required')")  # the server's own check, too
    desk.get_by_role("button", name="差し戻す").click()
    expect(desk.locator(".errorlist")).to_contain_text("差し戻す理由を書いてください")
    assert GuidePage.objects.get(path="/faq/").pending is not None  # nothing sent back yet
    reason.fill("質問は問い合わせの多い順にしてください。")
    desk.get_by_role("button", name="差し戻す").click()
    expect(desk.locator(".messagelist")).to_contain_text("差し戻しました")
    page = GuidePage.objects.get(path="/faq/")
    assert page.pending is None and "取り消される質問" not in page.body
    desk.goto(live_server.url + "/faq/")
    expect(desk.get_by_role("heading", name="取り消される質問")).to_have_count(0)
    desk.goto(live_server.url + "/admin/")
    desk.get_by_role("button", name="ログアウト").click()

    # The editor reads why, beside what they wrote, and a new save answers it.
    log_in(desk, live_server.url, editor)
    desk.get_by_role("link", name="差し戻されたガイドページ：1件").click()
    desk.get_by_role("link", name="よくある質問", exact=True).click()
    returned = desk.get_by_role("region", name="差し戻された変更")
    expect(returned).to_contain_text("質問は問い合わせの多い順にしてください。")
    expect(returned).to_contain_text("取り消される質問")
    desk.get_by_label("本文（Markdown）").fill("## 問い合わせの多い質問")
    desk.get_by_role("button", name="保存", exact=True).last.click()
    expect(desk.locator(".messagelist")).to_contain_text("承認待ち")
    page.refresh_from_db()
    assert page.returned is None and page.pending == {"body": "## 問い合わせの多い質問"}
    desk.goto(live_server.url + "/admin/")
    expect(desk.get_by_role("link", name="差し戻されたガイドページ：1件")).to_have_count(0)
