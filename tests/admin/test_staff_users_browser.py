"""Clicked at 1280 px: a 管理者 adds a 事例編集者 and disables them; the proposal list's columns
are as wide as their headings; the staff account pages pass axe."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from inquiries import services as inquiry_services
from tests import factories
from tests.browser import assert_no_axe_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# A heading's text: how many lines it takes and how wide it is.
LINES_AND_WIDTH = """th => {
    const walker = document.createTreeWalker(th.querySelector(".text"), NodeFilter.SHOW_TEXT);
    const rects = [];
    while (walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(walker.currentNode);
        rects.push(...[...range.getClientRects()].filter(r => r.width > 0));
    }
    const left = Math.min(...rects.map(r => r.left)), right = Math.max(...rects.map(r => r.right));
    return [new Set(rects.map(r => Math.round(r.top))).size, right - left];
}"""


def test_an_administrator_adds_an_editor_and_disables_them(desk, live_server, reference_data):
    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.goto(live_server.url + "/admin/auth/user/")
    assert_no_axe_violations(desk)
    desk.get_by_role("link", name="ユーザーを追加").click()
    assert_no_axe_violations(desk)
    desk.get_by_label("ユーザー名").fill("sato")
    desk.get_by_label("パスワード:", exact=True).fill("kaizen-sakura-2026")
    desk.get_by_label("パスワード(確認用):", exact=True).fill("kaizen-sakura-2026")
    desk.get_by_label("姓:", exact=True).fill("佐藤")
    desk.get_by_label("名:", exact=True).fill("一郎")
    desk.get_by_label("事例編集者").check()
    desk.get_by_role("button", name="保存して編集を続ける").click()
    expect(desk.locator(".messagelist")).to_contain_text("追加しました")
    assert_no_axe_violations(desk)

    desk.get_by_label("有効", exact=True).uncheck()
    desk.get_by_role("button", name="保存", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("変更しました")
    sato = User.objects.get(username="sato")
    assert not sato.is_active and sato.is_staff and not sato.is_superuser
    assert [g.name for g in sato.groups.all()] == ["事例編集者"]


def test_proposal_columns_are_as_wide_as_their_headings(desk, live_server, reference_data):
    case = factories.case(title="地域の子ども食堂と企業が連携したフードバンクの取り組み")
    reviewer = factories.staff_user("管理者", username="kanri")
    reviewer.last_name, reviewer.first_name = "長谷川", "裕美子"
    reviewer.save()
    for organization in ["特定非営利活動法人ちば子ども食堂ネットワーク", "株式会社房総フーズ"]:
        proposal = inquiry_services.submit_proposal(
            case=case,
            sender={
                "name": "太郎",
                "organization": organization,
                "email": "t@example.jp",
                "relation": "lead",
            },  # fmt: skip
            changes={"summary": "新しい事業概要です。"},
            photos=[],
        )
        proposal.reviewer = reviewer
        proposal.save()
    log_in(desk, live_server.url, reviewer)
    desk.goto(live_server.url + "/admin/inquiries/updateproposal/")
    headings = desk.locator("#result_list thead th")
    expect(headings.first).to_be_visible()
    for heading in headings.all():
        if not heading.inner_text().strip():
            continue  # the tick box's column
        # The heading's words on one line, inside the column they head.
        lines, width = heading.evaluate(LINES_AND_WIDTH)
        assert lines == 1, heading.inner_text()
        assert width <= heading.bounding_box()["width"], heading.inner_text()
    for cell in desk.locator("#result_list td.field-organization").all():
        font = float(cell.evaluate("td => getComputedStyle(td).fontSize").removesuffix("px"))
        assert cell.bounding_box()["width"] >= 8 * font  # not one character a line
    expect(desk.locator("#result_list td.field-reviewer_name").first).to_have_text("長谷川 裕美子")
