"""What every public form shares (kernel.forms.PublicForm): lengths, single lines, full-width
input, selects and the error summary; and mails that carry no one's free text."""

import re

import pytest
from django import forms
from django.contrib import admin
from django.core import mail

from inquiries.forms import FeedbackForm, InquiryForm, UpdateProposalForm
from inquiries.models import Inquiry, PageFeedback, UpdateProposal
from kernel.forms import PublicForm
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return factories.case(title="里山の保全", summary="昔の概要です。")


def public_forms(case) -> list[PublicForm]:
    return [InquiryForm(), UpdateProposalForm(case=case), FeedbackForm()]


def test_every_text_field_of_every_public_form_has_a_maximum_length(case):
    for form in public_forms(case):
        assert isinstance(form, PublicForm)
        for name, field in form.fields.items():
            if isinstance(field, forms.CharField):
                assert field.max_length, f"{type(form).__name__}.{name}"
            else:  # choices, ticks, numbers and files are bounded otherwise
                assert isinstance(
                    field,
                    (forms.ChoiceField, forms.BooleanField, forms.IntegerField, forms.FileField),
                ), f"{type(form).__name__}.{name}"


@pytest.mark.parametrize("model", [Inquiry, UpdateProposal, PageFeedback])
def test_model_form_and_admin_agree_on_lengths(model, rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    model_admin = admin.site._registry[model]
    for field in model._meta.get_fields():
        if field.get_internal_type() not in ("CharField", "TextField", "EmailField"):
            continue
        assert field.max_length, f"{model.__name__}.{field.name}"
        formfield = model_admin.formfield_for_dbfield(field, request)
        if formfield is not None and not field.choices:
            assert formfield.max_length == field.max_length, f"{model.__name__}.{field.name}"
    for form_class, fields in [
        (InquiryForm, ["name", "organization", "email", "phone", "message"]),
        (FeedbackForm, ["comment"]),
    ]:
        if form_class._meta.model is model:
            form = form_class()
            for name in fields:
                assert form.fields[name].max_length == model._meta.get_field(name).max_length


def test_a_too_long_message_is_refused_beside_the_field_and_kept(client, case):
    long = "あ" * 4001
    html = client.post("/inquiries/new/", factories.inquiry_form(message=long)).content.decode()
    assert "内容は4,000文字以内で入力してください（いま4001文字です）。" in html
    assert long in html and 'value="千葉 花子"' in html
    assert 'href="#id_message"' in html  # the summary links to the field

    html = client.post(
        f"/cases/{case.number}/update/", factories.proposal_form(case, message="い" * 4001)
    ).content.decode()
    assert "4,000文字以内で入力してください" in html and "い" * 4001 in html
    assert not UpdateProposal.objects.exists()

    html = client.post(
        "/feedback/", {"path": "/cases/", "useful": "true", "comment": "う" * 1001}
    ).content.decode()
    assert "ご意見は1,000文字以内で入力してください（いま1001文字です）。" in html
    assert "う" * 1001 in html and not PageFeedback.objects.exists()


def test_a_model_refuses_a_too_long_text_even_without_the_form():
    inquiry = Inquiry(kind="question", name="花子", email="h@example.jp", message="あ" * 4001)
    with pytest.raises(Exception, match="4000"):
        inquiry.full_clean()


def test_textareas_do_not_cut_what_is_pasted(client, case):
    # The browser would cut a paste past maxlength silently; the server says so instead.
    for url in ["/inquiries/new/", f"/cases/{case.number}/update/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"<textarea[^>]*maxlength", html), url
        assert "4,000文字以内" in html, url


@pytest.mark.parametrize("field", ["name", "organization"])
def test_a_line_break_in_a_single_line_field_is_refused(
    client, field, django_capture_on_commit_callbacks
):
    injected = "千葉 花子\r\nBcc: victim@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/inquiries/new/", factories.inquiry_form(**{field: injected}))
        client.post("/inquiries/confirm/")
    html = response.content.decode()
    assert "改行や制御文字は使えません" in html
    assert "inquiry_draft" not in client.session
    assert not Inquiry.objects.exists() and not mail.outbox


def test_a_line_break_in_the_proposers_name_is_refused(client, case):
    response = client.post(
        f"/cases/{case.number}/update/",
        factories.proposal_form(
            case, organization="NPO\nSubject: spam", case_summary="新しい概要。"
        ),
    )
    assert "団体名に改行や制御文字は使えません" in response.content.decode()
    assert not UpdateProposal.objects.exists()


def test_the_message_may_have_line_breaks(client):
    client.post("/inquiries/new/", factories.inquiry_form(message="1行目\r\n2行目"))
    assert client.session["inquiry_draft"]["message"] == "1行目\r\n2行目"


def test_mails_carry_no_free_text_of_the_sender(client, case, django_capture_on_commit_callbacks):
    sent = {
        **factories.inquiry_form(),
        "name": "宣伝 太郎",
        "organization": "格安サービス",
        "message": "http://spam.example/ を見てください",
    }
    client.post("/inquiries/new/", sent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/inquiries/confirm/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/cases/{case.number}/update/",
            factories.proposal_form(
                case,
                name="宣伝 太郎",
                organization="格安サービス",
                message="http://spam.example/ を見てください",
                case_summary="http://spam.example/ 新しい概要",
            ),
        )
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        text = message.subject + message.body
        for words in ("spam.example", "宣伝 太郎", "格安サービス"):
            assert words not in text, (message.subject, words)
        assert "受付番号" in text and "今後の流れ" in text or "/admin/" in text
    inquiry_ack = mail.outbox[1]
    assert "5営業日以内" in inquiry_ack.body and "受付日時" in inquiry_ack.body


def test_full_width_phone_email_and_case_number_are_converted(client, case):
    response = client.post(
        "/inquiries/new/",
        {
            **factories.inquiry_form(),
            "phone": "０４３－２２３－４１３３",
            "email": "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ",
            "case_number": str(case.number).translate(
                str.maketrans("0123456789", "０１２３４５６７８９")
            ),
        },
    )
    assert response.status_code == 302
    draft = client.session["inquiry_draft"]
    assert (draft["phone"], draft["email"], draft["case_number"]) == (
        "043-223-4133",
        "hanako@example.jp",
        case.number,
    )
    client.post("/inquiries/confirm/")
    assert Inquiry.objects.get().phone == "043-223-4133"


def test_a_full_width_proposer_address_is_converted(client, case):
    client.post(
        f"/cases/{case.number}/update/",
        factories.proposal_form(
            case, email="ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", case_summary="新しい概要。"
        ),
    )
    assert UpdateProposal.objects.get().email == "taro@example.jp"


def test_selects_ask_to_choose_instead_of_dashes(client, case):
    html = client.get(f"/cases/{case.number}/update/").content.decode()
    assert "---------" not in html
    assert '<option value="" selected>選択してください</option>' in html


def test_error_summary_links_to_each_field(client):
    html = client.post(
        "/inquiries/new/", factories.inquiry_form(name="", kind="", email="x")
    ).content.decode()
    summary = html[
        html.index('id="form-errors"') : html.index("</div>", html.index('id="form-errors"'))
    ]
    assert '<a href="#id_kind_0">種類を選んでください。</a>' in summary
    assert '<a href="#id_name">お名前を入力してください。</a>' in summary
    assert 'href="#id_email"' in summary
    assert summary.index("#id_kind_0") < summary.index("#id_name") < summary.index("#id_email")
    assert 'id="id_kind_0"' in html and 'id="id_name"' in html


def test_no_public_page_offers_dashes_to_choose(client, case):
    pages = ["/", "/cases/", "/organizations/", case.get_absolute_url(), "/inquiries/new/"]
    for url in [*pages, f"/cases/{case.number}/update/", "/casebook/"]:
        assert "---------" not in client.get(url).content.decode(), url
