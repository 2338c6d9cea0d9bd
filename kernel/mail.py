"""Mails from a template: its first line the subject, the rest the body, with the office's
name and contact in every context."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send(template: str, context: dict, recipients: list[str]) -> None:
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
