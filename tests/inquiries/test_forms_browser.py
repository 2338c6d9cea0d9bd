"""The public forms in Chromium: feedback thanked in view, full-width input accepted, the error
summary's links, and the 受付番号 on the 完了 page; axe-clean at 390 and 1280 px."""

import re

import pytest
from playwright.sync_api import expect

from inquiries.models import Inquiry, PageFeedback
from tests import factories
from tests.browser import AT_BOTH_WIDTHS, assert_no_axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def long_case(reference_data):
    partners = [factories.organization(f"協力団体{i}", kind="company") for i in range(3)]
    return factories.case(
        title="フードバンクで食品ロスを減らす",
        summary="長い概要です。" * 120,
        tips="最初に役割を書き出して共有しました。" * 40,
        partners=tuple(partners),
        photos=2,
    )


@AT_BOTH_WIDTHS
def test_feedback_thanks_are_in_view_after_sending(browser, live_server, long_case, viewport):
    context = browser.new_context(locale="ja-JP", viewport=viewport)
    page = context.new_page()
    try:
        page.goto(live_server.url + long_case.get_absolute_url())
        widget = page.get_by_role("region", name="このページについてお聞かせください")
        widget.get_by_label("役に立った", exact=True).check()
        widget.get_by_label(re.compile("^ご意見")).fill("写真が分かりやすいです")
        widget.get_by_role("button", name="回答を送信する").click()
        thanks = page.get_by_text("ご回答ありがとうございました")
        expect(thanks).to_be_in_viewport()
        expect(widget.get_by_role("button", name="回答を送信する")).to_be_hidden()  # not twice
        assert PageFeedback.objects.get().comment == "写真が分かりやすいです"
        assert_no_axe_violations(page)

        # An empty post: the reason is beside the widget, in view, and nothing is stored.
        page.reload()
        page.get_by_role("button", name="回答を送信する").click()
        expect(page.get_by_text("いずれかの質問にお答えいただくか")).to_be_in_viewport()
        assert_no_axe_violations(page)
        page.get_by_label("見つけにくかった").check()
        page.get_by_role("button", name="回答を送信する").click()
        expect(page.get_by_text("ご回答ありがとうございました")).to_be_in_viewport()
        assert PageFeedback.objects.count() == 2
        assert page.url.endswith(long_case.get_absolute_url() + "#feedback")
    finally:
        context.close()


@AT_BOTH_WIDTHS
def test_full_width_phone_and_address_are_accepted(browser, live_server, reference_data, viewport):
    context = browser.new_context(locale="ja-JP", viewport=viewport)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/inquiries/new/")
        page.get_by_label("協働の相談").check()
        page.get_by_label("お名前").fill("千葉 花子")
        page.get_by_label("メールアドレス").fill("ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ")
        page.get_by_label("電話番号").fill("０４３－２２３－４１３３")
        page.get_by_label("内容").fill("協働について相談したいです。")
        page.get_by_label(re.compile("プライバシーポリシー.*同意する")).check()
        page.get_by_role("button", name="入力内容を確認する").click()
        expect(page.get_by_role("cell", name="043-223-4133")).to_be_visible()
        expect(page.get_by_role("cell", name="hanako@example.jp")).to_be_visible()
        widget = page.get_by_role("region", name="このページについてお聞かせください")
        expect(widget).to_have_count(0)
        assert_no_axe_violations(page)
        page.get_by_role("button", name="この内容で送信する").click()
        expect(page.get_by_role("heading", name="送信しました")).to_be_visible()
        inquiry = Inquiry.objects.get()
        assert (inquiry.phone, inquiry.email) == ("043-223-4133", "hanako@example.jp")
        expect(page.get_by_text(inquiry.receipt_number)).to_be_visible()
        assert_no_axe_violations(page)
    finally:
        context.close()


def test_error_summary_links_move_to_the_fields(page, live_server, reference_data):
    page.goto(live_server.url + "/inquiries/new/")
    page.get_by_label("お名前").fill("千葉\u3000花子")
    page.get_by_role("button", name="入力内容を確認する").click()
    summary = page.get_by_role("alert").filter(has_text="入力内容を確認してください")
    expect(summary).to_be_visible()
    summary.get_by_role("link", name="内容を入力してください。").click()
    expect(page.get_by_label("内容")).to_be_focused()
    summary.get_by_role("link", name="種類を選んでください。").click()
    expect(page.get_by_label("お問い合わせ", exact=True)).to_be_focused()
    summary.get_by_role("link", name="メールアドレスを入力してください。").click()
    expect(page.get_by_label("メールアドレス")).to_be_focused()
    expect(page.get_by_label("お名前")).to_have_value("千葉\u3000花子")
    assert_no_axe_violations(page)


def test_proposal_selects_ask_to_choose(page, live_server, reference_data):
    case = factories.case(title="里山の保全")
    page.goto(live_server.url + f"/cases/{case.number}/update/")
    relation = page.get_by_label("事例との関係")
    expect(relation.locator("option:checked")).to_have_text("選択してください")
    expect(page.get_by_text("---------")).to_have_count(0)
