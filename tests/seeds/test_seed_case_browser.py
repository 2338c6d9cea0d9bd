"""From a public post to a draft case in Chromium at a clerk's 1280 px: post through 入力→確認→
完了, approve (the poster is mailed), 「保存して事例にする」 with title and 手法, and reject another
seed with a reason (refused without one)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from cases.models import Case
from seeds import services
from seeds.models import Seed
from tests import factories
from tests.browser import DESKTOP, assert_no_axe_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def visitor(browser):
    context = browser.new_context(locale="ja-JP", viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


def _post_a_seed(page, base_url: str) -> Seed:
    page.goto(base_url + "/seeds/new/")
    page.get_by_label("団体の「提案・できること」").check()
    page.get_by_label("タイトル").fill("花壇の仲間を募集しています")
    page.get_by_label("団体名・担当課名").fill("いずみ野 花の会")
    page.get_by_label("ご担当者のお名前").fill("花田 咲子")
    page.get_by_label("メールアドレス").fill("sakiko@example.jp")
    page.get_by_label("地域").select_option(label="千葉市")
    page.get_by_label("課題（どんなことに困っているか）").fill("公園の花壇の担い手がいません。")
    page.get_by_role("textbox", name="やりたいこと").fill(
        "公園の花壇を一緒に育てる仲間を探しています。"
    )
    page.get_by_role("group", name="活動分野").get_by_label("環境").check()
    page.get_by_role("group", name="求めているもの").get_by_label("人材").check()
    page.get_by_role("group", name="提供できるもの").get_by_label("場所").check()
    page.get_by_label("実施時期・期間").fill("2027年4月から")
    page.get_by_label("キーワード").fill("花壇 公園")
    page.get_by_label(re.compile("プライバシーポリシー.*同意する")).check()
    page.get_by_role("button", name="入力内容を確認する").click()
    expect(page.locator('[aria-current="step"]')).to_contain_text("確認")
    page.get_by_role("button", name="この内容で投稿する").click()
    expect(page.get_by_role("heading", name="投稿を受け付けました")).to_be_visible()
    return Seed.objects.get(title="花壇の仲間を募集しています")


def test_a_posted_seed_becomes_a_draft_case_on_the_first_try(
    visitor, desk, live_server, reference_data
):
    known = factories.organization("みどり造園", kind="company")
    seed = _post_a_seed(visitor, live_server.url)
    assert seed.review == Seed.Review.PENDING and seed.organization is None
    mail.outbox.clear()

    administrator = factories.staff_user("管理者")
    log_in(desk, live_server.url, administrator)
    desk.get_by_role("link", name="審査待ちの協働の種：1件").click()
    desk.get_by_role("link", name="花壇の仲間を募集しています").click()
    desk.get_by_role("button", name="保存して承認・公開する").click()
    expect(
        desk.get_by_text("「花壇の仲間を募集しています」を承認し、公開しました。")
    ).to_be_visible()
    (approved,) = mail.outbox
    assert approved.to == ["sakiko@example.jp"] and seed.receipt_number in approved.subject
    assert f"/seeds/{seed.pk}/" in approved.body
    assert "花壇の仲間" not in approved.subject + approved.body  # never the poster's words

    # A company asked about it and the coordinator took it on (as test_seeds_browser clicks).
    consultation = services.submit_consultation(
        seed=Seed.objects.get(pk=seed.pk),
        data={
            "name": "緑川 太郎",
            "organization": "みどり 造園",
            "email": "taro@example.jp",
            "message": "植栽の講師を出せます。",
        },
    )
    services.accept_consultation(consultation, user=administrator)

    desk.reload()
    desk.get_by_role("button", name="保存して事例にする（下書きの事例を作る）").click()
    expect(desk.get_by_role("heading", name="事例名・手法・開始年度")).to_be_visible()
    expect(desk.get_by_label("事例名")).to_have_value(
        "いずみ野 花の会とみどり造園による花壇の取り組み"
    )
    expect(desk.get_by_label("開始年度")).to_have_value("2027")
    expect(desk.get_by_role("cell", name="いずみ野 花の会（新しく非掲載で登録）")).to_be_visible()
    expect(desk.get_by_role("cell", name="みどり造園", exact=True)).to_be_visible()
    assert_no_axe_violations(desk)
    desk.get_by_label("事例名").fill("いずみ野の公園花壇づくり")
    desk.get_by_role("group", name="事業の手法").get_by_label("共催").check()
    desk.get_by_role("button", name="下書きの事例を作る").click()

    expect(desk.get_by_text(re.compile("下書きで作りました"))).to_be_visible()
    case = Case.objects.get(title="いずみ野の公園花壇づくり")
    assert desk.url.endswith(f"/admin/cases/case/{case.pk}/change/")
    assert case.status == Case.Status.DRAFT and case.start_year == 2027
    lead = case.lead_organization
    assert (lead.name, lead.is_public) == ("いずみ野 花の会", False)
    assert [p.organization for p in case.partners.all()] == [known]
    assert [m.name for m in case.methods.all()] == ["共催"]
    seed.refresh_from_db()
    assert seed.case == case and seed.organization == lead
    expect(desk.get_by_label("開始年度")).to_have_value("2027")
    expect(desk.get_by_role("link", name="花壇の仲間を募集しています")).to_be_visible()
    # The clerk's first save of the draft goes through.
    desk.get_by_role("button", name="保存して編集を続ける").first.click()
    expect(desk.get_by_text(re.compile("を変更しました"))).to_be_visible()
    expect(desk.locator(".errornote")).to_have_count(0)


def test_rejecting_asks_a_reason_and_mails_it(desk, live_server, reference_data):
    seed = factories.seed(
        title="宣伝のような種", review="pending", approved_on=None, receipt_number="S-2026-000099"
    )
    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.goto(live_server.url + f"/admin/seeds/seed/{seed.pk}/change/")
    desk.get_by_role("link", name="却下する（理由を書いて知らせる）").click()
    desk.get_by_role("button", name="却下して理由を知らせる").click()
    error = desk.locator("#id_reason_error")
    expect(error).to_contain_text("却下の理由を入力してください")
    expect(desk.get_by_label("理由（投稿者にメールで伝わります）")).to_have_attribute(
        "aria-describedby", "id_reason_error"
    )
    assert_no_axe_violations(desk)
    seed.refresh_from_db()
    assert seed.review == Seed.Review.PENDING and not mail.outbox
    desk.get_by_role("link", name=re.compile("^理由（投稿者にメールで伝わります）：")).click()
    expect(desk.get_by_label("理由（投稿者にメールで伝わります）")).to_be_focused()
    desk.get_by_label("理由（投稿者にメールで伝わります）").fill("営利目的の宣伝と判断しました。")
    desk.get_by_role("button", name="却下して理由を知らせる").click()
    expect(desk.get_by_text(re.compile("1件の協働の種を却下しました"))).to_be_visible()
    seed.refresh_from_db()
    assert seed.review == Seed.Review.REJECTED
    (message,) = mail.outbox
    assert message.to == ["hanako@example.jp"] and "S-2026-000099" in message.subject
    assert "営利目的の宣伝と判断しました。" in message.body
    assert "宣伝のような種" not in message.subject + message.body
