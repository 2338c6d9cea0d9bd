"""Merging two organizations by clicking, as a 管理者 at 1280 px: side by side, a field taken
from the duplicate, a different kind confirmed, and the old page moved for good."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import CasePartner
from partners.models import Organization
from tests import factories
from tests.browser import assert_no_axe_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_administrator_merges_two_organizations_with_eyes_open(
    desk, browser, live_server, reference_data
):
    keep = factories.organization(
        "NPO法人みどりの手", kana="ミドリノテ", mission="里山を守る", is_public=True
    )
    dup = factories.organization(
        "みどりの手", kind="voluntary", kana="ミドリノテ", mission="里山と川を守り、次の世代へ"
    )
    shared = factories.case(title="川辺の清掃", partners=(keep, dup))
    old_url = live_server.url + dup.get_absolute_url()
    log_in(desk, live_server.url, factories.staff_user("管理者"))

    desk.goto(live_server.url + "/admin/partners/organization/")
    for name in ("NPO法人みどりの手", "みどりの手"):
        desk.get_by_role("row").filter(
            has=desk.get_by_role("link", name=name, exact=True)
        ).get_by_role("checkbox").check()
    desk.get_by_role("combobox", name="操作：").select_option(
        label="選択した団体を1つに統合する（重複の解消）"
    )
    desk.get_by_role("button", name="実行").click()

    table = desk.get_by_role("table", name=re.compile("残す値を選んでください"))
    expect(table.get_by_role("columnheader", name=re.compile("NPO法人みどりの手"))).to_be_visible()
    expect(
        table.get_by_role("rowheader", name=re.compile(r"^目的・ミッション\s*違いあり"))
    ).to_be_visible()
    expect(desk.get_by_role("radio", name="「NPO法人みどりの手」を残す")).to_be_checked()
    expect(desk.get_by_text("注意：種別が異なります。")).to_be_visible()
    expect(desk.get_by_text("役割2", exact=True)).to_be_visible()  # both roles shown
    assert_no_axe_violations(desk)

    # Untouched fields follow the organization kept, to its values.
    desk.get_by_role("radio", name="「みどりの手」を残す").check()
    expect(desk.get_by_role("radio", name=re.compile(r"^団体名：\s*みどりの手"))).to_be_checked()
    desk.get_by_role("radio", name="「NPO法人みどりの手」を残す").check()
    expect(desk.get_by_role("radio", name=re.compile(r"^団体名：\s*NPO法人"))).to_be_checked()
    desk.get_by_role("radio", name=re.compile(r"^目的・ミッション：\s*里山と川を守り")).check()
    desk.get_by_role("radio", name="「みどりの手」の役割を残す").check()
    desk.get_by_role("button", name="統合する").click()

    confirm = desk.get_by_role(
        "checkbox", name="種別が異なる団体であることを確かめたうえで統合する"
    )
    expect(confirm).to_have_accessible_description(
        "種別が異なる団体を統合するには、確かめたことをチェックで示してください。"
    )
    assert Organization.objects.filter(pk=dup.pk).exists()
    expect(
        desk.get_by_role("radio", name=re.compile(r"^目的・ミッション：\s*里山と川を守り"))
    ).to_be_checked()
    confirm.check()
    desk.get_by_role("button", name="統合する").click()
    expect(desk.get_by_text("「NPO法人みどりの手」に統合しました")).to_be_visible()
    assert CasePartner.objects.get(case=shared).role == "役割2"

    visitor = browser.new_context(locale="ja-JP")
    try:
        page = visitor.new_page()
        response = page.goto(old_url)
        assert response.request.redirected_from.response().status == 301
        assert page.url == live_server.url + keep.get_absolute_url()
        expect(page.get_by_role("heading", level=1)).to_have_text("NPO法人みどりの手")
        expect(page.get_by_text("里山と川を守り、次の世代へ")).to_be_visible()
        expect(page.get_by_text("里山を守る", exact=True)).to_have_count(0)
    finally:
        visitor.close()
