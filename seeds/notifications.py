"""Emails about seeds: to staff, and to the people who post or ask (never to a poster about
someone else's consultation). Like the inquiries' mails, they carry the 受付番号, the kind, the
date and what happens next, never the sender's own words (inquiries/notifications.py says why)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def _send(template: str, context: dict, recipients: list[str]) -> None:
    context = {
        **context,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "contact_office": settings.CONTACT_OFFICE,
        "contact_phone": settings.CONTACT_PHONE,
        "contact_hours": settings.CONTACT_HOURS,
    }
    subject, _, body = render_to_string(template, context).partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", None, recipients)


def seed_received(seed) -> None:
    _send("seeds/email/seed_staff.txt", {"seed": seed}, settings.STAFF_NOTIFY_EMAILS)
    if seed.contact_email:
        _send("seeds/email/seed_ack.txt", {"seed": seed}, [seed.contact_email])


def consultation_received(consultation) -> None:
    context = {"consultation": consultation, "seed": consultation.seed}
    _send("seeds/email/consultation_staff.txt", context, settings.STAFF_NOTIFY_EMAILS)
    _send("seeds/email/consultation_ack.txt", context, [consultation.inquiry.email])
