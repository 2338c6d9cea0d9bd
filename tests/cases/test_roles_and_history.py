import datetime

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cases import services
from cases.models import Case
from partners.models import Organization
from tests import factories
from tests.staff import admin_form_data, visible_text

pytestmark = pytest.mark.django_db


def test_editors_create_and_edit_but_cannot_publish_or_delete(client):
    factories.staff_login(client, "事例編集者")
    draft = factories.case(title="準備中", status=Case.Status.DRAFT, published_on=None)
    published = factories.case(title="公開中")
    listing = client.get("/admin/cases/case/")
    actions = dict(listing.context["action_form"].fields["action"].choices)
    assert "publish" not in actions and "archive" not in actions
    assert "mark_verified" in actions and "delete_selected" not in actions
    response = client.post(
        "/admin/cases/case/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Case.Status.DRAFT
    page = client.get(f"/admin/cases/case/{draft.pk}/change/")
    assert "status" not in page.context["adminform"].form.fields  # shown, not editable
    data = admin_form_data(page)
    data.update(title="準備中（編集済み）", status="published")
    response = client.post(f"/admin/cases/case/{draft.pk}/change/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "準備中（編集済み）" and draft.status == Case.Status.DRAFT
    refused = client.get(f"/admin/cases/case/{draft.pk}/delete/")
    assert refused.status_code == 403 and "この操作を行う権限がありません" in refused.text
    assert (
        client.post(f"/admin/cases/case/{published.pk}/delete/", {"post": "yes"}).status_code == 302
    )
    assert Case.objects.filter(pk=published.pk).exists()
    assert client.get("/admin/cases/case/add/").status_code == 200


def test_administrators_publish_and_archive_but_never_delete_a_published_case(client):
    factories.staff_login(client, "管理者")
    partner = factories.organization("協働パートナーの会")
    draft = factories.case(status=Case.Status.DRAFT, published_on=None, partners=(partner,))
    published = factories.case()
    confirmed = {"confirmed": "yes"}  # the confirmation page's button
    client.post(
        "/admin/cases/case/", {"action": "publish", "_selected_action": [draft.pk], **confirmed}
    )
    draft.refresh_from_db()
    assert draft.status == Case.Status.PUBLISHED
    response = client.post(
        f"/admin/cases/case/{published.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert "公開中の事例は削除できません。先にアーカイブ" in response.text
    assert Case.objects.filter(pk=published.pk).exists()
    client.post(
        "/admin/cases/case/", {"action": "archive", "_selected_action": [published.pk], **confirmed}
    )
    published.refresh_from_db()
    assert published.status == Case.Status.ARCHIVED
    assert client.get(f"/admin/cases/case/{published.pk}/delete/").status_code == 200


def test_history_records_who_changed_what_and_reverts(client):
    user = factories.staff_login(client, "管理者")
    case = factories.case(title="最初の題名", summary="最初の概要", schedule=(("4月", "準備"),))
    first = case.revisions.get()
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    data = admin_form_data(page)
    data.update(title="変更後の題名", summary="変更後の概要")
    data["schedule-0-activity"] = "準備と打ち合わせ"
    saved = client.post(f"/admin/cases/case/{case.pk}/change/", data)
    assert saved.status_code == 302, saved.context["errors"]
    latest = case.revisions.first()
    assert latest.author == user and latest.source == f"職員：{user.username}"
    page = client.get(f"/admin/cases/case/{case.pk}/history/", follow=True)
    history = visible_text(page.content.decode())  # phrases marked one by one
    assert "変更前 最初の 題名 変更後 変更後の 題名" in history
    assert "削除 4月 準備" in history and "追加 4月 準備と打ち合わせ" in history
    revert = client.get(f"/admin/cases/case/{case.pk}/revisions/{first.pk}/revert/")
    assert "変更後 最初の 題名" in visible_text(revert.content.decode())  # asked first
    response = client.post(f"/admin/cases/case/{case.pk}/revisions/{first.pk}/revert/")
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.summary) == ("最初の題名", "最初の概要")
    assert list(case.schedule.values_list("activity", flat=True)) == ["準備"]
    assert "最初の概要" in case.search_text
    assert case.revisions.first().source == f"版{first.pk}に戻しました"


def test_photo_and_partner_changes_are_recorded(admin_user):
    partner = factories.organization("株式会社A", kind="company")
    case = factories.case(partners=(partner,), photos=1)
    role = case.partners.get()
    role.role = "新しい役割"
    role.save()
    assert case.revisions.first().data["partners"][0]["role"] == "新しい役割"
    assert case.revisions.first().data["photos"]
    partner.name = "株式会社A（新）"
    partner.save()
    assert partner.history.count() == 2


def test_admin_index_counts_stale_cases(admin_client):
    factories.case(verified_on=datetime.date(2019, 1, 1))
    factories.case(verified_on=datetime.date(2019, 1, 1), status=Case.Status.ARCHIVED)
    factories.case()
    assert "情報確認が古い事例：1件" in admin_client.get("/admin/").content.decode()


def test_stale_age_is_configurable(admin_client, settings):
    factories.case(
        title="半年前に確認", verified_on=datetime.date.today() - datetime.timedelta(days=200)
    )
    assert "半年前に確認" not in admin_client.get("/admin/cases/case/?stale=yes").content.decode()
    settings.STALE_AFTER_DAYS = 180
    assert "半年前に確認" in admin_client.get("/admin/cases/case/?stale=yes").content.decode()


def _published_then_archived(**fields) -> tuple[Case, int]:
    """A case first published as 「公開時の題名」, then retitled and archived by a 管理者."""
    case = factories.case(title="公開時の題名", published_on=datetime.date(2024, 4, 1), **fields)
    published_version = case.revisions.get().pk
    case.title = "アーカイブ時の題名"
    case.save()
    services.archive_cases(Case.objects.filter(pk=case.pk))
    return case, published_version


def _revert(client, case: Case, version: int):
    return client.post(f"/admin/cases/case/{case.pk}/revisions/{version}/revert/")


def test_an_editors_revert_keeps_the_status_and_publication_date(client):
    factories.staff_login(client, "事例編集者")
    case, published_version = _published_then_archived()
    assert _revert(client, case, published_version).status_code == 302
    case.refresh_from_db()
    assert case.title == "公開時の題名"  # the text is reverted
    assert case.status == Case.Status.ARCHIVED  # not published again
    assert Client().get(case.get_absolute_url()).status_code in (404, 410)  # a visitor's view


def test_the_revert_page_says_what_it_does_not_change(client):
    factories.staff_login(client, "事例編集者")
    case, published_version = _published_then_archived()
    page = client.get(f"/admin/cases/case/{case.pk}/revisions/{published_version}/revert/")
    text = visible_text(page.content.decode())
    assert "公開状態（公開・下書き・アーカイブ）は変わりません" in text
    assert "変更前 アーカイブ時の 題名 変更後 公開時の 題名" in text
    assert "公開状態" not in text.split("戻すと次のように変わります")[1]


def test_deleting_a_draft_lists_what_goes_without_internal_rows(client):
    factories.staff_login(client, "管理者")
    draft = factories.case(status=Case.Status.DRAFT, published_on=None, photos=1)
    page = client.get(f"/admin/cases/case/{draft.pk}/delete/").text
    assert "写真" in page
    assert "Case_domains object" not in page and "Case_methods object" not in page


def test_an_editors_revert_of_a_draft_never_sets_a_publication_date(client):
    factories.staff_login(client, "事例編集者")
    case = factories.case(status=Case.Status.DRAFT, published_on=datetime.date(2020, 1, 1))
    version = case.revisions.get().pk
    Case.objects.filter(pk=case.pk).update(published_on=None, title="書き換えた題名")
    _revert(client, case, version)
    case.refresh_from_db()
    assert (case.status, case.published_on) == (Case.Status.DRAFT, None)
    assert case.title == "テストの協働事例"


def test_an_administrators_revert_restores_the_text_and_leaves_publishing_to_the_action(client):
    factories.staff_login(client, "管理者")
    case, published_version = _published_then_archived()
    assert _revert(client, case, published_version).status_code == 302
    case.refresh_from_db()
    assert (case.title, case.status) == ("公開時の題名", Case.Status.ARCHIVED)
    assert case.published_on == datetime.date(2024, 4, 1)


def test_editors_cannot_publish_or_archive_by_action(client):
    factories.staff_login(client, "事例編集者")
    draft = factories.case(status=Case.Status.DRAFT, published_on=None)
    published = factories.case()
    for action, case in (("publish", draft), ("archive", published)):
        client.post("/admin/cases/case/", {"action": action, "_selected_action": [case.pk]})
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == (Case.Status.DRAFT, Case.Status.PUBLISHED)


def test_an_editor_adding_a_case_cannot_publish_it(client):
    factories.staff_login(client, "事例編集者")
    page = client.get("/admin/cases/case/add/")
    assert "status" not in page.context["adminform"].form.fields
    assert "published_on" not in page.context["adminform"].form.fields


def _importer_without_publish_right(client) -> User:
    """A clerk given import rights but not the publish right (no standard group is like that)."""
    user = factories.staff_login(client, "事例編集者")
    user.user_permissions.add(Permission.objects.get(codename="import_case"))
    return user


def test_an_import_without_the_publish_right_leaves_status_alone(client):
    _importer_without_publish_right(client)
    lead = factories.organization("NPO法人みどりの手", kana="ミドリノテ")
    archived = factories.case(number=980, status=Case.Status.ARCHIVED, lead=lead)
    header = "事例No.,事例名,公開状態,地域,開始年度,活動分野,事業の手法,事業概要,運営団体,公開日"
    rows = [
        "980,題名を直した,公開,千葉市,2020,まちづくり,委託,概要,NPO法人みどりの手,2026-01-01",
        "981,新しい事例,公開,千葉市,2020,まちづくり,委託,概要,NPO法人みどりの手,2026-01-01",
    ]
    file = SimpleUploadedFile("c.csv", "\r\n".join([header, *rows]).encode(), "text/csv")
    preview = client.post(
        "/admin/cases/case/import/", {"resource": "0", "format": "0", "import_file": file}
    )
    assert "新しい事例は下書きとして登録されます" in preview.content.decode()
    client.post("/admin/cases/case/process_import/", preview.context["confirm_form"].initial)
    archived.refresh_from_db()
    assert archived.title == "題名を直した" and archived.status == Case.Status.ARCHIVED
    new = Case.objects.get(number=981)
    assert (new.status, new.published_on) == (Case.Status.DRAFT, None)


def test_an_administrators_import_sets_the_status(client):
    factories.staff_login(client, "管理者")
    lead = factories.organization("NPO法人みどりの手", kana="ミドリノテ")
    partner = factories.organization("株式会社房総フーズ", kind="company")
    factories.case(
        number=982, status=Case.Status.DRAFT, published_on=None, lead=lead, partners=(partner,)
    )
    factories.case(number=983, status=Case.Status.DRAFT, published_on=None, lead=lead)
    header = "事例No.,事例名,公開状態,地域,開始年度,活動分野,事業の手法,事業概要,運営団体,公開日"

    def preview_of(row: str):
        file = SimpleUploadedFile("c.csv", f"{header}\r\n{row}".encode(), "text/csv")
        return client.post(
            "/admin/cases/case/import/", {"resource": "0", "format": "0", "import_file": file}
        )

    # publishing by import checks what the form checks: no partner, no 手法 → refused
    tail = "千葉市,2020,まちづくり"
    refused = preview_of(f"983,題名,公開,{tail},,概要,NPO法人みどりの手,2026-01-01")
    text = visible_text(refused.content.decode())
    assert "公開するには事業の手法、協働パートナー（1団体以上）が必要です" in text
    preview = preview_of(
        "982,題名,公開,千葉市,2020,まちづくり,委託,概要,NPO法人みどりの手,2026-01-01"
    )
    assert "下書きとして登録されます" not in preview.content.decode()
    client.post("/admin/cases/case/process_import/", preview.context["confirm_form"].initial)
    assert Case.objects.get(number=982).status == Case.Status.PUBLISHED
    assert Case.objects.get(number=983).status == Case.Status.DRAFT


def test_only_administrators_may_list_organizations(client):
    assert "publish_organization" in Group.objects.get(name="管理者").permissions.values_list(
        "codename", flat=True
    )
    assert "publish_organization" not in Group.objects.get(
        name="事例編集者"
    ).permissions.values_list("codename", flat=True)
    factories.staff_login(client, "事例編集者")
    organization = factories.organization("NPO法人そよかぜ", is_public=False)
    url = f"/admin/partners/organization/{organization.pk}/change/"
    page = client.get(url)
    assert "is_public" not in page.context["adminform"].form.fields  # shown, not editable
    data = {**admin_form_data(page), "is_public": "on", "mission": "見守り"}
    assert client.post(url, data).status_code == 302
    organization.refresh_from_db()
    assert organization.mission == "見守り" and organization.is_public is False


def test_an_editors_organization_revert_keeps_is_public(client):
    factories.staff_login(client, "事例編集者")
    organization = factories.organization("NPO法人そよかぜ", is_public=True, mission="最初")
    listed_version = organization.history.latest().history_id
    Organization.objects.filter(pk=organization.pk).update(is_public=False)
    organization.refresh_from_db()
    organization.mission = "後から"
    organization.save()
    url = f"/admin/partners/organization/{organization.pk}/history/{listed_version}/"
    assert client.post(url, admin_form_data(client.get(url))).status_code == 302
    organization.refresh_from_db()
    assert organization.mission == "最初" and organization.is_public is False


def test_an_administrators_organization_revert_restores_is_public(client):
    factories.staff_login(client, "管理者")
    organization = factories.organization("NPO法人そよかぜ", is_public=True)
    listed_version = organization.history.latest().history_id
    organization.is_public = False
    organization.save()
    url = f"/admin/partners/organization/{organization.pk}/history/{listed_version}/"
    assert client.post(url, admin_form_data(client.get(url))).status_code == 302
    organization.refresh_from_db()
    assert organization.is_public is True


def test_an_organization_import_without_the_right_leaves_is_public_alone(client):
    user = factories.staff_login(client, "事例編集者")
    user.user_permissions.add(Permission.objects.get(codename="import_organization"))
    listed = factories.organization("NPO法人そよかぜ", kana="ソヨカゼ", is_public=True)
    csv_text = "団体名,団体名（カナ）,種別,地域,一覧に掲載する\r\n" + (
        "NPO法人そよかぜ,ソヨカゼ,NPO法人,千葉市,いいえ\r\nNPO法人あおぞら,アオゾラ,NPO法人,千葉市,はい\r\n"
    )
    file = SimpleUploadedFile("o.csv", csv_text.encode("cp932"), "text/csv")
    preview = client.post(
        "/admin/partners/organization/import/",
        {"resource": "0", "format": "0", "import_file": file},
    )
    assert "新しい団体は一覧に掲載しない状態で登録されます" in preview.content.decode()
    client.post(
        "/admin/partners/organization/process_import/", preview.context["confirm_form"].initial
    )
    listed.refresh_from_db()
    assert listed.is_public is True
    assert Organization.objects.get(name="NPO法人あおぞら").is_public is False
    record = Organization.objects.get(name="NPO法人あおぞら").history.get()
    assert record.history_user == user and record.history_change_reason == "インポート"


def test_an_organization_an_editor_adds_is_not_listed_until_a_manager_saves_it(client):
    factories.staff_login(client, "事例編集者")
    form = admin_form_data(client.get("/admin/partners/organization/add/"))
    form.update(name="NPO法人はじめての会", kana="ハジメテノカイ", kind="npo")
    added = client.post("/admin/partners/organization/add/", form)
    assert added.status_code == 302, added.context["errors"]
    added = Organization.objects.get(name="NPO法人はじめての会")
    case = factories.case("公開中の事例", partners=(added,))
    visitor = Client()
    assert "NPO法人はじめての会" not in visitor.get("/organizations/").content.decode()
    assert visitor.get(added.get_absolute_url()).status_code == 404
    page = visitor.get(case.get_absolute_url()).content.decode()
    assert "NPO法人はじめての会" in page and added.get_absolute_url() not in page  # no dead link

    manager = factories.staff_user("管理者", "manager")
    client.force_login(manager)
    url = f"/admin/partners/organization/{added.pk}/change/"
    assert client.post(url, admin_form_data(client.get(url))).status_code == 302
    assert "NPO法人はじめての会" in visitor.get("/organizations/").content.decode()
    assert visitor.get(added.get_absolute_url()).status_code == 200
