"""Staff screens at a clerk's 1280 px: readable columns, no sideways scroll, no WCAG issue."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser import DESKTOP, assert_no_axe_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONG_TITLE = "地域の子ども食堂と企業が連携したフードバンクによる食品ロス削減と見守りの取り組み"
# Characters of Japanese text are one em wide: a cell this many ems wide holds that many.
TITLE_CHARS = 20


@pytest.fixture
def catalogue(reference_data):
    company = factories.organization("株式会社房総フーズ", kind="company", kana="ボウソウフーズ")
    school = factories.organization("房総総合大学", kind="education", kana="ボウソウダイガク")
    stale = factories.case(
        title=LONG_TITLE,
        partners=(company, school),
        verified_on=datetime.date(2019, 4, 1),
        summary="子ども食堂に集まる食品を、企業の倉庫を借りて保管し、地域の家庭に配りました。",
    )
    for i in range(4):
        factories.case(title=f"商店街と高校が協働した防災訓練の事例その{i + 1}")
    # Neither is listed under the index's stale count: visitors do not see them.
    factories.case(title="下書きの古い事例", status="draft", verified_on=datetime.date(2019, 1, 1))
    factories.case(
        title="終了した古い事例", status="archived", verified_on=datetime.date(2019, 1, 1)
    )
    return stale


def _shot(page: Page, folder: Path, name: str) -> None:
    """A full-page screenshot to look at, in the test's own temporary folder."""
    page.screenshot(path=folder / f"staff-{name}.png", full_page=True)


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]


def test_clerk_reads_case_list_and_form_at_1280px(desk, live_server, catalogue, tmp_path):
    log_in(desk, live_server.url, factories.staff_user("管理者"))
    assert_no_axe_violations(desk)
    _shot(desk, tmp_path, "index")

    # The index's stale count and the list its link opens agree: published cases only.
    desk.get_by_role("link", name="情報確認が古い事例：1件").click()
    expect(desk.locator("#result_list tbody tr")).to_have_count(1)
    expect(desk.get_by_role("link", name=LONG_TITLE)).to_be_visible()

    desk.get_by_role("link", name="ホーム").click()
    desk.get_by_role("rowheader", name="協働事例").get_by_role("link").click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text("協働事例")
    _shot(desk, tmp_path, "changelist")
    _no_sideways_scroll(desk)
    heading = desk.locator("#result_list thead th.column-number")
    expect(heading).to_contain_text("事例No.")
    assert heading.evaluate("th => getComputedStyle(th).textTransform") == "none"
    # Every column in view, 要確認 last: none hidden behind the list's own scroll bar.
    results = desk.locator("#changelist .results").bounding_box()
    last = desk.locator("#result_list thead th.column-stale_flag").bounding_box()
    assert last["x"] + last["width"] <= results["x"] + results["width"]
    cells = desk.locator("#result_list td.field-title")
    expect(cells).to_have_count(7)
    for cell in cells.all():
        font_size = float(cell.evaluate("td => getComputedStyle(td).fontSize").removesuffix("px"))
        assert cell.bounding_box()["width"] >= TITLE_CHARS * font_size
    # 要確認 in words: nothing a reader could take for "all is well".
    row = desk.get_by_role("row", name=re.compile(LONG_TITLE))
    expect(row.locator("td.field-stale_flag")).to_have_text("要確認")
    expect(row.locator("td.field-stale_flag img")).to_have_count(0)
    fresh = desk.get_by_role("row", name=re.compile("防災訓練の事例その1"))
    expect(fresh.locator("td.field-stale_flag")).to_have_text("—")
    assert_no_axe_violations(desk)

    desk.get_by_role("link", name=LONG_TITLE).click()
    expect(desk.get_by_role("heading", name="協働パートナーと役割")).to_be_visible()
    expect(desk.locator("#partners-group tbody tr.has_original")).to_have_count(2)
    _shot(desk, tmp_path, "change-form")
    _no_sideways_scroll(desk)
    title = desk.get_by_label("事例名")
    font_size = float(title.evaluate("i => getComputedStyle(i).fontSize").removesuffix("px"))
    assert title.bounding_box()["width"] >= len(LONG_TITLE) * font_size
    assert_no_axe_violations(desk)

    title.fill("子ども食堂と企業のフードバンク")
    desk.get_by_role("button", name="保存して編集を続ける").first.click()
    expect(desk.locator(".messagelist")).to_contain_text("を変更しました")

    desk.get_by_role("link", name="変更履歴").click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text("版の履歴")
    _shot(desk, tmp_path, "history")
    _no_sideways_scroll(desk)
    newest = desk.locator(".revision").first
    expect(newest).to_contain_text("公開中の内容")
    expect(newest).to_contain_text("変更元：職員")
    expect(newest.get_by_role("rowheader", name="事例名")).to_be_visible()
    assert_no_axe_violations(desk)

    desk.get_by_role("link", name="この版に戻す").last.click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text("に戻しますか")
    _shot(desk, tmp_path, "revert")
    _no_sideways_scroll(desk)
    assert_no_axe_violations(desk)
    desk.get_by_role("button", name="に戻す").click()
    expect(desk.locator(".messagelist")).to_contain_text("の内容に戻しました")
    desk.goto(desk.url.replace("/revisions/", "/change/"))
    expect(desk.get_by_label("事例名")).to_have_value(LONG_TITLE)


def test_export_page_is_named_in_japanese_and_axe_clean(desk, live_server, catalogue):
    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.goto(live_server.url + "/admin/cases/case/")
    desk.get_by_role("link", name="エクスポート").click()
    expect(desk.get_by_role("checkbox", name="すべて選択")).to_be_checked()
    expect(desk.get_by_role("checkbox", name="事例No.", exact=True)).to_be_visible()
    assert_no_axe_violations(desk)
