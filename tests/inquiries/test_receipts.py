"""受付番号: on the 完了 page, in both e-mails, in the admin; unique even when sent at once."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from inquiries import services
from inquiries.models import Inquiry, ReceiptCounter, UpdateProposal
from inquiries.receipts import next_receipt_number
from tests import factories


@pytest.mark.django_db
def test_numbers_run_per_prefix_and_restart_each_fiscal_year():
    march, april = datetime.date(2027, 3, 31), datetime.date(2027, 4, 1)
    assert next_receipt_number("Q", today=march) == "Q-2026-000001"
    assert next_receipt_number("Q", today=march) == "Q-2026-000002"
    assert next_receipt_number("U", today=march) == "U-2026-000001"
    assert next_receipt_number("Q", today=april) == "Q-2027-000001"
    assert ReceiptCounter.objects.get(prefix="Q", year=2026).last == 2


@pytest.mark.django_db
def test_done_page_and_both_mails_carry_the_number(client, django_capture_on_commit_callbacks):
    client.post("/inquiries/new/", factories.inquiry_form())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/inquiries/confirm/")
    inquiry = Inquiry.objects.get()
    assert inquiry.receipt_number.startswith("Q-20") and len(inquiry.receipt_number) == 13
    done = client.get("/inquiries/done/").content.decode()
    assert inquiry.receipt_number in done
    staff, ack = mail.outbox
    for message in (staff, ack):
        assert inquiry.receipt_number in message.subject and inquiry.receipt_number in message.body
        assert "協働の相談" in message.body  # the kind
        assert f"{inquiry.created_at:%Y}年" in message.body  # the date


@pytest.mark.django_db
def test_proposal_done_page_and_mails_carry_the_number(client, django_capture_on_commit_callbacks):
    case = factories.case(title="里山の保全", summary="昔の概要です。")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/cases/{case.number}/update/",
            factories.proposal_form(case, case_summary="新しい概要。"),
        )
    proposal = UpdateProposal.objects.get()
    assert proposal.receipt_number.startswith("U-20")
    assert (
        proposal.receipt_number in client.get(f"/cases/{case.number}/update/done/").content.decode()
    )
    assert all(proposal.receipt_number in m.body for m in mail.outbox) and len(mail.outbox) == 2


@pytest.mark.django_db
def test_admin_shows_and_finds_the_number(admin_client):
    sent = {k: v for k, v in factories.inquiry_form().items() if k != "consent"}
    inquiry = services.submit_inquiry(data=sent)
    other = services.submit_inquiry(data={**sent, "name": "別の人"})
    listing = admin_client.get("/admin/inquiries/inquiry/", {"q": inquiry.receipt_number})
    assert list(listing.context["cl"].result_list) == [inquiry] != [other]
    assert inquiry.receipt_number in listing.content.decode()
    page = admin_client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/").content.decode()
    assert "受付番号" in page and inquiry.receipt_number in page


@pytest.mark.django_db(transaction=True)
def test_numbers_sent_at_the_same_moment_never_repeat():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("an in-memory SQLite database is one connection: nothing runs in parallel")
    numbers, errors = [], []

    def send():
        try:
            for _ in range(5):
                numbers.append(next_receipt_number("Q"))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(numbers) == len(set(numbers)) == 30
