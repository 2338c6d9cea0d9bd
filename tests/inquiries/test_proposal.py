import datetime
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cases.models import Case, ScheduleItem
from inquiries import services
from inquiries.models import ProposalPhoto, UpdateProposal
from tests import factories

pytestmark = pytest.mark.django_db


def _jpeg(name="photo.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (50, 40), "green").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def case():
    return factories.case(title="里山の保全", summary="昔の概要です。", tips="昔のコツ")


def test_form_is_prefilled_with_the_current_text(client, case):
    html = client.get(f"/cases/{case.number}/update/").content.decode()
    assert 'value="里山の保全"' in html and "昔の概要です。" in html and "昔のコツ" in html


def test_proposal_changes_nothing_public(client, case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cases/{case.number}/update/",
            factories.proposal_form(
                case,
                case_summary="新しい概要です。",
                **{"photos-0-image": _jpeg(), "photos-0-alt": "森の写真"},
            ),
        )
    assert response["Location"] == f"/cases/{case.number}/update/done/"
    proposal = UpdateProposal.objects.get()
    assert proposal.proposed == {"summary": "新しい概要です。"}
    assert proposal.base == {"summary": "昔の概要です。"}
    photo = proposal.photos.get()
    assert photo.alt_text == "森の写真" and photo.image.name.startswith("proposals/")
    assert "photo" not in photo.image.name  # a server-made file name
    case.refresh_from_db()
    assert case.summary == "昔の概要です。" and not case.photos.exists()
    assert "昔の概要です。" in client.get(case.get_absolute_url()).content.decode()
    assert [m.to for m in mail.outbox] == [["collanavi@example.jp"], ["taro@example.jp"]]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({}, "掲載内容に変更がありません"),
        ({"name": ""}, "お名前を入力してください。"),
        ({"relation": ""}, "事例との関係を選んでください。"),
        ({"case_title": ""}, "事例名を入力してください。"),
        (
            {"case_summary": "x", "photos-0-image": "FILE", "photos-0-alt": ""},
            "写真の説明（代替テキスト）を入力してください。",
        ),
        ({"photos-0-image": "FAKE", "photos-0-alt": "説明"}, "画像として読み込めない"),
        ({"case_summary": "x", "consent": ""}, "プライバシーポリシーへの同意が必要です。"),
    ],
)
def test_refusals_keep_the_input(client, case, changes, message):
    if changes.get("photos-0-image") == "FILE":
        changes["photos-0-image"] = _jpeg()
    if changes.get("photos-0-image") == "FAKE":
        changes["photos-0-image"] = SimpleUploadedFile(
            "x.jpg", b"<html>", content_type="image/jpeg"
        )
    response = client.post(
        f"/cases/{case.number}/update/", factories.proposal_form(case, **changes)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="NPO法人みどり"' in html
    if "photos-0-image" in changes:
        assert "写真はもう一度選んでください" in html
    assert not UpdateProposal.objects.exists()


def test_a_table_takes_no_more_rows_than_the_page_offered(client, case):
    offered = factories.proposal_form(case, case_summary="新しい概要です。")
    more = {**offered, "schedule-TOTAL_FORMS": "40", "schedule-39-period": "5月"}
    more["schedule-39-activity"] = "足された行"
    missing = {k: v for k, v in offered.items() if not k.startswith("schedule-")}
    for data in (more, missing):  # neither adds rows nor, without its rows, empties the table
        assert client.post(f"/cases/{case.number}/update/", data).status_code == 200
    assert not UpdateProposal.objects.exists()


def test_unpublished_cases_take_no_proposals(client):
    draft = factories.case(status=Case.Status.DRAFT)
    assert client.get(f"/cases/{draft.number}/update/").status_code == 404
    assert client.post(f"/cases/{draft.number}/update/", {}).status_code == 404


SENDER = {
    "name": "太郎",
    "organization": "NPO法人みどり",
    "email": "t@example.jp",
    "relation": "lead",
}


def _proposal(case, photos=(), **proposed) -> UpdateProposal:
    return services.submit_proposal(case=case, sender=SENDER, changes=proposed, photos=list(photos))


def test_admin_shows_a_field_by_field_diff(admin_client, case):
    proposal = _proposal(case, summary="新しい<b>概要</b>です。")
    html = admin_client.get(
        f"/admin/inquiries/updateproposal/{proposal.pk}/change/"
    ).content.decode()
    assert "事業概要" in html
    assert "<del" in html and "<ins" in html
    assert "&lt;b&gt;" in html and "<b>概要" not in html  # the public's text is escaped
    assert "承認して反映する" in html and "却下する" in html


def test_approve_applies_everything_atomically_and_tells_the_sender(
    admin_user, case, django_capture_on_commit_callbacks
):
    photo = {"data": _jpeg().read(), "name": "abc.jpg", "alt": "森", "caption": "森の様子"}
    proposal = _proposal(case, photos=[photo], summary="新しい概要", tips="新しいコツ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_proposal(proposal=proposal, reviewer=admin_user)
    case.refresh_from_db()
    assert (case.summary, case.tips) == ("新しい概要", "新しいコツ")
    assert case.photos.get().alt_text == "森"
    assert "新しい概要" in case.search_text
    proposal.refresh_from_db()
    assert proposal.status == UpdateProposal.Status.APPROVED and proposal.reviewer == admin_user
    log = LogEntry.objects.get(object_id=str(case.pk))
    assert "承認して反映" in log.change_message
    assert mail.outbox[0].to == ["t@example.jp"] and "反映しました" in mail.outbox[0].body
    with pytest.raises(services.ProposalAlreadyDecided):
        services.approve_proposal(proposal=proposal, reviewer=admin_user)


def test_a_failing_approval_changes_nothing(admin_user, case, monkeypatch):
    proposal = _proposal(case, summary="新しい概要")
    monkeypatch.setattr(Case, "search_texts", lambda pks: 1 / 0)  # the search text's refresh
    with pytest.raises(ZeroDivisionError):
        services.approve_proposal(proposal=proposal, reviewer=admin_user)
    case.refresh_from_db()
    proposal.refresh_from_db()
    assert case.summary == "昔の概要です。" and proposal.status == UpdateProposal.Status.PENDING


def test_reject_needs_a_reason_and_tells_the_sender(
    admin_client, case, django_capture_on_commit_callbacks
):
    proposal = _proposal(case, summary="新しい概要")
    url = f"/admin/inquiries/updateproposal/{proposal.pk}/change/"
    response = admin_client.post(url, {"reason": " ", "_reject": "却下する"})
    assert "却下の理由を入力してください" in response.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"reason": "内容を確認できませんでした。", "_reject": "却下する"})
    proposal.refresh_from_db()
    assert proposal.status == UpdateProposal.Status.REJECTED
    assert "内容を確認できませんでした。" in mail.outbox[0].body
    case.refresh_from_db()
    assert case.summary == "昔の概要です。"


def test_curator_is_warned_when_the_case_changed_since(admin_client, case):
    proposal = _proposal(case, summary="新しい概要")
    case.summary = "職員が直した概要"
    case.save()
    html = admin_client.get(
        f"/admin/inquiries/updateproposal/{proposal.pk}/change/"
    ).content.decode()
    assert "この提案のあと、事例の次の項目が変更されています：事業概要" in html


def test_approve_through_the_admin_takes_only_the_ticked_items(admin_client, case):
    proposal = _proposal(case, summary="新しい概要", tips="新しいコツ")
    url = f"/admin/inquiries/updateproposal/{proposal.pk}/change/"
    form = {"take_case_summary": "on", "value_case_summary": "直した概要", "_approve": "1"}
    response = admin_client.post(url, form, follow=True)
    assert "提案を承認し" in response.content.decode()
    case.refresh_from_db()
    assert (case.summary, case.tips) == ("直した概要", "昔のコツ")
    proposal.refresh_from_db()
    assert proposal.taken == {"summary": "直した概要"}
    version = case.revisions.order_by("-pk").first()  # the case's 版の履歴 names the proposal
    assert version.source.startswith(f"更新提案 受付番号 {proposal.receipt_number}")
    assert version.data["fields"]["summary"] == "直した概要"
    again = admin_client.post(url, form, follow=True)
    assert "すでに審査済み" in again.content.decode()


def test_approving_nothing_or_emptying_a_required_text_is_refused_and_kept(admin_client, case):
    proposal = _proposal(case, title="新しい名前", summary="新しい概要")
    url = f"/admin/inquiries/updateproposal/{proposal.pk}/change/"
    html = admin_client.post(url, {"_approve": "1"}).content.decode()
    assert "反映する項目か写真を1つ以上選んでください" in html
    form = {"take_case_title": "on", "value_case_title": " ", "_approve": "1"}
    form |= {"take_case_summary": "on", "value_case_summary": "直しかけの概要"}
    html = admin_client.post(url, form).content.decode()
    assert "事例名を入力してください。" in html and "直しかけの概要" in html
    proposal.refresh_from_db()
    assert proposal.status == UpdateProposal.Status.PENDING


def test_a_photo_only_proposal_is_stored_and_approved(client, admin_client, case):
    response = client.post(
        f"/cases/{case.number}/update/",
        factories.proposal_form(case, **{"photos-0-image": _jpeg(), "photos-0-alt": "森の入口"}),
    )
    assert response.status_code == 302
    proposal = UpdateProposal.objects.get()
    assert proposal.proposed == {} and proposal.photos.count() == 1
    url = f"/admin/inquiries/updateproposal/{proposal.pk}/change/"
    photo = proposal.photos.get()
    admin_client.post(
        url, {f"photo_{photo.pk}": "on", f"alt_{photo.pk}": "森の入口の看板", "_approve": "1"}
    )
    assert case.photos.get().alt_text == "森の入口の看板"
    assert not case.photos.get().image.name.startswith("proposals/")


def test_budget_schedule_roles_and_the_organization_are_applied(admin_user):
    partner = factories.organization("房総大学", kind="education")
    case = factories.case(partners=(partner,), schedule=(("4月", "準備"),), budget=None)
    proposal = _proposal(
        case,
        budget=300_000,
        schedule=[["5月", "開始"], ["3月", "報告会"]],
        **{
            f"partner:{partner.pk}": "学生の派遣",
            "organization:mission": "森を守る",
            "records": [[2023, "grant", "みどり基金の助成"]],
        },
    )
    services.approve_proposal(proposal=proposal, reviewer=admin_user)
    case.refresh_from_db()
    assert case.budget == 300_000
    assert [(s.period, s.activity) for s in case.schedule.all()] == [
        ("5月", "開始"),
        ("3月", "報告会"),
    ]
    assert case.partners.get().role == "学生の派遣"
    assert case.lead_organization.mission == "森を守る"
    record = case.lead_organization.records.get()
    assert (record.year, record.kind, record.title) == (2023, "grant", "みどり基金の助成")
    assert "報告会" in case.search_text


def test_personal_data_needs_permission(client, case):
    _proposal(case, summary="新しい概要")
    staff = User.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/inquiries/inquiry/").status_code == 403
    assert client.get("/admin/inquiries/updateproposal/").status_code == 403
    assert "対応待ち" not in client.get("/admin/").content.decode()
    staff.user_permissions.add(Permission.objects.get(codename="view_inquiry"))
    assert client.get("/admin/inquiries/inquiry/").status_code == 200


def test_admin_index_counts_new_inquiries_and_waiting_proposals(admin_client, case):
    _proposal(case, summary="新しい概要")
    services.submit_inquiry(
        data={"kind": "question", "name": "花子", "email": "h@example.jp", "message": "質問"}
    )
    html = admin_client.get("/admin/").content.decode()
    assert "新規のお問い合わせ：1件" in html and "審査待ちの更新提案：1件" in html


def test_proposal_photos_are_private_until_approved(client, case, settings):
    photo = {"data": _jpeg().read(), "name": "abc.jpg", "alt": "森", "caption": ""}
    proposal = _proposal(case, photos=[photo])
    stored = proposal.photos.get().image
    assert (settings.PRIVATE_MEDIA_ROOT / stored.name).is_file()
    assert not (settings.MEDIA_ROOT / stored.name).exists()
    with pytest.raises(ValueError):
        stored.url  # noqa: B018 - private files have no public address


def test_purge_deletes_rejected_proposals_and_decided_photos_after_the_retention(
    admin_user, case, settings
):
    photo = {"data": _jpeg().read(), "name": "abc.jpg", "alt": "森", "caption": ""}
    rejected = _proposal(case, photos=[photo], summary="却下される概要")
    services.reject_proposal(proposal=rejected, reviewer=admin_user, reason="重複のため")
    approved = _proposal(case, photos=[photo], summary="反映される概要")
    services.approve_proposal(proposal=approved, reviewer=admin_user)
    files = [p.image.name for p in ProposalPhoto.objects.all()]
    services.purge_old_inquiries(days=30)
    assert UpdateProposal.objects.count() == 2  # decided today: kept
    UpdateProposal.objects.update(reviewed_at=timezone.now() - datetime.timedelta(days=31))
    services.purge_old_inquiries(days=30)
    assert list(UpdateProposal.objects.all()) == [approved]
    assert not ProposalPhoto.objects.exists()
    assert not any((settings.PRIVATE_MEDIA_ROOT / name).exists() for name in files)
    assert case.photos.get().image.storage.exists(case.photos.get().image.name)


def test_a_table_change_shows_which_rows_changed(admin_client, case):
    ScheduleItem.objects.create(case=case, period="4月", activity="準備", order=0)
    ScheduleItem.objects.create(case=case, period="3月", activity="報告会", order=1)
    proposal = _proposal(case, schedule=[["4月", "準備"], ["9月", "収穫祭"], ["3月", "報告会"]])
    html = admin_client.get(f"/admin/inquiries/updateproposal/{proposal.pk}/change/").text
    assert '<span class="diff-line">4月：準備</span>' in html
    assert '<ins class="diff-ins diff-line">9月：収穫祭</ins>' in html
    assert "<del" not in html.split("変更内容と反映する項目")[1].split("追加の写真")[0].replace(
        '<del class="diff-del">削除</del>', ""
    )
