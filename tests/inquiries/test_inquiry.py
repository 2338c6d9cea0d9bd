import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case
from inquiries.models import Inquiry
from tests import factories

pytestmark = pytest.mark.django_db


def test_input_confirm_done_stores_and_mails(client, django_capture_on_commit_callbacks):
    case = factories.case(title="里山の保全")
    response = client.post("/inquiries/new/", factories.inquiry_form(case_number=case.number))
    assert response.status_code == 302 and response["Location"] == "/inquiries/confirm/"
    assert not Inquiry.objects.exists()  # nothing is sent before 確認
    confirm = client.get("/inquiries/confirm/").content.decode()
    assert "千葉 花子" in confirm and "里山の保全" in confirm and "この内容で送信する" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/inquiries/confirm/")
    assert done["Location"] == "/inquiries/done/"
    inquiry = Inquiry.objects.get()
    assert inquiry.case == case and inquiry.status == Inquiry.Status.NEW
    assert len(mail.outbox) == 2
    staff, ack = mail.outbox
    assert "collanavi@example.jp" in staff.to and "新しい協働の相談" in staff.subject
    assert "hanako@example.jp" not in staff.body  # personal data stays in the admin
    assert ack.to == ["hanako@example.jp"] and inquiry.receipt_number in ack.body
    assert "送信しました" in client.get("/inquiries/done/").content.decode()
    # The draft is gone: a second confirm sends nothing twice.
    assert client.post("/inquiries/confirm/")["Location"] == "/inquiries/new/"
    assert Inquiry.objects.count() == 1


def test_back_to_edit_keeps_what_was_typed(client):
    client.post("/inquiries/new/", factories.inquiry_form())
    html = client.get("/inquiries/new/").content.decode()
    assert 'value="千葉 花子"' in html and "企業との協働について相談したいです。" in html


def test_case_page_prefills_kind_and_case(client):
    case = factories.case()
    html = client.get(f"/inquiries/new/?kind=question&case={case.number}").content.decode()
    assert f'value="{case.number}"' in html
    assert re.search(r'value="question"[^>]*checked', html)
    assert (
        f"/inquiries/new/?kind=question&amp;case={case.number}"
        in client.get(case.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": ""}, "name", "お名前を入力してください。"),
        ({"email": "hanako@"}, "email", "メールアドレスの形式が正しくありません"),
        ({"email": ""}, "email", "メールアドレスを入力してください。"),
        ({"message": ""}, "message", "内容を入力してください。"),
        ({"message": "あ" * 4001}, "message", "4,000文字以内"),
        ({"phone": "でんわ"}, "phone", "電話番号は数字とハイフンで"),
        ({"kind": ""}, "kind", "種類を選んでください。"),
        ({"kind": "spam"}, "kind", "正しく選択してください"),
        ({"consent": ""}, "consent", "プライバシーポリシーへの同意が必要です。"),
        ({"case_number": "999999"}, "case_number", "事例No.999999は見つかりませんでした"),
        ({"case_number": "abc"}, "case_number", "事例No.は数字で"),
    ],
)
def test_bad_input_gets_a_japanese_message_and_keeps_the_rest(client, changes, field, message):
    response = client.post("/inquiries/new/", factories.inquiry_form(**changes))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "入力内容を確認してください" in html
    assert 'value="NPO法人みどり"' in html  # the other fields are kept
    assert not Inquiry.objects.exists()


def test_draft_cases_cannot_be_named(client):
    draft = factories.case(status=Case.Status.DRAFT)
    response = client.post("/inquiries/new/", factories.inquiry_form(case_number=draft.number))
    assert "見つかりませんでした" in response.content.decode()


def test_honeypot_is_refused_politely(client):
    response = client.post(
        "/inquiries/new/", factories.inquiry_form(website_url="http://spam.example/")
    )
    assert response.status_code == 200
    assert "送信できませんでした" in response.content.decode()
    assert "inquiry_draft" not in client.session


def test_text_is_escaped_where_shown(client, admin_client):
    client.post("/inquiries/new/", factories.inquiry_form(name="<script>alert(1)</script>"))
    confirm = client.get("/inquiries/confirm/").content.decode()
    assert "<script>alert(1)</script>" not in confirm
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in confirm
    client.post("/inquiries/confirm/")
    inquiry = Inquiry.objects.get()
    page = admin_client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_confirm_without_draft_goes_back(client):
    assert client.get("/inquiries/confirm/")["Location"] == "/inquiries/new/"


def test_privacy_policy_page(client):
    html = client.get("/privacy/").content.decode()
    assert "プライバシーポリシー" in html and "利用の目的" in html


def test_retention_command_deletes_old_inquiries(settings):
    old = Inquiry.objects.create(kind="question", name="古い", email="a@example.jp", message="m")
    Inquiry.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=settings.INQUIRY_RETENTION_DAYS + 1)
    )
    Inquiry.objects.create(kind="question", name="新しい", email="b@example.jp", message="m")
    call_command("purge_inquiries", verbosity=0)
    assert list(Inquiry.objects.values_list("name", flat=True)) == ["新しい"]


def test_only_staff_who_handle_inquiries_can_be_assigned(admin_client):
    from django.contrib.auth.models import Group, User

    for name, group in [("kanri", "管理者"), ("henshu", "事例編集者")]:
        User.objects.create_user(name, password="x", is_staff=True).groups.add(
            Group.objects.get(name=group)
        )
    inquiry = Inquiry.objects.create(
        kind="question", name="花子", email="h@example.jp", message="m"
    )
    form = admin_client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/").context["adminform"]
    names = {str(user) for user in form.form.fields["assignee"].queryset}
    assert "kanri" in names and "henshu" not in names
