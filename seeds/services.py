"""Writes to seeds: posting, the coordinator's decisions, progress, consultations, 事例にする."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.filters import fiscal_year
from cases.models import Case
from inquiries.models import Inquiry
from inquiries.receipts import next_receipt_number
from seeds import notifications
from seeds.models import Consultation, Seed, StatusChange


class NotAllowed(ValueError):
    """A step the seed's state does not allow; the message is for staff."""


@transaction.atomic
def submit_seed(*, data: dict) -> Seed:
    """A seed from the public form, under its 受付番号: kept for review, nothing public; staff
    and poster are told."""
    data = dict(data)
    domains = data.pop("domains")
    receipt_number = next_receipt_number(Seed.RECEIPT_PREFIX)  # the write lock first
    seed = Seed(
        **data,
        receipt_number=receipt_number,
        review=Seed.Review.PENDING,
        status=Seed.Status.OPEN,
    )
    seed.full_clean()
    seed.save()
    seed.domains.set(domains)
    transaction.on_commit(lambda: notifications.seed_received(seed))
    return seed


def _locked(seeds):
    """These seeds, locked; by their keys, as an annotated or joined list cannot be locked."""
    pks = list(seeds.values_list("pk", flat=True))
    return Seed.objects.filter(pk__in=pks).select_for_update().order_by("pk")


@transaction.atomic
def approve_seeds(seeds, *, user) -> int:
    """Make seeds public; the first approval is the date they are listed from, and starts
    their timeline at 募集中 (or wherever staff have set them)."""
    today = timezone.localdate()
    count = 0
    for seed in _locked(seeds):
        if seed.review == Seed.Review.APPROVED:
            continue
        seed.review = Seed.Review.APPROVED
        seed.approved_on = seed.approved_on or today
        seed._history_user = user
        seed.save(update_fields=["review", "approved_on", "updated_at"])
        if not seed.changes.exists():
            StatusChange.objects.create(
                seed=seed, date=today, to_status=seed.status, note="承認して掲載", changed_by=user
            )
        count += 1
    return count


@transaction.atomic
def reject_seeds(seeds, *, user) -> int:
    count = 0
    for seed in _locked(seeds):
        seed.review = Seed.Review.REJECTED
        seed._history_user = user
        seed.save(update_fields=["review", "updated_at"])
        count += 1
    return count


@transaction.atomic
def change_status(seed: Seed, *, to: str, user=None, note: str = "", date=None) -> StatusChange:
    """Move a seed on (or back) and record it with the date and the staff's note."""
    seed = Seed.objects.select_for_update().get(pk=seed.pk)
    if to not in Seed.Status.values:
        raise NotAllowed("進み具合の値が正しくありません。")
    if to == Seed.Status.CASE and seed.case_id is None:
        raise NotAllowed("「事例化」にするには、生まれた事例を設定してください。")
    change = StatusChange.objects.create(
        seed=seed,
        date=date or timezone.localdate(),
        from_status=seed.status,
        to_status=to,
        note=note,
        changed_by=user,
    )
    seed.status = to
    seed._history_user = user
    seed.save(update_fields=["status", "updated_at"])
    return change


@transaction.atomic
def submit_consultation(*, seed: Seed, data: dict) -> Consultation:
    """「この種について相談する」: an inquiry of kind 協働の相談 to the coordinator, linked to the
    seed. The poster is not told and their contact is never given out."""
    if not seed.is_public:
        raise NotAllowed("この種は公開されていません。")
    message = f"【協働の種「{seed.title}」（ID {seed.pk}）について】\n{data['message']}"
    inquiry = Inquiry(
        receipt_number=next_receipt_number(Inquiry.RECEIPT_PREFIX),
        kind=Inquiry.Kind.CONSULTATION,
        name=data["name"],
        organization=data.get("organization", ""),
        email=data["email"],
        phone=data.get("phone", ""),
        message=message,
    )
    inquiry.full_clean()
    inquiry.save()
    consultation = Consultation.objects.create(seed=seed, inquiry=inquiry)
    transaction.on_commit(lambda: notifications.consultation_received(consultation))
    return consultation


@transaction.atomic
def accept_consultation(consultation: Consultation, *, user) -> bool:
    """The coordinator takes the consultation on: the inquiry is 対応中, and a 募集中 seed
    moves to 相談中. Returns whether the seed moved."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.accepted_at is not None:
        return False
    consultation.accepted_at = timezone.now()
    consultation.save(update_fields=["accepted_at"])
    inquiry = consultation.inquiry
    if inquiry.status == Inquiry.Status.NEW:
        inquiry.status = Inquiry.Status.IN_PROGRESS
        inquiry.assignee = inquiry.assignee or user
        inquiry.save(update_fields=["status", "assignee", "updated_at"])
    seed = consultation.seed
    if seed.status == Seed.Status.OPEN:
        change_status(
            seed,
            to=Seed.Status.CONSULTING,
            user=user,
            note=f"相談（{inquiry.name}様）を受け付けました",
        )
        return True
    return False


@transaction.atomic
def make_case(seed: Seed, *, user) -> Case:
    """「事例にする」: a new draft case prefilled from the seed, linked to it both ways."""
    seed = (
        Seed.objects.select_for_update(of=("self",)).select_related("organization").get(pk=seed.pk)
    )
    if seed.case_id is not None:
        raise NotAllowed(f"この種にはすでに事例（No.{seed.case.number}）があります。")
    if seed.organization is None:
        raise NotAllowed(
            "事例には運営団体が必要です。先にこの種の「投稿団体」を選んで保存してください。"
        )
    number = (Case.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    case = Case(
        number=number,
        title=seed.title,
        status=Case.Status.DRAFT,
        area=seed.area,
        start_year=fiscal_year(),
        summary=seed.wish,
        background=seed.issue,
        lead_organization=seed.organization,
    )
    case._change_reason = f"協働の種「{seed.title}」（ID {seed.pk}）から作成"[:100]
    case._history_user = user
    case.full_clean()
    case.save()
    case.domains.set(seed.domains.all())
    seed.case = case
    seed._history_user = user
    seed.save(update_fields=["case", "updated_at"])
    return case
