"""Revisions of the whole case (cases/revisions.py): recorded on every change, held for review
when an editor changes a published case, returned with a comment the editor reads."""

import pytest

from cases import revisions
from cases.models import Case, Revision
from tests import factories
from tests.staff import admin_form_data

pytestmark = pytest.mark.django_db


def test_a_change_from_the_shell_leaves_one_revision_of_the_whole_case():
    partner = factories.organization("株式会社みどり造園", kind="company")
    case = factories.case(partners=(partner,), schedule=(("4月", "準備"),), photos=1)
    revision = case.revisions.get()
    assert revision.status == Revision.Status.APPROVED
    assert [row["activity"] for row in revision.data["schedule"]] == ["準備"]
    assert [row["name"] for row in revision.data["partners"]] == ["株式会社みどり造園"]
    assert revision.data["photos"][0]["alt_text"] == "川辺で清掃する人たちのイラスト"
    case.schedule.update(activity="準備と打ち合わせ")  # through the feed's QuerySet
    assert case.revisions.count() == 2 and revision.source == "管理画面以外からの変更"


def _editor_changes_summary(client, case: Case, summary: str):
    factories.staff_login(client, "事例編集者")
    url = f"/admin/cases/case/{case.pk}/change/"
    data = admin_form_data(client.get(url))
    data["summary"] = summary
    return client.post(url, data)


def test_an_editors_change_to_a_published_case_waits_and_a_returned_one_says_why(client):
    case = factories.case(summary="元の概要です。", partners=(factories.organization("A社"),))
    assert _editor_changes_summary(client, case, "書き換えた概要です。").status_code == 302
    case.refresh_from_db()
    assert case.summary == "元の概要です。"  # the public version is kept
    pending = case.revisions.get(status=Revision.Status.PENDING)
    assert pending.data["fields"]["summary"] == "書き換えた概要です。"
    # an editor cannot approve their own change
    client.post(f"/admin/cases/revision/{pending.pk}/change/", {"_approve": "1"})
    case.refresh_from_db()
    assert case.summary == "元の概要です。"

    manager = factories.User.objects.create_user("manager", is_staff=True)
    manager.groups.add(factories.Group.objects.get(name="管理者"))
    client.force_login(manager)
    page = client.get("/admin/").content.decode()
    assert "承認待ち：1件" in page
    refused = client.post(f"/admin/cases/revision/{pending.pk}/change/", {"_return": "1"})
    assert "差し戻す理由を書いてください" in refused.content.decode()
    client.post(
        f"/admin/cases/revision/{pending.pk}/change/",
        {"_return": "1", "comment": "団体に確認してから直してください。"},
    )
    pending.refresh_from_db()
    assert pending.status == Revision.Status.RETURNED and pending.reviewed_by == manager

    client.force_login(pending.author)
    mine = client.get("/admin/cases/revision/?status__exact=returned").content.decode()
    assert "団体に確認してから直してください。" in mine
    assert "差し戻された変更：1件" in client.get("/admin/").content.decode()


def test_approving_applies_the_whole_revision_through_the_feed():
    case = factories.case(summary="元の概要です。", schedule=(("4月", "準備"),))
    data = revisions.snapshot(case)
    data["fields"]["summary"] = "新しい概要です。"
    data["schedule"] = [{"period": "5月", "activity": "本番", "order": 0}]
    pending = revisions.record(case, status=Revision.Status.PENDING, data=data, text="テスト")
    manager = factories.staff_user("管理者")
    revisions.approve(pending, user=manager)
    case.refresh_from_db()
    assert case.summary == "新しい概要です。" and "新しい概要" in case.search_text
    assert list(case.schedule.values_list("activity", flat=True)) == ["本番"]
    pending.refresh_from_db()
    assert pending.status == Revision.Status.ACCEPTED
    assert revisions.latest_approved(case).data["fields"]["summary"] == "新しい概要です。"


def test_cases_loaded_in_bulk_start_with_a_revision_and_reading_history_writes_nothing(
    admin_client,
):
    from kernel import feed

    with feed.bulk(Case):
        loaded = [factories.case(f"一括の事例{i}") for i in range(3)]
    for case in loaded:
        assert [r.source for r in case.revisions.all()] == ["一括登録した時点の内容"]
        assert case.revisions.get().data == revisions.snapshot(case)
    before = Revision.objects.count()
    page = admin_client.get(f"/admin/cases/case/{loaded[0].pk}/revisions/")
    assert page.status_code == 200 and "一括登録した時点の内容" in page.content.decode()
    assert Revision.objects.count() == before  # a GET records nothing
