"""Awards in a real Chromium: the 表彰事例 facet finds them, a clerk adds one by clicking."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Award
from tests import factories
from tests.browser import AT_BOTH_WIDTHS, assert_no_axe_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@AT_BOTH_WIDTHS
def test_the_award_facet_shows_award_cases_with_their_badge(
    browser, live_server, reference_data, viewport
):
    awarded = factories.case("企業の社員参加による里山の再生", photos=1)
    Award.objects.create(
        case=awarded, name="ちば県民協働大賞", category="奨励賞", year=2024, awarding_body="千葉県"
    )
    factories.case("表彰のない見守り活動", photos=1)
    context = browser.new_context(locale="ja-JP", viewport=viewport)
    page = context.new_page()
    page.goto(live_server.url + "/cases/")
    expect(page.get_by_role("heading", name="2件中 1–2件")).to_be_visible()
    filters = page.locator("details.filters")
    if filters.get_attribute("open") is None:  # folded on a phone
        filters.locator("summary").click()
    facet = page.get_by_role("group", name="表彰事例")
    facet.get_by_role("checkbox", name=re.compile("^表彰を受けた事例")).check()
    page.get_by_role("button", name="この条件で絞り込む").click()
    expect(page).to_have_url(re.compile(r"award=yes"))
    expect(page.get_by_role("heading", name="1件中 1–1件")).to_be_visible()
    badge = page.get_by_role("list", name="表彰").get_by_role("listitem")
    expect(badge).to_have_text("表彰ちば県民協働大賞 奨励賞（2024年度）")
    expect(page.get_by_role("link", name="表彰のない見守り活動")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_no_axe_violations(page)

    page.get_by_role("link", name="企業の社員参加による里山の再生").click()
    expect(page.get_by_role("list", name="表彰")).to_contain_text(
        "ちば県民協働大賞 奨励賞（2024年度・千葉県）"
    )
    assert_no_axe_violations(page)
    context.close()


def test_a_clerk_adds_an_award_and_the_public_sees_it(desk, browser, live_server, reference_data):
    case = factories.case("外国人住民と一緒につくる多言語防災ガイド", photos=1)
    visitor = browser.new_context(locale="ja-JP").new_page()
    visitor.goto(live_server.url + case.get_absolute_url())  # now cached for every visitor
    expect(visitor.get_by_role("list", name="表彰")).to_have_count(0)

    # a 管理者: an editor's addition to a published case waits for review (test_review_browser)
    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.goto(f"{live_server.url}/admin/cases/case/{case.pk}/change/")
    desk.get_by_role("button", name="表彰を追加").click()
    row = desk.locator("#awards-group tr.form-row").filter(has=desk.locator("input")).first
    row.get_by_role("textbox", name="賞の名称").fill("防災まちづくり協働賞")
    row.get_by_role("textbox", name="部門・賞の種類").fill("優秀賞")
    row.get_by_role("spinbutton", name="受賞年度").fill("2025")
    row.get_by_role("textbox", name="表彰した機関").fill("ちば防災まちづくり推進協議会")
    assert_no_axe_violations(desk)
    desk.get_by_role("button", name="保存", exact=True).last.click()
    expect(desk.locator(".messagelist")).to_contain_text("変更しました")
    assert case.awards.get().name == "防災まちづくり協働賞"

    visitor.goto(live_server.url + case.get_absolute_url())
    expect(visitor.get_by_role("list", name="表彰")).to_have_text(
        "表彰防災まちづくり協働賞 優秀賞（2025年度・ちば防災まちづくり推進協議会）"
    )
    visitor.goto(live_server.url + "/cases/")
    expect(visitor.get_by_role("checkbox", name="表彰を受けた事例（1件）")).to_be_enabled()
    visitor.context.close()
