"""Writes for what the public sends, and the curators' decisions on it."""

import datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases import revisions
from cases.models import Case, Photo
from inquiries import notifications
from inquiries.models import Inquiry, PageFeedback, ProposalPhoto, UpdateProposal
from inquiries.proposals import items_for
from inquiries.receipts import next_receipt_number


@transaction.atomic
def submit_inquiry(*, data: dict) -> Inquiry:
    """Store an inquiry under its 受付番号, then tell staff and the sender (after the commit)."""
    data = dict(data)
    number = data.pop("case_number", None)
    # The counter's write comes first: on SQLite the transaction takes the write lock at once.
    inquiry = Inquiry(receipt_number=next_receipt_number(Inquiry.RECEIPT_PREFIX), **data)
    if number:
        inquiry.case = Case.objects.published().filter(number=number).first()
    inquiry.full_clean()
    inquiry.save()
    transaction.on_commit(lambda: notifications.inquiry_received(inquiry))
    return inquiry


@transaction.atomic
def submit_proposal(
    *, case: Case, sender: dict, changes: dict, photos: list[dict]
) -> UpdateProposal:
    """Store a proposal with the case's current values beside it; the case itself is untouched."""
    receipt_number = next_receipt_number(UpdateProposal.RECEIPT_PREFIX)  # the write lock first
    items = items_for(case)
    proposal = UpdateProposal(
        receipt_number=receipt_number,
        case=case,
        proposed=changes,
        base={key: items[key].current(case) for key in changes},
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
def approve_proposal(
    *,
    proposal: UpdateProposal,
    reviewer,
    take: dict | None = None,
    photos: dict[int, dict] | None = None,
) -> Case:
    """Apply the items and photos the curator took, as one change, and tell the sender.

    `take` maps item keys to the values to apply (the proposed ones, or the curator's
    correction); `photos` maps proposal photo ids to their alt text and caption. Left out,
    everything is taken as sent. Raises ValidationError when a value does not fit the case.
    """
    proposal = UpdateProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != UpdateProposal.Status.PENDING:
        raise ProposalAlreadyDecided("この提案は審査済みです。")
    case = (
        Case.objects.select_for_update()
        .select_related("lead_organization", "area")
        .get(pk=proposal.case_id)
    )
    items = items_for(case)
    take = dict(proposal.proposed) if take is None else take
    if photos is None:
        photos = {p.pk: {"alt": p.alt_text, "caption": p.caption} for p in proposal.photos.all()}
    unknown = [key for key in take if key not in proposal.proposed or key not in items]
    if unknown:
        raise ValidationError(
            "この事例には反映できない項目があります（協働パートナーの変更など）。"
        )
    if not take and not photos:
        raise ValidationError(
            "反映する項目か写真を1つ以上選んでください。反映しない場合は却下します。"
        )
    labels = "、".join(items[key].label for key in take)
    photo_count = len(photos) if photos else 0
    receipt = proposal.receipt_number or f"ID {proposal.pk}"
    reason = (
        f"更新提案（受付番号 {receipt}、{proposal.organization}）から反映："
        + "、".join(filter(None, [labels, f"写真{photo_count}枚" if photo_count else ""]))
    )[:100]
    for key, value in take.items():
        if items[key].on_case:
            items[key].apply(case, value)
    case._change_reason, case._history_user = reason, reviewer
    case.full_clean()
    case.save()
    for key, value in take.items():
        if not items[key].on_case:
            items[key].apply(case, value)
    organization = case.lead_organization
    if any(key.startswith("organization:") for key in take):
        organization._change_reason, organization._history_user = reason, reviewer
        organization.full_clean()
        organization.save()
    added = _add_photos(case, proposal, photos, credit=proposal.organization)
    # the case's version names the proposal (the feed's own copy, at the page's end, is the same)
    revisions.record(
        Case.objects.select_related("area", "lead_organization").get(pk=case.pk),
        user=reviewer,
        text=f"更新提案 受付番号 {receipt}（承認 {revisions.staff_name(reviewer)}）",
    )
    proposal.taken = take
    _decide(proposal, reviewer, UpdateProposal.Status.APPROVED)
    LogEntry.objects.log_actions(
        reviewer.pk,
        [case],
        CHANGE,
        f"更新提案（受付番号 {receipt}、{proposal.organization}）を承認して反映しました。"
        f"反映した項目：{labels or 'なし'}、写真 {added}枚",
        single_object=True,
    )
    return case


def _add_photos(case: Case, proposal: UpdateProposal, chosen: dict[int, dict], credit: str) -> int:
    """Copy the chosen photos from private storage to the case's public photos."""
    order = start = (case.photos.aggregate(m=Max("order"))["m"] or 0) + 1
    for photo in proposal.photos.filter(pk__in=chosen).order_by("pk"):
        public = Photo(
            case=case,
            alt_text=chosen[photo.pk]["alt"].strip(),
            caption=chosen[photo.pk].get("caption", "").strip(),
            credit=credit,
            order=order,
        )
        if not public.alt_text:
            raise ValidationError("反映する写真には説明（代替テキスト）が必要です。")
        with photo.image.open("rb") as source:
            public.image.save(photo.image.name.rsplit("/", 1)[-1], File(source), save=False)
        public.full_clean()
        public.save()
        photo.taken = True
        photo.alt_text, photo.caption = public.alt_text, public.caption  # as published
        photo.save(update_fields=["taken", "alt_text", "caption"])
        order += 1
    return order - start


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
    """Delete inquiries (personal data) older than the retention period, and proposals'
    photos decided before it: a rejected proposal goes whole, an approved one keeps its record
    (its taken photos live on as the case's own copies)."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted, _ = Inquiry.objects.filter(created_at__lt=cutoff).delete()
    decided = UpdateProposal.objects.exclude(status=UpdateProposal.Status.PENDING).filter(
        reviewed_at__lt=cutoff
    )
    for photo in ProposalPhoto.objects.filter(proposal__in=decided):
        photo.image.delete(save=False)
        photo.delete()
    decided.filter(status=UpdateProposal.Status.REJECTED).delete()
    return deleted
