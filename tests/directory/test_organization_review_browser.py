"""An editor's change to an organization the public sees waits for a 管理者, clicked at 1280 px:
the directory page keeps the stored text, the 管理者 reads the change beside it and approves."""

import pytest
from playwright.sync_api import expect

from partners.models import Organization, OrganizationRecord
from tests import factories
from tests.browser import assert_no_axe_violations, log_in, public_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_editors_change_to_a_public_organization_waits_for_approval(
    desk, browser, live_server, reference_data
):
    org = factories.organization(
        "NPO法人みどりの手", kana="ミドリノテ", mission="里山を守る", founded_year=2001
    )
    OrganizationRecord.objects.create(organization=org, year=2024, kind="award", title="県知事賞")
    factories.case(title="里山の保全", partners=(org,))  # named on a published case
    page_url = live_server.url + org.get_absolute_url()
    desk.set_viewport_size({"width": 1280, "height": 900})

    log_in(desk, live_server.url, factories.staff_user("事例編集者"))
    desk.goto(f"{live_server.url}/admin/partners/organization/{org.pk}/change/")
    expect(desk.get_by_text("公開中の団体の実績は管理者が変更します")).to_be_visible()
    expect(desk.locator(".inline-group .add-row")).to_be_hidden()  # 活動実績を追加: not for them
    desk.get_by_role("textbox", name="目的・ミッション").fill("里山と川を守り、次の世代へつなぐ")
    desk.get_by_label("設立年").fill("")  # a cleared field is a change too
    desk.get_by_role("button", name="保存", exact=True).last.click()
    expect(desk.locator(".messagelist")).to_contain_text("承認待ち")
    org.refresh_from_db()
    assert org.mission == "里山を守る"
    assert "里山と川を守り" not in public_text(browser, page_url)
    desk.goto(live_server.url + "/admin/")
    desk.get_by_role("button", name="ログアウト").click()

    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.get_by_role("link", name="承認待ちの団体：1件").click()
    # From the organization's own form, which says a change waits (the list's 確認する is
    # clicked in the guide pages' test).
    desk.get_by_role("link", name="NPO法人みどりの手", exact=True).click()
    desk.get_by_role("link", name="承認待ちの変更を見る").click()
    expect(desk.locator(".revision-changes")).to_contain_text("目的・ミッション")
    expect(desk.locator(".revision-changes")).to_contain_text("里山と川を守り、次の世代へつなぐ")
    expect(desk.locator(".revision-changes")).to_contain_text("設立年")
    assert_no_axe_violations(desk)
    desk.get_by_role("button", name="承認して公開ページに反映する").click()
    expect(desk.locator(".messagelist")).to_contain_text("承認し、公開しました")
    org = Organization.objects.get(pk=org.pk)
    assert org.mission == "里山と川を守り、次の世代へつなぐ" and org.pending is None
    assert org.founded_year is None
    assert "里山と川を守り、次の世代へつなぐ" in public_text(browser, page_url)
    assert org.history.first().history_change_reason == "事例編集者の変更を承認"
    desk.goto(f"{live_server.url}/admin/partners/organization/{org.pk}/change/")
    expect(desk.locator(".inline-group .add-row")).to_contain_text("活動実績を追加")  # 管理者 may
