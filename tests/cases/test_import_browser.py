"""A 管理者 imports an Excel (CP932) sheet by clicking, fixes a bad row and confirms."""

import re

import pytest
from playwright.sync_api import Page, expect

from cases.models import Case
from tests import factories
from tests.browser import assert_no_axe_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The library's own labels may be shown in English or in Japanese (their translation is
# done elsewhere), so buttons and fields are found by either name.
IMPORT = re.compile("インポート|Import")
FILE = re.compile("インポートするファイル|File to import")
FORMAT = re.compile("ファイル形式|Format")
SUBMIT = re.compile("^(実行|送信|Submit)$")
CONFIRM = re.compile("インポートを確定|インポートの確認|Confirm import")

HEADER = "事例No.,事例名,公開状態,地域,開始年度,活動分野,事業の手法,事業概要,運営団体"


def _sheet(*rows: str) -> dict:
    """A CSV as Excel in Japan saves it: Shift_JIS (CP932), CRLF."""
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    return {"name": "事例.csv", "mimeType": "text/csv", "buffer": text.encode("cp932")}


def _upload(desk: Page, sheet: dict) -> None:
    desk.get_by_label(FILE).set_input_files(sheet)
    desk.get_by_label(FORMAT).select_option(label="CSV")
    desk.get_by_role("button", name=SUBMIT).click()


def test_import_a_shift_jis_sheet_fix_the_bad_row_and_confirm(desk, live_server, reference_data):
    factories.organization("NPO法人みどりの手", kana="ミドリノテ")
    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.goto(live_server.url + "/admin/cases/case/")
    desk.get_by_role("link", name=IMPORT).click()
    expect(desk.get_by_label(FILE)).to_be_visible()
    assert_no_axe_violations(desk)

    good = "990,竹林の整備,下書き,市川市,2021,環境,委託,竹林を整備します。,NPO法人みどりの手"
    bad = "九九一,里山の観察会,下書き,市川市,2021,環境,委託,観察会を開きます。,NPO法人みどりの手"
    _upload(desk, _sheet(good, bad))
    result = desk.locator("table.import-result tbody")
    bad_row = result.get_by_role("row", name=re.compile("エラー"))
    expect(bad_row).to_contain_text("事例No.：半角数字で入力してください")
    expect(bad_row.get_by_role("cell").first).to_have_text("3")  # the sheet's 3rd line
    expect(result.get_by_role("row", name=re.compile("新規"))).to_contain_text("竹林の整備")
    expect(desk.get_by_role("button", name=CONFIRM)).to_have_count(0)
    assert_no_axe_violations(desk)
    assert not Case.objects.filter(number=990).exists()

    fixed = bad.replace("九九一", "991")
    _upload(desk, _sheet(good, fixed))
    expect(result.get_by_role("row", name=re.compile("新規"))).to_have_count(2)
    assert_no_axe_violations(desk)
    desk.get_by_role("button", name=CONFIRM).click()
    expect(desk.locator(".messagelist")).to_be_visible()
    expect(desk.get_by_role("link", name="里山の観察会")).to_be_visible()
    assert Case.objects.get(number=991).revisions.get().source == "インポート"
