"""An NPO proposes an update and a clerk reviews it, each by clicking in Chromium at 1280 px."""

import io
import re

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from inquiries import services
from inquiries.models import UpdateProposal
from tests import factories
from tests.browser import assert_no_axe_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), (40, 140, 90)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def case(reference_data):
    company = factories.organization("株式会社房総フーズ", kind="company", kana="ボウソウフーズ")
    return factories.case(
        title="フードバンクで食品ロスを減らす",
        summary="市内の企業と食品を集めて配っています。",
        tips="最初に役割を書き出しました。",
        budget=800_000,
        partners=(company,),
        schedule=(("4月", "協定の締結"),),
    )


def _pending(case, **proposed) -> UpdateProposal:
    photo = {"data": _jpeg(), "name": "p.jpg", "alt": "倉庫で食品を仕分ける人", "caption": ""}
    return services.submit_proposal(
        case=case,
        sender={
            "name": "房総 太郎",
            "organization": "NPO法人フードバンクちば",
            "email": "taro@example.jp",
            "relation": "lead",
        },
        changes=proposed,
        photos=[photo],
    )


def test_clerk_takes_some_fields_corrects_one_and_the_public_page_shows_just_those(
    desk, live_server, case, tmp_path
):
    _pending(
        case,
        summary="市内の企業12社と食品を集めて配っていまス。",
        tips="コツは書き直さないでほしい案です。",
        budget=1_200_000,
    )
    mail.outbox.clear()
    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.get_by_role("link", name="審査待ちの更新提案：1件").click()
    desk.get_by_role("link", name=re.compile("フードバンクで食品ロスを減らす")).click()
    expect(desk.get_by_role("heading", name="変更内容と反映する項目")).to_be_visible()
    assert_no_axe_violations(desk)
    desk.screenshot(path=tmp_path / "review-proposal.png", full_page=True)

    desk.get_by_label("反映する：コラボのコツ").uncheck()
    desk.get_by_label("反映する文章（修正できます）：事業概要").fill(
        "市内の企業12社と食品を集めて配っています。"
    )
    desk.get_by_label("説明（代替テキスト）").fill("倉庫で食品を仕分けるボランティア")
    desk.get_by_role("button", name="承認して反映する").click()
    expect(desk.get_by_text(re.compile("提案を承認し.*2項目、写真1枚"))).to_be_visible()
    expect(desk.get_by_role("cell", name="反映しなかった")).to_have_count(1)
    desk.get_by_role("link", name="一覧に戻る").click()
    expect(desk.get_by_role("row", name=re.compile("フードバンク.*承認済み"))).to_be_visible()

    proposal = UpdateProposal.objects.get()
    assert proposal.status == UpdateProposal.Status.APPROVED
    assert set(proposal.taken) == {"summary", "budget"}
    body = mail.outbox[-1].body
    assert mail.outbox[-1].to == ["taro@example.jp"]
    assert "・事業概要" in body and "・事業費（円）" in body and "見送りました" in body
    assert body.index("コラボのコツ") > body.index("見送りました")

    desk.goto(live_server.url + case.get_absolute_url())
    expect(desk.get_by_text("市内の企業12社と食品を集めて配っています。")).to_be_visible()
    expect(desk.get_by_text("最初に役割を書き出しました。")).to_be_visible()
    expect(desk.get_by_text("コツは書き直さないでほしい案です。")).to_have_count(0)
    expect(desk.get_by_text(re.compile("1,200,000円|120万円"))).to_be_visible()
    expect(desk.get_by_role("img", name="倉庫で食品を仕分けるボランティア")).to_be_visible()

    assert "更新提案" in case.revisions.first().source


def test_clerk_rejects_with_a_reason_and_an_empty_reason_is_refused(desk, live_server, case):
    proposal = _pending(case, summary="全部書き換えた概要")
    log_in(desk, live_server.url, factories.staff_user("管理者"))
    desk.goto(live_server.url + f"/admin/inquiries/updateproposal/{proposal.pk}/change/")
    desk.get_by_role("button", name="却下する").click()
    expect(
        desk.get_by_text("却下の理由を入力してください（提案者に伝わります）。")
    ).to_be_in_viewport()
    expect(desk.get_by_role("alert")).to_contain_text("入力内容を確認してください")
    assert_no_axe_violations(desk)
    desk.get_by_label("却下の理由（提案者にメールで伝わります）").fill(
        "事業の内容を確認できませんでした。"
    )
    mail.outbox.clear()
    desk.get_by_role("button", name="却下する").click()
    expect(desk.get_by_text("提案を却下しました。")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == UpdateProposal.Status.REJECTED
    assert "事業の内容を確認できませんでした。" in mail.outbox[-1].body
    case.refresh_from_db()
    assert case.summary == "市内の企業と食品を集めて配っています。"


def test_an_editor_sees_the_proposal_but_cannot_decide_and_its_photo_is_not_public(
    desk, live_server, case
):
    proposal = _pending(case, summary="編集者には決められない概要")
    photo = proposal.photos.get()
    log_in(desk, live_server.url, factories.staff_user("事例編集者"))
    desk.goto(live_server.url + f"/admin/inquiries/updateproposal/{proposal.pk}/change/")
    expect(desk.get_by_text("この提案を審査する権限がありません。")).to_be_visible()
    expect(desk.get_by_role("button", name="承認して反映する")).to_have_count(0)
    expect(desk.get_by_role("img", name="倉庫で食品を仕分ける人")).to_be_visible()
    staff_photo = desk.request.get(
        live_server.url + f"/admin/inquiries/updateproposal/{proposal.pk}/photos/{photo.pk}/"
    )
    assert staff_photo.status == 200 and staff_photo.body()[:2] == b"\xff\xd8"
    public = desk.request.get(live_server.url + "/media/" + photo.image.name)
    assert public.status == 404
    desk.goto(live_server.url + "/admin/inquiries/inquiry/")  # personal data: not theirs
    expect(desk.get_by_role("heading", name="この操作を行う権限がありません")).to_be_visible()
    desk.get_by_role("link", name="管理画面のホームへ").click()
    expect(desk.get_by_role("link", name="審査待ちの更新提案：1件")).to_be_visible()
    desk.context.clear_cookies()
    anonymous = desk.request.get(
        live_server.url + f"/admin/inquiries/updateproposal/{proposal.pk}/photos/{photo.pk}/",
        max_redirects=0,
    )
    assert anonymous.status == 302 and "/admin/login/" in anonymous.headers["location"]


def _fill_sender(page) -> None:
    page.get_by_label("お名前").fill("房総 太郎")
    page.get_by_label("団体名", exact=True).fill("NPO法人フードバンクちば")
    page.get_by_label("メールアドレス").fill("taro@example.jp")
    page.get_by_label("事例との関係").select_option("lead")


def _consent_and_send(page) -> None:
    page.get_by_label(re.compile("プライバシーポリシー.*同意する")).check()
    page.get_by_role("button", name="更新を提案する").click()
    expect(page.get_by_role("heading", name="更新の提案を受け付けました")).to_be_visible()


def test_npo_proposes_budget_schedule_roles_profile_records_and_a_photo(
    page, live_server, case, tmp_path
):
    page.goto(live_server.url + case.get_absolute_url())
    page.get_by_role("link", name=re.compile("掲載情報の更新を提案する")).click()
    _fill_sender(page)
    page.get_by_label("事業費（円）").fill("１，２００，０００")
    page.get_by_label("年間スケジュール2行目の時期").fill("通年")
    page.get_by_label("年間スケジュール2行目の内容").fill("食品の回収と配布")
    page.get_by_label("株式会社房総フーズの役割").fill("食品の提供と倉庫の貸し出し")
    page.get_by_label("運営団体の目的・ミッション").fill("食べ物を必要な人に届ける")
    page.get_by_label("活動実績1行目の年度").fill("2024")
    page.get_by_label("活動実績1行目の種別").select_option(label="表彰")
    page.get_by_label("活動実績1行目の内容").fill("ちば協働事業表彰")
    photo = tmp_path / "warehouse.jpg"
    photo.write_bytes(_jpeg())
    page.get_by_label("写真1", exact=True).set_input_files(str(photo))
    page.get_by_label("写真1の説明（代替テキスト）").fill("倉庫の棚に並んだ食品")
    _consent_and_send(page)

    proposal = UpdateProposal.objects.get()
    partner = case.partners.get().organization_id
    assert proposal.proposed == {
        "budget": 1_200_000,
        "schedule": [["4月", "協定の締結"], ["通年", "食品の回収と配布"]],
        f"partner:{partner}": "食品の提供と倉庫の貸し出し",
        "organization:mission": "食べ物を必要な人に届ける",
        "records": [[2024, "award", "ちば協働事業表彰"]],
    }
    assert proposal.photos.get().alt_text == "倉庫の棚に並んだ食品"
    page.goto(live_server.url + case.get_absolute_url())
    expect(page.get_by_text("食品の回収と配布")).to_have_count(0)  # nothing public yet


def test_a_photo_only_proposal_is_accepted(page, live_server, case, tmp_path):
    page.goto(live_server.url + f"/cases/{case.number}/update/")
    _fill_sender(page)
    photo = tmp_path / "only.jpg"
    photo.write_bytes(_jpeg())
    page.get_by_label("写真1", exact=True).set_input_files(str(photo))
    page.get_by_label("写真1の説明（代替テキスト）").fill("配布会の受付")
    _consent_and_send(page)
    proposal = UpdateProposal.objects.get()
    assert proposal.proposed == {} and proposal.photos.count() == 1


def test_the_proposal_form_fits_a_phone_and_its_tables_stack(browser, live_server, case, tmp_path):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + f"/cases/{case.number}/update/")
    page.get_by_label("活動実績1行目の年度").fill("令和5")
    page.get_by_label("活動実績1行目の内容").fill("表彰")
    page.get_by_role("button", name="更新を提案する").click()
    expect(page.get_by_label("活動実績1行目の年度")).to_have_accessible_description(
        re.compile("1行目の年度は西暦4桁で入力してください")
    )
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    kind = page.get_by_label("活動実績1行目の種別").bounding_box()
    assert kind["width"] > 250  # a full-width select, not 「選んで」
    assert_no_axe_violations(page)
    page.screenshot(path=tmp_path / "proposal-phone.png", full_page=True)
    context.close()
