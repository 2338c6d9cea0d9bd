"""Emails to staff and to the people who write to us."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def _send(template: str, context: dict, recipients: list[str]) -> None:
    context = {**context, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
    subject, _, body = render_to_string(template, context).partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", None, recipients)


def inquiry_received(inquiry) -> None:
    _send("inquiries/email/inquiry_staff.txt", {"inquiry": inquiry}, settings.STAFF_NOTIFY_EMAILS)
    _send("inquiries/email/inquiry_ack.txt", {"inquiry": inquiry}, [inquiry.email])


def proposal_received(proposal) -> None:
    context = {"proposal": proposal}
    _send("inquiries/email/proposal_staff.txt", context, settings.STAFF_NOTIFY_EMAILS)
    _send("inquiries/email/proposal_ack.txt", context, [proposal.email])


def proposal_decided(proposal) -> None:
    _send("inquiries/email/proposal_decided.txt", {"proposal": proposal}, [proposal.email])
