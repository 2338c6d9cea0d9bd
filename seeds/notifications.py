"""Emails about seeds: to staff, and to the people who post or ask (never to a poster about
someone else's consultation). Like the inquiries' mails, they carry the 受付番号, the kind, the
date and what happens next, never the sender's own words (inquiries/notifications.py says why)."""

from django.conf import settings

from kernel import mail


def seed_received(seed) -> None:
    mail.send("seeds/email/seed_staff.txt", {"seed": seed}, settings.STAFF_NOTIFY_EMAILS)
    if seed.contact_email:
        mail.send("seeds/email/seed_ack.txt", {"seed": seed}, [seed.contact_email])


def consultation_received(consultation) -> None:
    context = {"consultation": consultation, "seed": consultation.seed}
    mail.send("seeds/email/consultation_staff.txt", context, settings.STAFF_NOTIFY_EMAILS)
    mail.send("seeds/email/consultation_ack.txt", context, [consultation.inquiry.email])


def seed_approved(seed) -> None:
    mail.send("seeds/email/seed_approved.txt", {"seed": seed}, [seed.contact_email])


def seed_rejected(seed, *, reason: str, was_public: bool = False) -> None:
    """The reason is the coordinator's words, so it may be quoted; the seed is named by its
    受付番号 and date only."""
    context = {"seed": seed, "reason": reason, "was_public": was_public}
    mail.send("seeds/email/seed_rejected.txt", context, [seed.contact_email])
