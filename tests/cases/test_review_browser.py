"""Review before publish, clicked as the clerks would at 1280 px: a 事例編集者's change to a
published case waits; a 管理者 sees 承認待ち, reads the difference, approves, and can revert all
of it; publishing from the list asks first and refuses an incomplete draft."""

import re

import pytest
from playwright.sync_api import Page, expect

from cases.models import Case, Revision
from tests import factories
from tests.browser import assert_no_axe_violations, log_in, public_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _choose(desk: Page, title: str, action: str) -> None:
    """Tick the case's row in the list, choose the action, press 実行."""
    desk.get_by_role("row", name=re.compile(title)).get_by_role("checkbox").check()
    desk.get_by_role("combobox", name=re.compile("操作")).select_option(label=action)
    desk.get_by_role("button", name="実行").click()


def _log_out(desk: Page, base_url: str) -> None:
    desk.goto(base_url + "/admin/")
    desk.get_by_role("button", name="ログアウト").click()


def test_an_editors_change_waits_for_a_managers_approval_and_reverts_whole(
    desk, browser, live_server, reference_data
):
    partners = (
        factories.organization("株式会社みどり造園", kind="company"),
        factories.organization("千葉県立里山高校", kind="education"),
    )
    case = factories.case(
        "里山の竹林整備",
        summary="竹林を整備し、竹を地域で使いました。",
        partners=partners,
        schedule=(("4月", "竹の伐採"),),
    )
    public_url = live_server.url + case.get_absolute_url()
    editor = factories.staff_user("事例編集者")
    log_in(desk, live_server.url, editor)
    desk.set_viewport_size({"width": 1280, "height": 900})
    desk.goto(f"{live_server.url}/admin/cases/case/{case.pk}/change/")
    rewritten = "竹林を整備し、竹炭を作って地域の畑で使いました。"
    desk.get_by_role("textbox", name="事業概要").fill(rewritten)
    schedule = desk.locator("#schedule-group")
    schedule.get_by_role("button", name=re.compile("追加")).click()
    schedule.locator("input[name='schedule-1-period']").fill("10月")
    schedule.locator("input[name='schedule-1-activity']").fill("竹炭づくり")
    desk.locator("input[name='partners-1-DELETE']").check()  # 千葉県立里山高校's row
    desk.get_by_role("button", name="保存して編集を続ける").first.click()
    expect(desk.locator(".messagelist")).to_contain_text("承認待ち")

    text = public_text(browser, public_url)
    assert "竹林を整備し、竹を地域で使いました。" in text and "竹炭づくり" not in text
    assert "千葉県立里山高校" in text
    assert Revision.objects.filter(status=Revision.Status.PENDING).count() == 1
    _log_out(desk, live_server.url)

    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.goto(live_server.url + "/admin/")
    desk.get_by_role("link", name="承認待ち：1件").click()
    desk.get_by_role("link", name=re.compile("里山の竹林整備")).click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text("への変更")
    changes = desk.locator(".revision-changes")
    expect(changes.get_by_role("rowheader", name="事業概要")).to_be_visible()
    expect(changes).to_contain_text("竹炭を作って")
    expect(changes).to_contain_text("10月　竹炭づくり")
    expect(changes).to_contain_text("千葉県立里山高校")
    assert_no_axe_violations(desk)
    desk.get_by_role("button", name="承認して公開ページに反映する").click()
    expect(desk.locator(".messagelist")).to_contain_text("承認し")

    text = public_text(browser, public_url)
    assert "竹炭を作って地域の畑で使いました。" in text and "竹炭づくり" in text
    assert "千葉県立里山高校" not in text

    desk.goto(f"{live_server.url}/admin/cases/case/{case.pk}/change/")
    desk.get_by_role("link", name="変更履歴").click()
    desk.get_by_role("link", name="この版に戻す").first.click()
    desk.get_by_role("button", name=re.compile("^版.*に戻す$")).click()
    expect(desk.locator(".messagelist")).to_contain_text("の内容に戻しました")
    text = public_text(browser, public_url)
    assert "竹林を整備し、竹を地域で使いました。" in text and "竹炭づくり" not in text
    assert "千葉県立里山高校" in text


def test_publishing_from_the_list_refuses_an_incomplete_draft_and_asks_for_a_complete_one(
    desk, live_server, reference_data
):
    incomplete = factories.case(
        "手法も相手もない下書き", status=Case.Status.DRAFT, published_on=None, methods=()
    )
    complete = factories.case(
        "準備のできた下書き",
        status=Case.Status.DRAFT,
        published_on=None,
        partners=(factories.organization("株式会社房総フーズ", kind="company"),),
    )
    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.set_viewport_size({"width": 1280, "height": 900})
    desk.goto(live_server.url + "/admin/cases/case/?status__exact=draft")
    desk.get_by_role("row", name=re.compile("手法も相手もない下書き")).get_by_role(
        "checkbox"
    ).check()
    desk.get_by_role("combobox", name=re.compile("操作")).select_option(
        label="選択した事例を公開する"
    )
    desk.get_by_role("button", name="実行").click()
    refusal = desk.get_by_role("alert")
    expect(refusal).to_contain_text("事業の手法")
    expect(refusal).to_contain_text("協働パートナー")
    expect(desk.get_by_role("button", name=re.compile("公開します"))).to_have_count(0)
    assert_no_axe_violations(desk)
    incomplete.refresh_from_db()
    assert incomplete.status == Case.Status.DRAFT

    desk.goto(live_server.url + "/admin/cases/case/?status__exact=draft")
    desk.get_by_role("row", name=re.compile("準備のできた下書き")).get_by_role("checkbox").check()
    desk.get_by_role("combobox", name=re.compile("操作")).select_option(
        label="選択した事例を公開する"
    )
    desk.get_by_role("button", name="実行").click()
    expect(desk.get_by_role("main")).to_contain_text("準備のできた下書き")
    complete.refresh_from_db()
    assert complete.status == Case.Status.DRAFT  # asked, not yet done
    desk.get_by_role("button", name="はい、1件を公開します").click()
    expect(desk.locator(".messagelist")).to_contain_text("1件の事例を公開しました")
    complete.refresh_from_db()
    assert complete.status == Case.Status.PUBLISHED


def test_a_manager_returns_a_change_with_a_reason_and_the_editor_reads_it(
    desk, browser, live_server, reference_data
):
    case = factories.case("里山の竹林整備", partners=(factories.organization("株式会社A"),))
    editor = factories.staff_user("事例編集者")
    log_in(desk, live_server.url, editor)
    desk.set_viewport_size({"width": 1280, "height": 900})
    desk.goto(f"{live_server.url}/admin/cases/case/{case.pk}/change/")
    desk.get_by_role("textbox", name="事業概要").fill("確かめていない書き換え。")
    desk.get_by_role("button", name="保存", exact=True).last.click()
    expect(desk.locator(".messagelist")).to_contain_text("承認待ち")
    _log_out(desk, live_server.url)

    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.get_by_role("link", name="承認待ち：1件").click()
    desk.get_by_role("link", name=re.compile("里山の竹林整備")).click()
    reason = desk.get_by_role("textbox", name="差し戻しの理由")
    reason.evaluate("e => e.removeAttribute('required')")  # the server's own check, too
    desk.get_by_role("button", name="差し戻す").click()
    expect(desk.locator(".errorlist")).to_contain_text("差し戻す理由を書いてください")
    desk.get_by_role("textbox", name="差し戻しの理由").fill("団体に確認してから直してください。")
    desk.get_by_role("button", name="差し戻す").click()
    expect(desk.locator(".messagelist")).to_contain_text("差し戻しました")
    case.refresh_from_db()
    assert case.summary != "確かめていない書き換え。"
    _log_out(desk, live_server.url)

    log_in(desk, live_server.url, editor)
    desk.get_by_role("link", name="差し戻された変更：1件").click()
    expect(desk.get_by_role("main")).to_contain_text("団体に確認してから直してください。")


def test_archiving_from_the_list_asks_first(desk, live_server, reference_data):
    case = factories.case("役目を終えた事例")
    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.set_viewport_size({"width": 1280, "height": 900})
    desk.goto(live_server.url + "/admin/cases/case/")
    desk.get_by_role("row", name=re.compile("役目を終えた事例")).get_by_role("checkbox").check()
    expect(desk.locator(".action-counter")).to_have_text("1件中 1件を選択")  # in the admin's words
    _choose(desk, "役目を終えた事例", "選択した事例をアーカイブする（非公開）")
    expect(desk.get_by_role("main")).to_contain_text("役目を終えた事例")
    desk.get_by_role("link", name="やめる").click()
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHED
    _choose(desk, "役目を終えた事例", "選択した事例をアーカイブする（非公開）")
    desk.get_by_role("button", name="はい、1件をアーカイブします").click()
    expect(desk.locator(".messagelist")).to_contain_text("1件の事例をアーカイブしました")
    case.refresh_from_db()
    assert case.status == Case.Status.ARCHIVED
