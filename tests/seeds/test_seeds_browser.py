"""The board in Chromium: post a seed, a coordinator approves it, a visitor finds it with a
facet and sends a consultation, the coordinator takes it on; axe-clean at 390 and 1280 px."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from cases.models import Case
from inquiries.models import Inquiry
from seeds.models import Consultation, Seed
from tests import factories
from tests.browser import DESKTOP, PHONE, assert_no_axe_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def board(reference_data):
    factories.case(title="花壇ボランティアの事例", domains=("環境",), summary="公園の花壇")
    return [
        factories.seed(title="公園の花壇を一緒に育てたい", domains=("環境",), keywords="花壇"),
        factories.seed(
            title="造園会社が植栽を教えます",
            kind="offer",
            domains=("環境",),
            resources_wanted=["place"],
            resources_offered=["people", "expertise"],
        ),
        factories.seed(title="防災訓練に職員を派遣します", kind="menu", domains=("防災・防犯",)),
    ]


@pytest.fixture(params=[PHONE, DESKTOP], ids=["390px", "1280px"])
def visitor(browser, request):
    context = browser.new_context(locale="ja-JP", viewport=request.param)
    page = context.new_page()
    yield page
    context.close()


def _open_filters(page) -> None:
    """On a phone the filters are folded away until asked for."""
    summary = page.get_by_text("条件で絞り込む", exact=True)
    if page.viewport_size["width"] < 700 and summary.is_visible():
        details = page.locator("details.filters")
        if details.get_attribute("open") is None:
            summary.click()


def test_post_approve_and_find_with_a_facet(visitor, desk, live_server, board):
    page = visitor
    page.goto(live_server.url + "/seeds/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="協働の種を投稿する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("協働の種を投稿する")
    assert_no_axe_violations(page)
    page.get_by_label("団体の「提案・できること」").check()
    page.get_by_label("タイトル").fill("学校で読み聞かせをします")
    page.get_by_label("メールアドレス").fill("yomiko@")
    page.get_by_role("button", name="入力内容を確認する").click()
    expect(page.locator("#id_contact_email_error")).to_contain_text("形式が正しくありません")
    expect(page.locator("#domains-errors")).to_contain_text("活動分野を1つ以上選んでください。")
    expect(page.get_by_label("タイトル")).to_have_value("学校で読み聞かせをします")
    assert_no_axe_violations(page)  # the error state too
    # The error summary's link takes the visitor to the field.
    page.get_by_role("link", name=re.compile("^メールアドレスの形式が正しくありません")).click()
    expect(page.get_by_label("メールアドレス")).to_be_focused()
    page.get_by_label("団体名・担当課名").fill("ちば読書の会")
    page.get_by_label("ご担当者のお名前").fill("本田 読子")
    page.get_by_label("メールアドレス").fill("yomiko@example.jp")
    page.get_by_label("地域").select_option(label="千葉市")
    page.get_by_label("課題（どんなことに困っているか）").fill("読み聞かせの担い手が減っています。")
    page.get_by_role("textbox", name="やりたいこと").fill("学校や図書館で読み聞かせをします。")
    page.get_by_role("group", name="活動分野").get_by_label("教育・文化").check()
    page.get_by_role("group", name="求めているもの").get_by_label("場所").check()
    page.get_by_role("group", name="提供できるもの").get_by_label("人材").check()
    page.get_by_label(re.compile("プライバシーポリシー.*同意する")).check()
    page.get_by_role("button", name="入力内容を確認する").click()
    expect(page.locator('[aria-current="step"]')).to_contain_text("確認")
    expect(page.get_by_role("cell", name="学校で読み聞かせをします")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="この内容で投稿する").click()
    expect(page.get_by_role("heading", name="投稿を受け付けました")).to_be_visible()
    assert_no_axe_violations(page)
    seed = Seed.objects.get(title="学校で読み聞かせをします")
    assert seed.review == Seed.Review.PENDING
    assert any("審査待ち" in m.subject for m in mail.outbox)
    page.goto(live_server.url + "/seeds/")
    expect(page.get_by_role("link", name="学校で読み聞かせをします")).to_have_count(0)

    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.get_by_role("link", name="審査待ちの協働の種：1件").click()
    desk.get_by_role("link", name="学校で読み聞かせをします").click()
    # The empty 投稿団体 and 生まれた事例 autocompletes are named once the admin built them.
    expect(desk.get_by_role("combobox", name="生まれた事例")).to_be_visible()
    expect(desk.get_by_role("combobox", name="投稿団体")).to_be_visible()
    assert_no_axe_violations(desk)
    desk.get_by_role("button", name="保存して承認・公開する").click()
    expect(desk.get_by_text("「学校で読み聞かせをします」を承認し、公開しました。")).to_be_visible()
    seed.refresh_from_db()
    assert seed.review == Seed.Review.APPROVED

    page.goto(live_server.url + "/seeds/")
    _open_filters(page)
    kinds = page.get_by_role("group", name="種類")
    kinds.get_by_label(re.compile("団体の「提案・できること」")).check()
    page.get_by_role("group", name="活動分野").get_by_label("教育・文化（1件）").check()
    page.get_by_role("button", name="この条件で絞り込む").click()
    expect(page.get_by_role("heading", name="1件中 1–1件")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^活動分野：教育・文化"))).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="学校で読み聞かせをします").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("学校で読み聞かせをします")
    assert_no_axe_violations(page)
    expect(page.get_by_text("yomiko@example.jp")).to_have_count(0)


def test_send_a_consultation_and_the_coordinator_takes_it_on(
    visitor, desk, live_server, board, tmp_path
):
    page = visitor
    seed = board[0]
    page.goto(live_server.url + seed.get_absolute_url())
    expect(page.get_by_role("heading", name="同じテーマの協働事例")).to_be_visible()
    expect(page.get_by_role("heading", name="組み合わせられそうな協働の種")).to_be_visible()
    expect(page.get_by_role("link", name="造園会社が植栽を教えます")).to_be_visible()
    assert_no_axe_violations(page)
    page.screenshot(
        path=tmp_path / f"seed-detail-{page.viewport_size['width']}.png", full_page=True
    )
    page.get_by_role("link", name="この種について相談する").click()
    assert_no_axe_violations(page)
    page.get_by_label("お名前").fill("相談 太郎")
    page.get_by_label("メールアドレス").fill("taro@example.jp")
    page.get_by_label("ご相談の内容").fill("花壇の講師を出せます。")
    page.get_by_label(re.compile("プライバシーポリシー.*同意する")).check()
    page.get_by_role("button", name="入力内容を確認する").click()
    expect(page.get_by_role("cell", name="花壇の講師を出せます。")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="この内容で送信する").click()
    expect(page.get_by_role("heading", name="送信しました")).to_be_visible()
    assert_no_axe_violations(page)
    consultation = Consultation.objects.get()
    assert consultation.seed == seed
    assert consultation.inquiry.kind == Inquiry.Kind.CONSULTATION
    assert [m.to for m in mail.outbox] == [["collanavi@example.jp"], ["taro@example.jp"]]
    assert not any("hanako@example.jp" in m.body for m in mail.outbox)

    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.get_by_role("link", name="未対応の種への相談：1件").click()
    assert_no_axe_violations(desk)
    desk.get_by_role("checkbox", name=re.compile("選択")).last.check()
    desk.get_by_role("combobox", name="操作：").select_option(
        label="選択した相談を受け付ける（募集中の種は相談中に）"
    )
    desk.get_by_role("button", name="実行").click()
    expect(
        desk.get_by_text(re.compile("1件の相談を受け付けました（相談中にした種：1件）"))
    ).to_be_visible()
    seed.refresh_from_db()
    assert seed.status == Seed.Status.CONSULTING

    page.goto(live_server.url + seed.get_absolute_url())
    expect(page.locator('.timeline [aria-current="step"]')).to_contain_text("相談中")


def test_make_a_case_from_a_seed_by_clicking(desk, live_server, board):
    organization = factories.organization("いずみ野花の会")
    seed = board[0]
    seed.organization = organization
    seed.save()
    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.goto(live_server.url + f"/admin/seeds/seed/{seed.pk}/change/")
    desk.get_by_role("button", name="保存して事例にする（下書きの事例を作る）").click()
    desk.get_by_label("事例名").fill("いずみ野の花壇づくり")
    desk.get_by_role("group", name="事業の手法").get_by_label("共催").check()
    desk.get_by_role("button", name="下書きの事例を作る").click()
    expect(desk.get_by_text(re.compile("下書きで作りました"))).to_be_visible()
    case = Case.objects.get(title="いずみ野の花壇づくり")
    assert case.status == Case.Status.DRAFT
    expect(desk.get_by_role("link", name=seed.title)).to_be_visible()  # 元になった協働の種
    assert_no_axe_violations(desk)
    seed.refresh_from_db()
    assert seed.case == case


def test_seeds_on_the_top_case_and_organization_pages(visitor, live_server, board):
    page = visitor
    organization = factories.organization("いずみ野花の会", is_public=True)
    seed = board[1]
    seed.organization, seed.poster_name = organization, ""
    seed.save()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="協働相手を募集中の「協働の種」")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="造園会社が植栽を教えます").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("造園会社が植栽を教えます")
    page.get_by_role("link", name="いずみ野花の会").first.click()
    expect(page.get_by_role("heading", name=re.compile("協働相手を探している"))).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(live_server.url + Case.objects.get(title="花壇ボランティアの事例").get_absolute_url())
    expect(page.get_by_role("heading", name="同じテーマで協働相手を探しています")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="公園の花壇を一緒に育てたい").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("公園の花壇を一緒に育てたい")


def test_a_departments_seeds_one_click_from_a_seed(visitor, live_server, board):
    department = "千葉市 都市局 公園管理課"
    seed = factories.seed(title="公園の案内板を一緒につくりたい", poster_name=department)
    factories.seed(title="公園の清掃メニュー", kind="menu", poster_name=department)
    visitor.goto(live_server.url + f"/seeds/{seed.pk}/")
    visitor.get_by_role("link", name="この担当課・団体の協働の種をすべて見る").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(f"{department}の協働の種")
    seeking = visitor.get_by_role("region", name=re.compile("協働相手を探している種"))
    expect(seeking.get_by_role("link", name="公園の清掃メニュー")).to_be_visible()
    expect(visitor.get_by_role("link", name="公園の花壇を一緒に育てたい")).to_have_count(0)
    assert_no_axe_violations(visitor)


def test_an_organizations_seeds_one_click_from_a_seed(visitor, live_server, board):
    organization = factories.organization("いずみ野花の会", is_public=True)
    seed = factories.seed(title="花の苗を分けます", organization=organization, poster_name="")
    visitor.goto(live_server.url + f"/seeds/{seed.pk}/")
    visitor.get_by_role("link", name="この団体の協働の種を見る").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("いずみ野花の会")
    seeds = visitor.get_by_role("heading", name=re.compile("協働相手を探している"))
    expect(seeds).to_be_visible()
    expect(visitor.get_by_role("link", name="花の苗を分けます")).to_be_visible()
