"""Writes to seeds: posting, the coordinator's decisions, progress, consultations, 事例にする."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases import revisions
from cases.filters import fiscal_year
from cases.models import Case, CasePartner
from inquiries.models import Inquiry
from inquiries.receipts import next_receipt_number
from lib.text import name_key
from lib.years import start_fiscal_year
from partners import services as partner_services
from partners.models import Organization
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
        if seed.contact_email:
            transaction.on_commit(lambda seed=seed: notifications.seed_approved(seed))
        count += 1
    return count


@transaction.atomic
def reject_seeds(seeds, *, user, reason: str) -> int:
    """Keep seeds off the site (or take them off), with the reason kept in the staff notes and
    mailed to the poster; seeds already rejected are left as they are."""
    reason = reason.strip()
    if not reason:
        raise NotAllowed("却下の理由を入力してください。")
    today = timezone.localdate()
    count = 0
    for seed in _locked(seeds):
        if seed.review == Seed.Review.REJECTED:
            continue
        was_public = seed.is_public
        seed.review = Seed.Review.REJECTED
        note = f"{today:%Y-%m-%d} 却下（理由：{reason}）"
        seed.staff_notes = f"{seed.staff_notes.rstrip()}\n{note}".strip()
        seed._history_user = user
        seed._change_reason = f"却下：{reason}"[:100]
        seed.save(update_fields=["review", "staff_notes", "updated_at"])
        if seed.contact_email:
            transaction.on_commit(
                lambda seed=seed, was_public=was_public: notifications.seed_rejected(
                    seed, reason=reason, was_public=was_public
                )
            )
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


@dataclass
class CasePlan:
    """What 「事例にする」 will fill in, shown to the clerk before the draft is made: each
    organization found in the directory, or a name to list as a new, unlisted one."""

    lead: Organization | None
    lead_name: str
    partners: list[tuple[Organization | None, str]]
    start_year: int
    start_year_found: bool
    title: str

    def describe(self, organization: Organization | None, name: str) -> str:
        return name if organization is not None else f"{name}（新しく非掲載で登録）"


def _consulting_names(seed: Seed) -> list[tuple[str, bool]]:
    """Who consulted about the seed and was taken on: (name, may be created). A person with no
    organization is matched against the directory but never made into one."""
    names = []
    accepted = seed.consultations.filter(accepted_at__isnull=False).select_related("inquiry")
    for consultation in accepted.order_by("accepted_at", "pk"):
        inquiry = consultation.inquiry
        if inquiry.organization.strip():
            names.append((inquiry.organization.strip(), True))
        else:
            names.append((inquiry.name.strip(), False))
    return names


def plan_case(seed: Seed) -> CasePlan:
    """The draft case a seed makes, read without writing (partners.services.find_by_name)."""
    lead = seed.organization
    lead_name = lead.name if lead else seed.poster_name.strip()
    if lead is None:
        lead = partner_services.find_by_name(lead_name)
    seen = {name_key(lead_name)}
    partners = []
    for name, may_create in _consulting_names(seed):
        if name_key(name) in seen:
            continue
        organization = partner_services.find_by_name(name)
        if organization is None and not may_create:
            continue
        seen.add(name_key(name))
        partners.append((organization, organization.name if organization else name))
    posted_on = timezone.localdate(seed.created_at) if seed.created_at else timezone.localdate()
    found = None
    for text in (seed.period, seed.wish, seed.issue):
        found = start_fiscal_year(text, today=posted_on)
        if found:
            break
    return CasePlan(
        lead=lead,
        lead_name=lead_name,
        partners=partners,
        start_year=found or fiscal_year(),
        start_year_found=found is not None,
        title=_suggested_title(seed, lead_name, [name for _, name in partners]),
    )


def _suggested_title(seed: Seed, lead_name: str, partner_names: list[str]) -> str:
    """「AとBによる花壇の取り組み」: who did it and what about, not the call for partners."""
    who = "と".join([lead_name, *partner_names[:2]])
    keyword = seed.keywords.split()[0] if seed.keywords.split() else ""
    topic = f"{keyword}の取り組み" if keyword else "協働の取り組み"
    return f"{who}による{topic}"[:200]


def seed_reference(seed: Seed) -> str:
    """How staff and mails name a seed without quoting it: its 受付番号 (or ID) and date."""
    label = f"受付番号 {seed.receipt_number}" if seed.receipt_number else f"ID {seed.pk}"
    return f"{label}、{timezone.localtime(seed.created_at):%Y年%-m月%-d日}受付"


@transaction.atomic
def make_case(seed: Seed, *, user, title: str, methods, start_year: int | None = None) -> Case:
    """「事例にする」: a draft case from the seed, linked to it. The poster is the 運営団体 and
    the organizations taken on from its consultations are the partners, each found in the
    directory or made unlisted; the clerk gives the title and 手法."""
    seed = (
        Seed.objects.select_for_update(of=("self",)).select_related("organization").get(pk=seed.pk)
    )
    if seed.case_id is not None:
        raise NotAllowed(f"この種にはすでに事例（No.{seed.case.number}）があります。")
    plan = plan_case(seed)
    if not plan.lead_name:
        raise NotAllowed(
            "事例には運営団体が必要です。この種の「団体名・担当課名」を入力してください。"
        )
    reference = seed_reference(seed)
    reason = f"協働の種（{reference}）から作成"

    def organization(found: Organization | None, name: str, kind: str, area) -> Organization:
        if found is not None:
            return found
        made, _ = partner_services.find_or_create_unlisted(
            name, kind=kind, area=area, user=user, reason=reason
        )
        return made

    # A department posts 「一緒にやりたいこと」; a group's kind is read from its name.
    poster_kind = Organization.Kind.GOVERNMENT if seed.kind == Seed.Kind.WISH else None
    lead = organization(
        plan.lead,
        plan.lead_name,
        poster_kind or partner_services.kind_from_name(plan.lead_name),
        seed.area,
    )
    partners = [
        organization(found, name, partner_services.kind_from_name(name), None)
        for found, name in plan.partners
    ]
    partners = [p for p in dict.fromkeys(partners) if p != lead]
    number = (Case.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    names = "・".join(p.name for p in partners)
    summary = (
        f"{lead.name}が協働の種で協働相手を募り、{names}とともに始めた事業です。"
        if partners
        else f"{lead.name}が協働の種で協働相手を募って始めた事業です。"
    )
    case = Case(
        number=number,
        title=title,
        status=Case.Status.DRAFT,
        area=seed.area,
        start_year=start_year or plan.start_year,
        summary=summary,
        background=f"課題：{seed.issue}\n\n協働の種で呼びかけたこと：{seed.wish}",
        lead_organization=lead,
    )
    case.full_clean()
    case.save()
    case.domains.set(seed.domains.all())
    case.methods.set(methods)
    for order, partner in enumerate(partners):
        CasePartner.objects.create(case=case, organization=partner, role=PARTNER_ROLE, order=order)
    seed.case = case
    if seed.organization_id is None:
        seed.organization = lead
    seed._history_user = user
    seed.save(update_fields=["case", "organization", "updated_at"])
    revisions.record(case, user=user, text=reason)  # its first version names the seed
    return case


# A partner's role until the clerk writes it: true as it stands, so never wrong if left.
PARTNER_ROLE = "協働の種への相談から協働に参加"
