"""The portal in a real Chromium: filter, open a case, and axe-core finds no WCAG 2.1 A/AA issue."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.models import Domain
from tests import factories
from tests.browser import assert_no_axe_violations
from tests.worker import lay_out_all

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def catalogue(reference_data):
    company = factories.organization("株式会社房総フーズ", kind="company", kana="ボウソウフーズ")
    school = factories.organization(
        "房総総合大学", kind="education", kana="ボウソウソウゴウダイガク"
    )
    cases = [
        factories.case(
            title="フードバンクで食品ロスを減らす",
            domains=("福祉（子ども）", "環境"),
            methods=("事業協力・協定",),
            partners=(company,),
            budget=800_000,
            photos=2,
            schedule=(("4月", "協定の締結"), ("通年", "食品の回収と配布")),
            tips="最初に役割を書き出して共有しました。",
        ),
        factories.case(
            title="大学生と歩く里山の観察会",
            domains=("環境", "教育・文化"),
            methods=("共催",),
            partners=(school,),
            budget=None,
            photos=1,
        ),
    ]
    for i in range(3):
        factories.case(title=f"防災訓練の事例{i}", domains=("防災・防犯",), methods=("後援",))
    return cases


def test_filter_open_case_and_axe_is_clean(page, live_server, catalogue):
    page.goto(live_server.url + "/")
    expect(page).to_have_title("コラボナビ ｜ 千葉県の協働事例ポータル")
    assert_no_axe_violations(page)

    page.goto(live_server.url + "/cases/")
    expect(page.get_by_role("heading", name="5件中 1–5件")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("環境（2件）").check()
    page.get_by_role("button", name="この条件で絞り込む").click()
    expect(page.get_by_role("heading", name="2件中 1–2件")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^活動分野：環境.*解除"))).to_be_visible()
    # Disjunctive counts: the other partner type still counts within 環境.
    expect(page.get_by_label("教育（1件）")).to_be_enabled()
    expect(page.get_by_label("行政（0件）")).to_be_disabled()
    assert_no_axe_violations(page)

    page.get_by_label("企業（1件）").check()
    page.get_by_role("button", name="この条件で絞り込む").click()
    expect(page.get_by_role("heading", name="1件中 1–1件")).to_be_visible()

    page.get_by_role("link", name="フードバンクで食品ロスを減らす").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("フードバンクで食品ロスを減らす")
    expect(page.get_by_role("heading", name=re.compile("コラボのコツ$"))).to_be_visible()
    expect(page.get_by_role("cell", name="食品の回収と配布")).to_be_visible()
    assert_no_axe_violations(page)

    page.go_back()
    expect(page.get_by_role("heading", name="1件中 1–1件")).to_be_visible()


def test_keyword_search_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/cases/")
    page.get_by_label("キーワード").fill("ＮＰＯ　フードバンク")
    page.get_by_role("button", name="検索", exact=True).click()
    expect(page.get_by_role("heading", name="該当する事例はありません")).to_be_visible()
    page.get_by_label("キーワード").fill("里山")
    page.get_by_role("button", name="検索", exact=True).click()
    expect(page.get_by_role("heading", name="1件中 1–1件")).to_be_visible()
    page.get_by_label("並び順").select_option("budget")
    page.get_by_role("button", name="並べ替え").click()
    assert "sort=budget" in page.url and "q=" in page.url
    context.close()


@pytest.mark.parametrize("path", ["/", "/cases/", "CASE"])
def test_phone_width_has_no_horizontal_scroll(browser, live_server, catalogue, path):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    url = catalogue[0].get_absolute_url() if path == "CASE" else path
    page.goto(live_server.url + url)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    if path == "/cases/":
        # The filters fold away on a phone, and open on demand.
        expect(page.get_by_label("環境（2件）")).to_be_hidden()
        page.get_by_text("条件で絞り込む", exact=True).click()
        expect(page.get_by_label("環境（2件）")).to_be_visible()
    assert_no_axe_violations(page)
    context.close()


def test_skip_link_moves_focus_to_main(page, live_server, catalogue):
    page.goto(live_server.url + "/cases/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="本文へ移動")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_domain_entry_point_on_top_page(page, live_server, catalogue):
    page.goto(live_server.url + "/")
    env = Domain.objects.get(name="環境")
    page.get_by_role("link", name="環境（2件）").click()
    assert page.url.endswith(f"/cases/?domain={env.pk}")
    expect(page.get_by_role("heading", name="2件中 1–2件")).to_be_visible()


def test_organization_directory_and_page_are_axe_clean(page, live_server, catalogue):
    page.goto(live_server.url + "/organizations/")
    expect(page.get_by_role("heading", name=re.compile("団体中"))).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label(re.compile("^企業")).check()
    page.get_by_role("button", name="この条件で絞り込む").click()
    expect(page.get_by_role("heading", name="1団体中 1–1団体")).to_be_visible()
    page.get_by_role("link", name="株式会社房総フーズ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("株式会社房総フーズ")
    expect(page.get_by_role("link", name="フードバンクで食品ロスを減らす")).to_be_visible()
    assert_no_axe_violations(page)


def test_casebook_gather_arrange_and_download(page, live_server, catalogue):
    page.goto(live_server.url + "/cases/?sort=number")
    page.get_by_role("button", name=re.compile("事例集に追加.*フードバンク")).click()
    expect(
        page.get_by_role("button", name=re.compile("事例集から外す.*フードバンク"))
    ).to_be_visible()
    page.get_by_role("button", name=re.compile("事例集に追加.*里山の観察会")).click()
    expect(page.locator(".casebook-count")).to_have_text("2件")
    page.get_by_role("link", name=re.compile("マイ事例集")).first.click()
    expect(page.get_by_role("heading", name=re.compile("収録する事例（2件"))).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name=re.compile("下へ.*フードバンク")).click()
    titles = page.locator(".casebook-entry__body > a").all_inner_texts()
    assert titles == ["大学生と歩く里山の観察会", "フードバンクで食品ロスを減らす"]
    page.get_by_label("表紙のタイトル").fill("食と環境の事例集")
    page.get_by_role("button", name="保存").click()
    # Nothing laid out yet: the progress page, then the book once the worker has made the cases.
    page.get_by_role("link", name="PDFをダウンロード（2件）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("事例集を作成しています（0 / 2件）")
    assert_no_axe_violations(page)
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    with page.expect_download() as download:
        lay_out_all()  # what the background worker does
    assert download.value.suggested_filename == "食と環境の事例集.pdf"  # the title saved above
    expect(page.get_by_text("できあがりました")).to_be_visible()
    page.wait_for_timeout(4000)  # past the page's own reload: it downloads once, not twice
    assert len(downloads) == 1
    # A ready book downloads at once.
    page.get_by_role("link", name="マイ事例集に戻る").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDFをダウンロード（2件）").click()
    assert download.value.suggested_filename == "食と環境の事例集.pdf"  # the title saved above
    share = page.get_by_label(re.compile("共有用リンク")).input_value()
    page.goto(share)
    expect(page.get_by_role("heading", level=1)).to_have_text("共有された事例集：食と環境の事例集")
    assert_no_axe_violations(page)


def test_inquiry_flow_and_forms_are_axe_clean(page, live_server, catalogue):
    case = catalogue[0]
    page.goto(live_server.url + case.get_absolute_url())
    page.get_by_role("link", name="この事例について問い合わせる").click()
    expect(page.get_by_label("関連する事例No.")).to_have_value(str(case.number))
    assert_no_axe_violations(page)
    page.get_by_label("お名前").fill("千葉 花子")
    page.get_by_label("メールアドレス").fill("hanako@")
    page.get_by_role("button", name="入力内容を確認する").click()
    # Beside each field (its description) and, as a link to it, in the summary at the top.
    expect(page.get_by_label("メールアドレス")).to_have_accessible_description(
        re.compile("メールアドレスの形式が正しくありません")
    )
    expect(page.get_by_label("内容")).to_have_accessible_description(
        re.compile("内容を入力してください。")
    )
    expect(page.get_by_role("link", name="内容を入力してください。")).to_be_visible()
    expect(page.get_by_label("お名前")).to_have_value("千葉 花子")
    assert_no_axe_violations(page)  # the error state too
    page.get_by_label("メールアドレス").fill("hanako@example.jp")
    page.get_by_label("内容").fill("この事例の進め方を教えてください。")
    page.get_by_label(re.compile("プライバシーポリシー.*同意する")).check()
    page.get_by_role("button", name="入力内容を確認する").click()
    expect(page.locator('[aria-current="step"]')).to_contain_text("確認")
    expect(page.get_by_role("cell", name="この事例の進め方を教えてください。")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="この内容で送信する").click()
    expect(page.get_by_role("heading", name="送信しました")).to_be_visible()
    assert_no_axe_violations(page)


def test_update_proposal_form_and_its_errors_are_axe_clean(page, live_server, catalogue):
    case = catalogue[1]
    page.goto(live_server.url + case.get_absolute_url())
    page.get_by_role("link", name=re.compile("掲載情報の更新を提案する")).click()
    expect(page.get_by_label("事例名")).to_have_value(case.title)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="更新を提案する").click()
    expect(page.get_by_label("お名前")).to_have_accessible_description(
        re.compile("お名前を入力してください。")
    )
    assert_no_axe_violations(page)
    page.get_by_label("お名前").fill("房総 太郎")
    page.get_by_label("団体名").fill("房総総合大学")
    page.get_by_label("メールアドレス").fill("taro@example.jp")
    page.get_by_label("事例との関係").select_option("partner")
    page.get_by_label("事業概要").fill("観察会を年4回に増やしました。")
    page.get_by_label(re.compile("プライバシーポリシー.*同意する")).check()
    page.get_by_role("button", name="更新を提案する").click()
    expect(page.get_by_role("heading", name="更新の提案を受け付けました")).to_be_visible()
    page.goto(live_server.url + case.get_absolute_url())
    expect(page.get_by_text("観察会を年4回に増やしました。")).to_have_count(0)


def test_page_feedback_widget(page, live_server, catalogue):
    page.goto(live_server.url + "/cases/")
    page.get_by_label("役に立った", exact=True).check()
    page.get_by_label("見つけやすかった", exact=True).check()
    page.get_by_role("button", name="回答を送信する").click()
    expect(page.get_by_text("ご回答ありがとうございました")).to_be_in_viewport()


def test_no_content_security_policy_violations(page, live_server, catalogue):
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    for path in ["/", "/cases/", catalogue[0].get_absolute_url(), "/casebook/", "/inquiries/new/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/cases/")  # site.js folds the filters here
    expect(page.get_by_label("環境（2件）")).to_be_hidden()
    assert violations == []


def test_without_javascript_the_progress_page_reloads_into_the_book(
    browser, live_server, catalogue
):
    context = browser.new_context(locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + catalogue[0].get_absolute_url())
        page.get_by_role("link", name="PDFでダウンロード").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("PDFを作成しています（0 / 1件）")
        # A case's PDF opens in the browser (inline), so it arrives as a page, not a download.
        with page.expect_response(
            lambda r: r.headers.get("content-type") == "application/pdf"
        ) as response:
            lay_out_all()  # the worker; the page's <noscript> refresh then finds the PDF ready
        disposition = response.value.headers["content-disposition"]
        assert disposition.startswith("inline;")
        assert f'filename="case-{catalogue[0].number}.pdf"' in disposition
    finally:
        context.close()


def test_the_progress_page_breadcrumb_leads_back_to_the_case(page, live_server, catalogue):
    page.goto(live_server.url + catalogue[0].get_absolute_url())
    page.get_by_role("link", name="PDFでダウンロード").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PDFを作成しています（0 / 1件）")
    crumbs = page.get_by_role("navigation", name="現在位置")
    expect(crumbs.get_by_text("PDFの作成")).to_have_attribute("aria-current", "page")
    crumbs.get_by_role("link", name=f"事例No.{catalogue[0].number}").click()
    expect(page).to_have_url(live_server.url + catalogue[0].get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(catalogue[0].title)


def test_a_long_open_data_download_asks_to_retry_then_downloads(
    page, live_server, catalogue, settings
):
    from tests.worker import run_worker

    settings.EXPORT_IN_REQUEST_MAX = 1  # the catalogue's cases: written by the worker
    page.goto(live_server.url + "/cases/")
    page.get_by_role("link", name="CSV（Excel向け）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("オープンデータを作成しています")
    assert_no_axe_violations(page)
    run_worker()  # what the background worker does meanwhile
    with page.expect_download() as download:
        page.get_by_role("link", name="もう一度ダウンロードする").click()
    assert download.value.suggested_filename == "collanavi-cases.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert catalogue[0].title in text
