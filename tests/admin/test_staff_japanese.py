"""Every staff screen a 管理者 opens reads in Japanese, the libraries' pages included."""

import datetime
import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case
from cases.resources import CaseResource
from inquiries import services as inquiry_services
from inquiries.models import Inquiry
from tests import factories
from tests.staff import assert_japanese, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client):
    client.force_login(factories.staff_user("管理者"))
    return client


@pytest.fixture
def case():
    partner = factories.organization("株式会社房総フーズ", kind="company")
    case = factories.case(
        title="フードバンクで食品ロスを減らす",
        partners=(partner,),
        verified_on=datetime.date(2019, 4, 1),
        summary="地域の企業と子ども食堂が、余った食品を集めて必要な家庭に届けました。" * 3,
    )
    # Two versions more, one with a long text changed (simple_history cut it "[67 chars]").
    case.summary = case.summary.replace("必要な家庭", "ひとり親の家庭")
    case.save()
    case.status = Case.Status.DRAFT
    case.save()
    return case


def _csv(case: Case, **changes) -> SimpleUploadedFile:
    """The case as the export writes it (Japanese headings), with some cells changed."""
    dataset = CaseResource().export(queryset=Case.objects.filter(pk=case.pk))
    for heading, value in changes.items():
        column = dataset.headers.index(heading)
        row = list(dataset[0])
        row[column] = value
        dataset[0] = row
    return SimpleUploadedFile("cases.csv", dataset.csv.encode("utf-8-sig"), "text/csv")


def _preview(clerk, file: SimpleUploadedFile):
    return clerk.post(
        "/admin/cases/case/import/", {"resource": "0", "format": "0", "import_file": file}
    )


def test_case_screens_are_japanese(clerk, case):
    for url in [
        "/admin/",
        "/admin/cases/",
        "/admin/cases/case/",
        "/admin/cases/case/?stale=yes&status__exact=published",
        f"/admin/cases/case/{case.pk}/change/",
        "/admin/cases/case/add/",
        f"/admin/cases/case/{case.pk}/revisions/",
        f"/admin/cases/case/{case.pk}/revisions/{case.revisions.last().pk}/revert/",
        "/admin/cases/revision/",
        "/admin/cases/case/import/",
        "/admin/cases/case/export/",
    ]:
        assert_japanese(clerk.get(url))


def test_guide_page_screens_are_japanese(clerk):
    from guide.models import GuidePage

    page = GuidePage.objects.get(path="/faq/")
    for url in [
        "/admin/guide/",
        "/admin/guide/guidepage/",
        f"/admin/guide/guidepage/{page.pk}/change/",
        "/admin/guide/guidepage/add/",
        f"/admin/guide/guidepage/{page.pk}/history/",
        f"/admin/guide/guidepage/{page.pk}/history/{page.history.earliest().history_id}/",
    ]:
        assert_japanese(clerk.get(url))


def test_history_shows_labels_who_and_whole_paragraphs(clerk, case):
    html = clerk.get(f"/admin/cases/case/{case.pk}/history/", follow=True).content.decode()
    text = visible_text(html)
    assert re.search(r"公開状態\s*変更前\s*公開\s*変更後\s*下書き", text)  # by its labels
    assert "ひとり親の" in text and "必要な" in text  # the old and the new paragraph
    for heading in ["項目", "変更の内容"]:
        assert f">{heading}</th>" in html
    assert "変更元：" in text and "反映済みの版" in text


def test_import_preview_errors_and_result_are_japanese(clerk, case):
    preview = _preview(clerk, _csv(case, 事例名="フードバンクで食品ロスを減らす（改訂）"))
    assert_japanese(preview)
    text = visible_text(preview.content.decode())
    assert "プレビュー" in text and "更新" in text and "インポートを確定" in text

    assert_japanese(_preview(clerk, _csv(case, 開始年度="二〇二〇年")))  # the row errors

    done = clerk.post(
        "/admin/cases/case/process_import/", preview.context["confirm_form"].initial, follow=True
    )
    assert_japanese(done)
    assert Case.objects.get(pk=case.pk).title.endswith("（改訂）")


def test_organization_screens_are_japanese(clerk):
    organization = factories.organization("NPO法人みどりの手", kana="ミドリノテ")
    organization.name = "NPO法人みどりの手ちば"
    organization.save()
    for url in [
        "/admin/partners/organization/",
        "/admin/partners/organization/add/",
        f"/admin/partners/organization/{organization.pk}/change/",
        f"/admin/partners/organization/{organization.pk}/history/",
        "/admin/partners/organization/import/",
        "/admin/partners/organization/export/",
    ]:
        assert_japanese(clerk.get(url))


def test_review_queues_are_japanese(clerk, case):
    case.status = Case.Status.PUBLISHED
    case.save()
    proposal = inquiry_services.submit_proposal(
        case=case,
        sender={
            "name": "太郎",
            "organization": "NPO法人みどり",
            "email": "t@example.jp",
            "relation": "lead",
        },  # fmt: skip
        changes={"summary": "新しい事業概要です。"},
        photos=[],
    )
    inquiry = Inquiry.objects.create(
        kind=Inquiry.Kind.QUESTION, name="花子", email="h@example.jp", message="質問です。"
    )
    for url in [
        "/admin/inquiries/updateproposal/",
        f"/admin/inquiries/updateproposal/{proposal.pk}/change/",
        "/admin/inquiries/inquiry/",
        f"/admin/inquiries/inquiry/{inquiry.pk}/change/",
    ]:
        assert_japanese(clerk.get(url))


def test_index_lists_the_projects_apps_first_and_hides_axes_from_clerks(clerk, admin_client):
    def apps(client) -> list[str]:
        return [app["name"] for app in client.get("/admin/").context["app_list"]]

    assert apps(clerk) == [
        "協働事例",
        "団体",
        "協働の種",
        "お問い合わせ・情報提供",
        "ガイドページ",
        "認証と認可",  # their staff accounts
    ]
    assert clerk.get("/admin/axes/accessattempt/").status_code == 403
    assert apps(admin_client) == [
        "協働事例",
        "団体",
        "協働の種",
        "お問い合わせ・情報提供",
        "ガイドページ",
        "認証と認可",
        "ログイン試行の記録",
    ]
    assert_japanese(admin_client.get("/admin/"))
    for url in ["/admin/axes/", "/admin/axes/accessattempt/", "/admin/axes/accesslog/"]:
        assert_japanese(admin_client.get(url))


def test_stale_count_on_the_index_is_the_number_of_cases_its_link_lists(clerk):
    old = datetime.date(2019, 1, 1)
    factories.case(title="古い公開事例A", verified_on=old)
    factories.case(title="古い公開事例B", verified_on=None)
    factories.case(title="新しい公開事例")
    factories.case(title="古い下書き", status=Case.Status.DRAFT, verified_on=old)
    factories.case(title="古いアーカイブ", status=Case.Status.ARCHIVED, verified_on=old)

    html = clerk.get("/admin/").content.decode()
    link = re.search(r'<a href="([^"]*stale=yes[^"]*)">情報確認が古い事例：(\d+)件</a>', html)
    assert link, html
    listed = clerk.get(unescape(link.group(1)))
    assert int(link.group(2)) == listed.context["cl"].result_count == 2
    titles = visible_text(listed.content.decode())
    assert "古い公開事例A" in titles and "古い下書き" not in titles


def test_stale_column_says_it_in_words(clerk):
    factories.case(title="古い事例", verified_on=datetime.date(2019, 1, 1))
    factories.case(title="新しい事例")
    html = clerk.get("/admin/cases/case/").content.decode()
    cells = re.findall(r'<td class="field-stale_flag">(.*?)</td>', html)
    assert sorted(cells) == ["—", "要確認"]
    assert "icon-yes" not in html and "icon-no" not in html


def test_users_page_for_a_superuser_is_japanese(admin_client):
    assert_japanese(admin_client.get(f"/admin/auth/user/{User.objects.get().pk}/change/"))


def test_a_refusal_is_a_japanese_staff_page(client):
    editor = User.objects.create_user("henshu", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="事例編集者"))
    client.force_login(editor)
    for url in ["/admin/inquiries/inquiry/", "/admin/cases/case/import/"]:
        response = client.get(url)
        assert "この操作を行う権限がありません" in response.text
        assert "コラボナビ 管理画面" in response.text
        assert_japanese(response, status=403)


def test_the_lockout_page_is_japanese(client, settings):
    User.objects.create_user("curator", password="correct-horse-battery", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/admin/login/", {"username": "curator", "password": "wrong"})
    assert "1時間ほど待ってから" in response.text and "PT1H" not in response.text
    assert "コラボナビ 管理画面" in response.text and "Django" not in visible_text(response.text)


def test_action_menus_ask_for_an_action_instead_of_dashes(clerk, case, admin_client):
    for client, url in [
        (clerk, "/admin/cases/case/"),
        (clerk, "/admin/partners/organization/"),
        (admin_client, "/admin/auth/user/"),
    ]:
        html = client.get(url).content.decode()
        assert '<option value="" selected>操作を選択してください</option>' in html, url
        assert "---------" not in html, url


def test_stock_phrases_have_no_spaces_around_model_names(clerk, case):
    text = visible_text(clerk.get("/admin/cases/case/").content.decode())
    assert "変更する協働事例を選択" in text
    organization = factories.organization("NPO法人みどりの手", kana="ミドリノテ")
    organization.records.create(year=2024, kind="award", title="清掃活動")
    form = clerk.get(f"/admin/partners/organization/{organization.pk}/change/")
    assert "削除しますか？" in visible_text(form.content.decode())


def test_format_choices_are_in_capitals(clerk):
    html = clerk.get("/admin/cases/case/import/").content.decode()
    assert re.findall(r'<option value="\d+">(\w+)</option>', html) == ["CSV", "XLSX", "JSON"]


def test_the_import_result_says_unchanged_as_the_preview_did(clerk, case):
    preview = _preview(clerk, _csv(case))
    assert "変更なし 1件" in visible_text(preview.content.decode())
    done = clerk.post(
        "/admin/cases/case/process_import/", preview.context["confirm_form"].initial, follow=True
    )
    text = visible_text(done.content.decode())
    assert "変更なし 1件）" in text and "スキップ 1件" not in text


def test_staff_are_named_by_family_then_given_name(clerk, case):
    from seeds.models import Consultation

    yamada = factories.staff_user("管理者", username="yamada")
    yamada.last_name, yamada.first_name = "山田", "花子"
    yamada.save()
    Inquiry.objects.create(
        kind=Inquiry.Kind.QUESTION,
        name="一郎",
        email="i@example.jp",
        message="質問",
        assignee=yamada,
    )
    text = visible_text(clerk.get("/admin/inquiries/inquiry/").content.decode())
    assert "山田 花子" in text and "yamada" not in text
    assert "担当者で絞り込む 全て 山田 花子 未設定" in text

    seed = factories.seed(title="海辺の清掃を一緒に")
    inquiry = Inquiry.objects.create(
        kind=Inquiry.Kind.CONSULTATION, name="鈴木", email="s@example.jp", message="相談です"
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(
        created_at=datetime.datetime(2026, 12, 7, 13, 57, tzinfo=datetime.UTC)
    )
    inquiry.refresh_from_db()
    consultation = Consultation.objects.create(seed=seed, inquiry=inquiry)
    assert (
        str(consultation) == "相談 2026年12月7日 22:57 鈴木さん（協働の種「海辺の清掃を一緒に」）"
    )
    page = visible_text(clerk.get(f"/admin/seeds/seed/{seed.pk}/change/").content.decode())
    assert "2026年12月7日 22:57の相談" in page and "+00:00" not in page


def test_consultation_filter_says_untaken_and_taken(clerk):
    text = visible_text(clerk.get("/admin/seeds/consultation/").content.decode())
    assert "受付で絞り込む" in text and "未対応" in text and "対応済み" in text
    assert "空でない" not in text


def test_organizations_listed_through_a_published_case_say_so(clerk):
    factories.case(title="公開事例", partners=(factories.organization("株式会社あさひ"),))
    factories.organization("NPO法人ひかり", is_public=True)
    factories.organization("任意団体ほし")
    html = clerk.get("/admin/partners/organization/").content.decode()
    cells = sorted(re.findall(r'<td class="field-listed">(.*?)</td>', html))
    assert "事例から掲載" in cells and "掲載する" in cells and "掲載しない" in cells
    through_cases = clerk.get("/admin/partners/organization/?listed=cases")
    names = {str(o) for o in through_cases.context["cl"].result_list}
    assert "株式会社あさひ" in names and not names & {"NPO法人ひかり", "任意団体ほし"}


def test_the_index_counts_drafts_waiting_to_be_published(clerk, case):
    factories.case(title="公開済み")
    assert "公開待ちの下書き：1件" in visible_text(clerk.get("/admin/").content.decode())


def test_user_screens_are_japanese_for_an_administrator(clerk):
    editor = factories.staff_user("事例編集者", username="henshu")
    for url in [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        f"/admin/auth/user/{editor.pk}/change/",
        "/admin/auth/user/?is_active__exact=1",
    ]:
        assert_japanese(clerk.get(url))


def test_permissions_are_named_in_japanese(admin_client):
    group = Group.objects.get(name="事例編集者")
    for url in ["/admin/auth/user/add/", f"/admin/auth/group/{group.pk}/change/"]:
        html = admin_client.get(url).content.decode()
        assert "Can add" not in html and "Can change" not in html, url
    html = admin_client.get(f"/admin/auth/group/{group.pk}/change/").content.decode()
    assert "協働事例を変更できる（協働事例）" in html


def test_an_error_row_names_the_case_it_is_about(clerk, case):
    preview = _preview(clerk, _csv(case, 開始年度="二〇二〇年"))
    cells = re.findall(r'<td class="import-object">(.*?)</td>', preview.content.decode())
    assert cells == [str(case)]


def test_the_admins_scripts_count_a_selection_in_the_admins_words(clerk):
    """The list's 「1件中 1件を選択」 comes from the admin's script catalogue (Django's own says
    「1個中1個選択」)."""
    script = clerk.get("/admin/jsi18n/").content.decode()

    def written(text: str) -> str:  # as the catalogue writes it, in JSON escapes
        return json.dumps(text)[1:-1]

    assert written("%(cnt)s件中 %(sel)s件を選択") in script
    assert written("個中") not in script and written("ノート") not in script
