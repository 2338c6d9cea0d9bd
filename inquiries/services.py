"""Writes for what the public sends, and the curators' decisions on it."""

import datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.models import Case, Photo
from cases.services import refresh_search_text
from inquiries import notifications
from inquiries.models import Inquiry, PageFeedback, ProposalPhoto, UpdateProposal


@transaction.atomic
def submit_inquiry(*, data: dict) -> Inquiry:
    """Store an inquiry, then tell staff and the sender (after the commit)."""
    number = data.pop("case_number", None)
    inquiry = Inquiry(**data)
    if number:
        inquiry.case = Case.objects.published().filter(number=number).first()
    inquiry.full_clean()
    inquiry.save()
    transaction.on_commit(lambda: notifications.inquiry_received(inquiry))
    return inquiry


@transaction.atomic
def submit_proposal(
    *, case: Case, sender: dict, changes: dict[str, str], photos: list[dict]
) -> UpdateProposal:
    """Store a proposal with the case's current text beside it; the case itself is untouched."""
    proposal = UpdateProposal(
        case=case,
        proposed=changes,
        base={field: getattr(case, field) for field in changes},
        **sender,
    )
    proposal.full_clean()
    proposal.save()
    for photo in photos:
        item = ProposalPhoto(proposal=proposal, alt_text=photo["alt"], caption=photo["caption"])
        item.image.save(photo["name"], ContentFile(photo["data"]), save=True)
    transaction.on_commit(lambda: notifications.proposal_received(proposal))
    return proposal


class ProposalAlreadyDecided(ValueError):
    pass


@transaction.atomic
def approve_proposal(*, proposal: UpdateProposal, reviewer) -> Case:
    """Apply every change and photo of the proposal at once, record it, tell the sender."""
    proposal = UpdateProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != UpdateProposal.Status.PENDING:
        raise ProposalAlreadyDecided("この提案は審査済みです。")
    case = Case.objects.select_for_update().get(pk=proposal.case_id)
    for field, value in proposal.proposed.items():
        setattr(case, field, value)
    case.full_clean()
    case.save()
    order = (case.photos.aggregate(m=Max("order"))["m"] or 0) + 1
    for i, photo in enumerate(proposal.photos.all()):
        Photo.objects.create(
            case=case,
            image=photo.image.name,
            alt_text=photo.alt_text,
            caption=photo.caption,
            credit=proposal.organization,
            order=order + i,
        )
    refresh_search_text(case)
    _decide(proposal, reviewer, UpdateProposal.Status.APPROVED)
    labels = "、".join(str(Case._meta.get_field(f).verbose_name) for f in proposal.proposed)
    LogEntry.objects.log_actions(
        reviewer.pk,
        [case],
        CHANGE,
        f"更新提案（ID {proposal.pk}、{proposal.organization}）を承認して反映しました。"
        f"変更：{labels or 'なし'}、写真 {proposal.photos.count()}枚",
        single_object=True,
    )
    return case


@transaction.atomic
def reject_proposal(*, proposal: UpdateProposal, reviewer, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise ValueError("却下の理由を入力してください（提案者に伝わります）。")
    proposal = UpdateProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != UpdateProposal.Status.PENDING:
        raise ProposalAlreadyDecided("この提案は審査済みです。")
    proposal.rejection_reason = reason
    _decide(proposal, reviewer, UpdateProposal.Status.REJECTED)


def _decide(proposal: UpdateProposal, reviewer, status: str) -> None:
    proposal.status = status
    proposal.reviewer = reviewer
    proposal.reviewed_at = timezone.now()
    proposal.save()
    transaction.on_commit(lambda: notifications.proposal_decided(proposal))


def record_feedback(*, data: dict) -> PageFeedback:
    return PageFeedback.objects.create(**data)


def purge_old_inquiries(*, days: int) -> int:
    """Delete inquiries (personal data) older than the retention period."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted, _ = Inquiry.objects.filter(created_at__lt=cutoff).delete()
    return deleted
