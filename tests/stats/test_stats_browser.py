"""/stats/ in a real Chromium: readable on a phone and a desk, a bar leads to its search."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser import AT_BOTH_WIDTHS, assert_no_axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@AT_BOTH_WIDTHS
def test_a_bar_leads_to_the_cases_it_counts(browser, live_server, reference_data, viewport):
    city = factories.organization("浦安市役所", kind="government")
    factories.case("海辺の清掃", domains=("環境",), partners=(city,), budget=400_000)
    factories.case("里山の手入れ", domains=("環境", "まちづくり"), start_year=2023)
    factories.case("高齢者の見守り", domains=("福祉（高齢者）",), area_name="市川市")
    context = browser.new_context(locale="ja-JP", viewport=viewport)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="数字で見る協働事例").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("数字で見る協働事例")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_no_axe_violations(page)
    # every label and number of a chart lies inside the page
    for box in page.locator("svg.bars text").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().right)"
    ):
        assert box <= viewport["width"]

    chart = page.get_by_role("group", name="活動分野別の事例数（棒グラフ）")
    chart.get_by_role("link", name="環境：2件").click()
    expect(page).to_have_url(re.compile(r"/cases/\?domain=\d+$"))
    expect(page.get_by_role("heading", name="2件中 1–2件")).to_be_visible()
    expect(page.get_by_role("checkbox", name=re.compile("^環境"))).to_be_checked()
    expect(page.get_by_role("link", name="海辺の清掃")).to_be_visible()

    page.go_back()
    table = page.get_by_role("table", name="地域別の事例数（表）")
    table.get_by_role("link", name="市川市").click()
    expect(page.get_by_role("heading", name="1件中 1–1件")).to_be_visible()
    expect(page.get_by_role("link", name="高齢者の見守り")).to_be_visible()
    context.close()


def test_the_top_page_links_to_the_numbers(page, live_server, reference_data):
    factories.case("海辺の清掃")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("^数字で見る協働事例（")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("数字で見る協働事例")
    with page.expect_download() as download:
        page.get_by_role("link", name="事業費別の事例数をCSVでダウンロード").click()
    assert download.value.suggested_filename == "事業費別の事例数.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "事業費,事例数"
