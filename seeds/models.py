"""協働の種: what a department wants to do with others, what a group can offer, standing menus."""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from cases.models import Case, Domain
from inquiries.models import Inquiry
from kernel.catalogue import containing_all
from kernel.feed import FeedQuerySet
from kernel.search import Searchable
from lib.text import search_document
from partners.models import Area, Organization, PartnerType


class Resource(models.TextChoices):
    """What groups and departments exchange (DESIGN.md §11)."""

    FUNDS = "funds", "資金"
    GOODS = "goods", "物品"
    PEOPLE = "people", "人材"
    PLACE = "place", "場所"
    INFORMATION = "information", "情報"
    EXPERTISE = "expertise", "専門知識"


class ChoiceListField(models.CharField):
    """Several values of a fixed list, stored as ",a,b," so that `__contains=",a,"` finds one."""

    def __init__(self, *args, choice_list=None, **kwargs):
        self.choice_list = choice_list
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choice_list", None)
        if kwargs.get("max_length") == 200:
            del kwargs["max_length"]
        kwargs.pop("blank", None)
        kwargs.pop("default", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value or []
        return [v for v in str(value).split(",") if v]

    def get_prep_value(self, value):
        if isinstance(value, str):  # a lookup's pattern (",a,")
            return value
        values = list(value or [])
        return f",{','.join(values)}," if values else ""

    def value_to_string(self, obj) -> str:
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        known = {v for v, _ in self.choice_list.choices} if self.choice_list else None
        if known is not None and any(v not in known for v in value):
            raise ValidationError("選択肢にない値があります。")
        if not self.blank and not value:
            raise ValidationError("1つ以上選んでください。")

    def formfield(self, **kwargs):
        choices = self.choice_list.choices if self.choice_list else []
        return forms.TypedMultipleChoiceField(
            choices=choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )


def labels_of(choice_list, values: list[str]) -> list[str]:
    """The labels of these values, in the list's order."""
    return [label for value, label in choice_list.choices if value in values]


class SeedQuerySet(FeedQuerySet):
    def public(self) -> "SeedQuerySet":
        """Approved by a coordinator: the only seeds anyone but staff sees."""
        return self.filter(review=Seed.Review.APPROVED)

    def of_kinds(self, kinds: list[str]) -> "SeedQuerySet":
        return self.filter(kind__in=kinds)

    def in_domains(self, domains) -> "SeedQuerySet":
        return self.filter(
            pk__in=Seed.domains.through.objects.filter(domain__in=domains).values("seed_id")
        )

    def in_areas(self, areas) -> "SeedQuerySet":
        return self.filter(area__in=areas)

    def in_statuses(self, statuses: list[str]) -> "SeedQuerySet":
        return self.filter(status__in=statuses)

    def having_any(self, field: str, values: list[str]) -> "SeedQuerySet":
        """Seeds whose list field (partner types or resources) holds any of these values."""
        q = Q()
        for value in values:
            q |= Q(**{f"{field}__contains": f",{value},"})
        return self.filter(q)

    def seeking(self) -> "SeedQuerySet":
        """Still looking for partners: not yet in practice, turned into a case, or closed."""
        return self.filter(status__in=Seed.SEEKING)

    def matching(self, terms: list) -> "SeedQuerySet":
        return containing_all(self, terms)

    def past_deadline(self) -> "SeedQuerySet":
        return self.seeking().filter(deadline__lt=timezone.localdate())


class Seed(Searchable, models.Model):
    """A 協働の種: posted, approved by a coordinator, followed from 募集中 to 事例化 or 終了."""

    class Kind(models.TextChoices):
        WISH = "wish", "行政の「一緒にやりたいこと」"
        OFFER = "offer", "団体の「提案・できること」"
        MENU = "menu", "協働メニュー"

    class Status(models.TextChoices):
        OPEN = "open", "募集中"
        CONSULTING = "consulting", "相談中"
        DISCUSSING = "discussing", "協議中"
        PRACTICING = "practicing", "実践中"
        CASE = "case", "事例化"
        CLOSED = "closed", "終了"

    class Review(models.TextChoices):
        DRAFT = "draft", "下書き"
        PENDING = "pending", "審査待ち"
        APPROVED = "approved", "承認済み（公開）"
        REJECTED = "rejected", "却下"

    SEEKING = [Status.OPEN, Status.CONSULTING, Status.DISCUSSING]
    RECEIPT_PREFIX = "S"  # 受付番号 of a posted seed (inquiries.receipts)

    receipt_number = models.CharField("受付番号", max_length=20, blank=True, editable=False)
    kind = models.CharField("種類", max_length=10, choices=Kind.choices)
    title = models.CharField("タイトル", max_length=100)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seeds",
        verbose_name="投稿団体",
        help_text="団体一覧にある団体なら選びます。行政の担当課は下の「団体名・担当課名」に書きます。",
    )
    poster_name = models.CharField(
        "団体名・担当課名",
        max_length=200,
        blank=True,
        help_text="公開されます。投稿団体を選んだ場合は空欄でかまいません。",
    )
    domains = models.ManyToManyField(Domain, verbose_name="活動分野", related_name="seeds")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name="地域")
    issue = models.TextField("課題", max_length=1000)
    wish = models.TextField("やりたいこと", max_length=2000)
    partner_types_wanted = ChoiceListField(
        "求める協働相手", choice_list=PartnerType, help_text="当てはまるものをすべて選びます。"
    )
    resources_wanted = ChoiceListField("求めているもの", choice_list=Resource)
    resources_offered = ChoiceListField("提供できるもの", choice_list=Resource)
    period = models.CharField(
        "実施時期・期間", max_length=100, blank=True, help_text="例：2026年度中、毎年夏休み"
    )
    deadline = models.DateField("募集期限", null=True, blank=True)
    keywords = models.CharField(
        "キーワード",
        max_length=100,
        blank=True,
        help_text="スペースで区切って数語（例：子ども食堂 食品ロス）。似た事例・種を探します。",
    )
    status = models.CharField(
        "進み具合", max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seeds",
        verbose_name="生まれた事例",
    )
    review = models.CharField(
        "審査", max_length=10, choices=Review.choices, default=Review.PENDING, db_index=True
    )
    approved_on = models.DateField("掲載日", null=True, blank=True)
    # The poster's own contact: for the coordinator only, never shown or sent to anyone else.
    contact_person = models.CharField("担当者名（非公開）", max_length=100, blank=True)
    contact_email = models.EmailField("連絡先メール（非公開）", blank=True)
    contact_phone = models.CharField("連絡先電話（非公開）", max_length=30, blank=True)
    staff_notes = models.TextField("内部メモ", blank=True, help_text="職員だけが見られます。")
    search_text = models.TextField("検索用テキスト", blank=True, editable=False)
    created_at = models.DateTimeField("受付日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = SeedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"], m2m_fields=[domains])

    class Meta:
        ordering = ["-approved_on", "-pk"]
        verbose_name = "協働の種"
        verbose_name_plural = "協働の種"
        permissions = [("approve_seed", "協働の種を承認・却下できる")]
        indexes = [models.Index(fields=["review", "-approved_on"], name="seed_newest_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["receipt_number"],
                condition=~Q(receipt_number=""),
                name="seed_receipt_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("seeds:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.review == self.Review.APPROVED

    @property
    def poster(self) -> str:
        """Who posted it, as the public sees it."""
        return self.poster_name or (self.organization.name if self.organization_id else "")

    @property
    def is_past_deadline(self) -> bool:
        return (
            self.deadline is not None
            and self.status in self.SEEKING
            and self.deadline < timezone.localdate()
        )

    def partner_type_labels(self) -> list[str]:
        return labels_of(PartnerType, self.partner_types_wanted)

    def wanted_labels(self) -> list[str]:
        return labels_of(Resource, self.resources_wanted)

    def offered_labels(self) -> list[str]:
        return labels_of(Resource, self.resources_offered)

    @classmethod
    def with_text_data(cls, rows):
        return rows.select_related("area", "organization").prefetch_related("domains")

    def build_search_text(self) -> str:
        parts = [
            self.title,
            self.get_kind_display(),
            self.poster_name,
            self.organization.name if self.organization_id else "",
            self.area.name,
            self.issue,
            self.wish,
            self.period,
            self.keywords,
            *self.partner_type_labels(),
            *self.wanted_labels(),
            *self.offered_labels(),
            *[d.name for d in self.domains.all()],
        ]
        return search_document("\n".join(p for p in parts if p))


class StatusChange(models.Model):
    """A step of a seed's progress: shown publicly with its date; the note is for staff."""

    seed = models.ForeignKey(
        Seed, on_delete=models.CASCADE, related_name="changes", verbose_name="協働の種"
    )
    date = models.DateField("日付", default=datetime.date.today)
    from_status = models.CharField("変更前", max_length=12, choices=Seed.Status.choices, blank=True)
    to_status = models.CharField("変更後", max_length=12, choices=Seed.Status.choices)
    note = models.TextField("メモ（職員のみ）", blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="変更した職員",
    )
    created_at = models.DateTimeField("記録日時", auto_now_add=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = "進み具合の記録"
        verbose_name_plural = "進み具合の記録"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_to_status_display()}"


class Consultation(models.Model):
    """「この種について相談する」: an inquiry to the coordinator about one seed."""

    seed = models.ForeignKey(
        Seed, on_delete=models.CASCADE, related_name="consultations", verbose_name="協働の種"
    )
    inquiry = models.OneToOneField(
        Inquiry, on_delete=models.CASCADE, related_name="seed_link", verbose_name="お問い合わせ"
    )
    accepted_at = models.DateTimeField("受け付けた日時", null=True, blank=True)

    class Meta:
        ordering = ["-inquiry__created_at"]
        verbose_name = "種についての相談"
        verbose_name_plural = "種についての相談"

    def __str__(self) -> str:
        return (
            f"相談 {self.received_label()} {self.inquiry.name}さん（協働の種「{self.seed.title}」）"
        )

    def received_label(self) -> str:
        """When it came, in local time as a clerk reads it: 2026年12月7日 22:57."""
        return date_format(timezone.localtime(self.inquiry.created_at), "Y年n月j日 H:i")
