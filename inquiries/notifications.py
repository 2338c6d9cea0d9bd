"""Emails to staff and to the people who write to us.

A mail on receipt carries the 受付番号, the kind, the date and what happens next, never the
sender's own words: the acknowledgement goes to whatever address was typed, so quoting the
text would make the form a relay for anyone's message; staff read it in the admin."""

from django.conf import settings

from inquiries.proposals import items_for
from kernel import mail


def inquiry_received(inquiry) -> None:
    mail.send(
        "inquiries/email/inquiry_staff.txt", {"inquiry": inquiry}, settings.STAFF_NOTIFY_EMAILS
    )
    mail.send("inquiries/email/inquiry_ack.txt", {"inquiry": inquiry}, [inquiry.email])


def proposal_received(proposal) -> None:
    context = {"proposal": proposal}
    mail.send("inquiries/email/proposal_staff.txt", context, settings.STAFF_NOTIFY_EMAILS)
    mail.send("inquiries/email/proposal_ack.txt", context, [proposal.email])


def proposal_decided(proposal) -> None:
    """The result, naming what was taken and what was left."""
    items = items_for(proposal.case)
    labels = {key: items[key].label if key in items else key for key in proposal.proposed}
    photos = list(proposal.photos.all())
    context = {
        "proposal": proposal,
        "taken": [label for key, label in labels.items() if key in proposal.taken],
        "left": [label for key, label in labels.items() if key not in proposal.taken],
        "photos_taken": sum(p.taken for p in photos),
        "photos_left": sum(not p.taken for p in photos),
    }
    mail.send("inquiries/email/proposal_decided.txt", context, [proposal.email])
