import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from kernel import prepared
from kernel.catalogue import containing_all
from kernel.feed import FeedQuerySet
from kernel.search import Searchable
from lib.text import search_document
from partners.models import Area, Organization, PartnerType, kinds_of_partner_types


class Taxonomy(models.Model):
    """A staff-editable list of values for a facet."""

    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveIntegerField("表示順", default=0)

    objects = FeedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Domain(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "活動分野"
        verbose_name_plural = "活動分野"


class Method(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "事業の手法"
        verbose_name_plural = "事業の手法"


class BudgetBand(models.TextChoices):
    """The 事業費 facet's bands; bounds in yen, lower inclusive."""

    UNDER_500K = "lt50", "〜50万円"
    FROM_500K = "50-100", "50〜100万円"
    FROM_1M = "100-500", "100〜500万円"
    FROM_5M = "500+", "500万円〜"
    UNKNOWN = "unknown", "不明"

    @property
    def bounds(self) -> tuple[int | None, int | None]:
        return {
            "lt50": (None, 500_000),
            "50-100": (500_000, 1_000_000),
            "100-500": (1_000_000, 5_000_000),
            "500+": (5_000_000, None),
        }[self.value]

    @classmethod
    def of(cls, budget: int | None) -> "BudgetBand":
        """The band this budget is in (the Python twin of `condition`)."""
        if budget is None:
            return cls.UNKNOWN
        for band in cls:
            if band != cls.UNKNOWN:
                low, high = band.bounds
                if (low is None or budget >= low) and (high is None or budget < high):
                    return band
        raise ValueError(budget)

    @property
    def condition(self) -> Q:
        if self.value == "unknown":
            return Q(budget__isnull=True)
        low, high = self.bounds
        q = Q(budget__isnull=False)
        if low is not None:
            q &= Q(budget__gte=low)
        if high is not None:
            q &= Q(budget__lt=high)
        return q


class CaseQuerySet(FeedQuerySet):
    def published(self) -> "CaseQuerySet":
        return self.filter(status=Case.Status.PUBLISHED)

    def in_domains(self, domains) -> "CaseQuerySet":
        return self.filter(
            pk__in=Case.domains.through.objects.filter(domain__in=domains).values("case_id")
        )

    def with_methods(self, methods) -> "CaseQuerySet":
        return self.filter(
            pk__in=Case.methods.through.objects.filter(method__in=methods).values("case_id")
        )

    def with_partner_types(self, types: list[str]) -> "CaseQuerySet":
        return self.filter(partner_types_q(types))

    def in_budget_bands(self, bands: list[str]) -> "CaseQuerySet":
        q = Q()
        for band in bands:
            q |= BudgetBand(band).condition
        return self.filter(q)

    def in_areas(self, areas) -> "CaseQuerySet":
        return self.filter(area__in=areas)

    def active_in_years(self, years: list[int]) -> "CaseQuerySet":
        q = Q()
        for year in years:
            q |= active_in_year_q(year)
        return self.filter(q)

    def matching(self, terms: list) -> "CaseQuerySet":
        """Cases whose search text holds every term (of lib.text.keyword_terms)."""
        return containing_all(self, terms)

    def with_awards(self) -> "CaseQuerySet":
        return self.filter(Exists(Award.objects.filter(case=OuterRef("pk"))))

    def stale(self) -> "CaseQuerySet":
        return self.filter(Q(verified_on__isnull=True) | Q(verified_on__lt=stale_before()))


def period_text(start_year: int, end_year: int | None) -> str:
    """「2021年度〜継続中」, 「2019年度〜2022年度」 or 「2020年度」."""
    if end_year == start_year:
        return f"{start_year}年度"
    return f"{start_year}年度〜{'継続中' if end_year is None else f'{end_year}年度'}"


def partner_types_q(types: list[str]) -> Q:
    return Q(
        Exists(
            CasePartner.objects.filter(
                case=OuterRef("pk"), organization__kind__in=kinds_of_partner_types(types)
            )
        )
    )


def active_in_year_q(year: int) -> Q:
    return Q(start_year__lte=year) & (Q(end_year__isnull=True) | Q(end_year__gte=year))


def stale_before() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=settings.STALE_AFTER_DAYS)


class Case(Searchable, models.Model):
    """A collaboration case study (協働事例) with the 12 fields of ちばコラボナビ."""

    class Status(models.TextChoices):
        DRAFT = "draft", "下書き"
        PUBLISHED = "published", "公開"
        ARCHIVED = "archived", "アーカイブ"

    number = models.PositiveIntegerField("事例No.", unique=True)
    title = models.CharField("事例名", max_length=200)
    status = models.CharField(
        "公開状態", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    featured = models.BooleanField("注目の事例", default=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name="地域")
    start_year = models.PositiveSmallIntegerField("開始年度")
    end_year = models.PositiveSmallIntegerField(
        "終了年度", null=True, blank=True, help_text="空欄は「継続中」"
    )
    # 1–3: domain, partner types (derived from the partners), method
    domains = models.ManyToManyField(Domain, verbose_name="活動分野", related_name="cases")
    methods = models.ManyToManyField(Method, verbose_name="事業の手法", related_name="cases")
    # 4
    budget = models.PositiveBigIntegerField(
        "事業費（円）", null=True, blank=True, help_text="不明の場合は空欄"
    )
    budget_note = models.CharField("事業費の財源・内訳", max_length=300, blank=True)
    # 5–7
    summary = models.TextField("事業概要")
    background = models.TextField("協働までの経緯", blank=True)
    activities = models.TextField("主な事業内容", blank=True)
    # 8: the lead's own role; partners' roles are CasePartner rows
    lead_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="lead_cases",
        verbose_name="運営団体",
    )
    lead_role = models.TextField("運営団体の役割", blank=True)
    # 9–11
    outcomes = models.TextField("協働事業によって生まれた成果", blank=True)
    tips = models.TextField("コラボのコツ", blank=True)
    future_plans = models.TextField("今後力を入れていきたいこと", blank=True)

    published_on = models.DateField("公開日", null=True, blank=True)
    verified_on = models.DateField("情報確認日", null=True, blank=True)
    search_text = models.TextField("検索用テキスト", blank=True, editable=False)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-number"]
        verbose_name = "協働事例"
        verbose_name_plural = "協働事例"
        permissions = [
            ("publish_case", "事例を公開・アーカイブできる"),
            ("import_case", "事例をインポートできる"),
            ("export_case", "事例をエクスポートできる"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="case_end_year_not_before_start",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_on", "-number"], name="case_newest_idx"),
            models.Index(fields=["status", "budget"], name="case_budget_idx"),
            models.Index(fields=["status", "start_year"], name="case_start_year_idx"),
        ]

    def __str__(self) -> str:
        return f"No.{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.number])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_ongoing(self) -> bool:
        return self.end_year is None

    @property
    def period_display(self) -> str:
        return period_text(self.start_year, self.end_year)

    @property
    def is_stale(self) -> bool:
        return self.verified_on is None or self.verified_on < stale_before()

    def partner_types(self) -> list[str]:
        """Labels of the partner types, from the partners' kinds (uses prefetched partners)."""
        types = {cp.organization.partner_type for cp in self.partners.all()}
        return [label for value, label in PartnerType.choices if value in types]

    @classmethod
    def search_texts(cls, pks: list[int]) -> dict[int, str]:
        """Every text field and organization name of these cases, as a search document
        (lib.text), in six reads whose SQL is made once per process, in one round trip: every
        edit of a case writes its search text again."""
        cases, *related = prepared.rows_each(
            [(f"cases:text-{part}", read, pks) for part, read in _TEXT_READS.items()]
        )
        parts: dict[int, list[str]] = {}
        for pk, number, *texts in cases:
            parts[pk] = [str(number), *texts]
        for part, found in zip(list(_TEXT_READS)[1:], related, strict=True):
            for pk, *texts in found:
                if part in ("schedule", "photos"):
                    texts = [" ".join(texts)]  # 時期 内容, キャプション 代替テキスト
                parts[pk] += texts
        return {pk: search_document("\n".join(filter(None, texts))) for pk, texts in parts.items()}


class ScheduleItem(models.Model):
    """One row of the annual schedule (年間スケジュール)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="schedule", verbose_name="事例"
    )
    period = models.CharField("時期", max_length=50)
    activity = models.CharField("内容", max_length=300)
    order = models.PositiveIntegerField("並び順", default=0)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "年間スケジュール"
        verbose_name_plural = "年間スケジュール"

    def __str__(self) -> str:
        return f"{self.period}: {self.activity}"


class CasePartner(models.Model):
    """A partner organization of a case and its role (役割分担)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="partners", verbose_name="事例"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name="団体",
    )
    role = models.TextField("役割")
    order = models.PositiveIntegerField("並び順", default=0)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "協働パートナーと役割"
        verbose_name_plural = "協働パートナーと役割"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organization"], name="case_partner_unique_organization"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}（{self.case.number}）"


class Photo(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="photos", verbose_name="事例"
    )
    image = models.ImageField(
        "画像", upload_to="cases/photos/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    caption = models.CharField("キャプション", max_length=200, blank=True)
    alt_text = models.CharField(
        "代替テキスト",
        max_length=300,
        help_text="画像を見られない人に内容を伝える説明文（必須）",
    )
    credit = models.CharField("クレジット", max_length=200, blank=True)
    order = models.PositiveIntegerField("並び順", default=0)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "写真"
        verbose_name_plural = "写真"
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="photo_alt_text_required"),
        ]

    def __str__(self) -> str:
        return self.caption or self.alt_text

    def save(self, *args, **kwargs) -> None:
        # Stored once, or Django opens the image file each time a Photo is loaded to learn them
        # (and a page fails if the file is missing); a newly saved file does not set them.
        if self.image and (self.width is None or self.height is None):
            self.width, self.height = self.image.width, self.image.height
        super().save(*args, **kwargs)


class Award(models.Model):
    """An award (表彰) the case received, e.g. ちば県民協働大賞 大賞 (2024年度, 千葉県).

    An organization's own awards are the 表彰 lines of its track record (OrganizationRecord).
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="awards", verbose_name="事例"
    )
    name = models.CharField("賞の名称", max_length=200, help_text="例：ちば県民協働大賞")
    year = models.PositiveSmallIntegerField("受賞年度")
    category = models.CharField(
        "部門・賞の種類", max_length=100, blank=True, help_text="例：大賞、奨励賞、地域づくり部門"
    )
    awarding_body = models.CharField(
        "表彰した機関", max_length=200, blank=True, help_text="例：千葉県"
    )

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = "表彰"
        verbose_name_plural = "表彰"

    def __str__(self) -> str:
        return f"{self.year}年度 {self.title}"

    @property
    def title(self) -> str:
        """The award as a badge names it: 「ちば県民協働大賞 大賞」."""
        return f"{self.name} {self.category}" if self.category else self.name


class CasePdf(models.Model):
    """A case's pages as the worker laid them out, for casebooks to bind (cases/pdf/)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="rendered_pdf"
    )
    # What was printed: a hash of the case's PDF HTML and of the template, CSS and font files.
    key = models.CharField(max_length=64)
    content = models.BinaryField()
    pages = models.PositiveSmallIntegerField()
    rendered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "事例のPDF"
        verbose_name_plural = "事例のPDF"

    def __str__(self) -> str:
        return f"{self.case_id}: {self.key[:12]}"


class BoundBook(models.Model):
    """A casebook too long to bind within a request, bound by the worker (cases/tasks.py)."""

    # What it holds: a hash of its cases' keys, title, dropped numbers and date.
    key = models.CharField(max_length=64, unique=True)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "製本済みの事例集"
        verbose_name_plural = "製本済みの事例集"

    def __str__(self) -> str:
        return self.key[:12]


class Revision(models.Model):
    """One version of a whole case, as its page prints it (cases/revisions.py): approved (the
    case was like this), or a 事例編集者's change: pending, then accepted or returned."""

    class Status(models.TextChoices):
        APPROVED = "approved", "反映済みの版"  # the case was like this
        PENDING = "pending", "承認待ち"  # an editor's change, not public
        ACCEPTED = "accepted", "承認済み"  # a pending change a 管理者 approved (now a new version)
        RETURNED = "returned", "差し戻し"

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="revisions", verbose_name="事例"
    )
    data = models.JSONField("内容")
    status = models.CharField("状態", max_length=10, choices=Status.choices)
    source = models.CharField("変更元", max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="変更者",
    )  # fmt: skip
    base = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="元の版",
    )  # fmt: skip
    created_at = models.DateTimeField("日時", default=timezone.now, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="承認・差し戻しした職員",
    )  # fmt: skip
    reviewed_at = models.DateTimeField("承認・差し戻し日時", null=True, blank=True)
    comment = models.TextField("管理者のコメント", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "事例の版"
        verbose_name_plural = "事例の版"
        permissions = [("review_revision", "事例の変更を承認・差し戻しできる")]

    def __str__(self) -> str:
        return f"事例No.{self.case.number} 版{self.pk}（{self.get_status_display()}）"


def rows_of_cases(model, keys: list[int], *fields: str) -> QuerySet:
    """A part of these cases (partners, schedule, photos, awards): (case id, *fields) per row, by
    case and in the part's order, for `kernel.prepared` reads."""
    rows = model._base_manager.filter(case__pk__any_of=keys)
    return rows.order_by("case_id", *model._meta.ordering).values_list("case_id", *fields)


def taxonomy_of_cases(name: str, keys: list[int], *fields: str) -> QuerySet:
    """A taxonomy of these cases ("domain", "method"): (case id, *its fields) per link, by case
    and in the taxonomy's order, for `kernel.prepared` reads."""
    through = Case._meta.get_field(f"{name}s").remote_field.through
    rows = through.objects.filter(case__pk__any_of=keys)
    ordered = rows.order_by("case_id", f"{name}__order", f"{name}__pk")
    return ordered.values_list("case_id", *(f"{name}__{f}" for f in fields))


# What a case's search text reads, in its order: the case's texts, then its related rows'.
_TEXT_READS = {
    "cases": lambda keys: Case._base_manager.filter(pk__any_of=keys).values_list(
        "pk", "number", "title", "budget_note", "summary", "background", "activities",
        "lead_role", "outcomes", "tips", "future_plans", "area__name",
        "lead_organization__name", "lead_organization__kana",
    ),
    "domains": lambda keys: taxonomy_of_cases("domain", keys, "name"),
    "methods": lambda keys: taxonomy_of_cases("method", keys, "name"),
    "partners": lambda keys: rows_of_cases(
        CasePartner, keys, "organization__name", "organization__kana", "role"
    ),
    "schedule": lambda keys: rows_of_cases(ScheduleItem, keys, "period", "activity"),
    "photos": lambda keys: rows_of_cases(Photo, keys, "caption", "alt_text"),
}  # fmt: skip
