from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from kernel.catalogue import containing_all
from kernel.feed import FeedQuerySet
from kernel.models import HeldChange
from kernel.search import Searchable
from lib.text import katakana, search_document
from partners.validators import validate_corporate_number, validate_kana, validate_web_url


class Area(models.Model):
    """A municipality (市町村), or the whole prefecture; staff-editable."""

    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveIntegerField("表示順", default=0)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "地域"
        verbose_name_plural = "地域"

    def __str__(self) -> str:
        return self.name


class PartnerType(models.TextChoices):
    """The five partner types of ちばコラボナビ that readers filter by."""

    COMPANY = "company", "企業"
    GOVERNMENT = "government", "行政"
    EDUCATION = "education", "教育"
    COMMUNITY = "community", "地縁"
    NPO = "npo", "NPO"


class OrganizationQuerySet(FeedQuerySet):
    # Which organizations the public sees depends on their cases: directory.selectors.listed.
    def matching(self, terms: list) -> "OrganizationQuerySet":
        return containing_all(self, terms)


class Organization(Searchable, HeldChange):
    class Kind(models.TextChoices):
        NPO = "npo", "NPO法人"
        VOLUNTARY = "voluntary", "任意団体"
        COMMUNITY = "community", "地縁団体"
        COMPANY = "company", "企業"
        GOVERNMENT = "government", "行政"
        EDUCATION = "education", "教育機関"
        PUBLIC_INTEREST = "public_interest", "公益法人"
        OTHER = "other", "その他"

    name = models.CharField("団体名", max_length=200)
    kana = models.CharField(
        "団体名（カナ）",
        max_length=200,
        blank=True,
        validators=[validate_kana],
        help_text="50音順の並べ替えに使います。法人格（特定非営利活動法人など）を除いた読み。",
    )
    kind = models.CharField("種別", max_length=20, choices=Kind.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, verbose_name="地域"
    )
    address = models.CharField("所在地", max_length=200, blank=True)
    website = models.URLField("ウェブサイト", blank=True, validators=[validate_web_url])
    contact = models.CharField("公開連絡先", max_length=200, blank=True)
    founded_year = models.PositiveSmallIntegerField("設立年", null=True, blank=True)
    members = models.CharField("会員・スタッフ", max_length=200, blank=True)
    mission = models.TextField("目的・ミッション", blank=True)
    activities = models.TextField("主な活動", blank=True)
    corporate_number = models.CharField(
        "法人番号", max_length=13, blank=True, validators=[validate_corporate_number]
    )
    is_public = models.BooleanField(
        "一覧に掲載する",
        default=False,
        help_text="公開中の事例がなくても団体一覧に表示します。",
    )
    listing_checked = models.BooleanField(
        "掲載を確認済み",
        default=True,
        editable=False,
        help_text="事例編集者が登録した団体は、管理者が確認するまで事例があっても団体一覧に出ません。",
    )
    search_text = models.TextField("検索用テキスト", blank=True, editable=False)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = OrganizationQuerySet.as_manager()
    # A merge says in the reason what it took from which organization: more than 100 characters.
    history = HistoricalRecords(
        excluded_fields=["search_text", "updated_at", *HeldChange.REVIEW_FIELDS],
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        ordering = ["kana", "name"]
        verbose_name = "団体"
        verbose_name_plural = "団体"
        permissions = [
            ("import_organization", "団体をインポートできる"),
            ("export_organization", "団体をエクスポートできる"),
            ("publish_organization", "団体を一覧に掲載できる"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:detail", args=[self.pk])

    def clean_fields(self, exclude=None) -> None:
        # A reading typed in hiragana or half-width kana is kept in katakana: 50音順 needs one.
        self.kana = katakana(self.kana)
        super().clean_fields(exclude)

    @property
    def may_be_listed(self) -> bool:
        """On the public directory (directory.selectors.listed) if it is in a published case:
        not one an editor added that no 管理者 has checked yet."""
        return self.is_public or self.listing_checked

    @property
    def partner_type(self) -> str:
        return partner_type_of(self.kind)

    @property
    def awards(self) -> list["OrganizationRecord"]:
        """The 表彰 lines of its track record (from prefetched records), shown as badges."""
        return [r for r in self.records.all() if r.kind == OrganizationRecord.Kind.AWARD]

    @classmethod
    def with_text_data(cls, rows):
        return rows.select_related("area")

    def build_search_text(self) -> str:
        """Name, kana and profile, normalised exactly as the case search does."""
        parts = [
            self.name,
            self.kana,
            self.get_kind_display(),
            self.area.name if self.area else "",
            self.address,
            self.mission,
            self.activities,
            self.members,
        ]
        return search_document("\n".join(p for p in parts if p))


# Which partner type (facet) each organization kind counts as.
KIND_TO_PARTNER_TYPE = {
    Organization.Kind.NPO: PartnerType.NPO,
    Organization.Kind.VOLUNTARY: PartnerType.NPO,
    Organization.Kind.PUBLIC_INTEREST: PartnerType.NPO,
    Organization.Kind.OTHER: PartnerType.NPO,
    Organization.Kind.COMMUNITY: PartnerType.COMMUNITY,
    Organization.Kind.COMPANY: PartnerType.COMPANY,
    Organization.Kind.GOVERNMENT: PartnerType.GOVERNMENT,
    Organization.Kind.EDUCATION: PartnerType.EDUCATION,
}


def partner_type_of(kind: str) -> str:
    return KIND_TO_PARTNER_TYPE[kind]


def kinds_of_partner_types(types: list[str]) -> list[str]:
    return [kind for kind, ptype in KIND_TO_PARTNER_TYPE.items() if ptype in types]


class OrganizationRecord(models.Model):
    """A line of the organization's track record: contracts, awards and grants."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", "受託"
        AWARD = "award", "表彰"
        GRANT = "grant", "助成"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="records", verbose_name="団体"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("種別", max_length=10, choices=Kind.choices)
    title = models.CharField("内容", max_length=200)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kind", "pk"]
        verbose_name = "活動実績"
        verbose_name_plural = "活動実績"

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.title}"


class OrganizationRedirect(models.Model):
    """The ID of an organization merged into another: its public page leads to the one kept."""

    old_pk = models.PositiveIntegerField("統合された団体のID", unique=True)
    to = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="merged_ids",
        verbose_name="統合先の団体",
    )
    created_at = models.DateTimeField("統合日時", auto_now_add=True)

    class Meta:
        ordering = ["old_pk"]
        verbose_name = "統合された団体の転送先"
        verbose_name_plural = "統合された団体の転送先"

    def __str__(self) -> str:
        return f"ID {self.old_pk} → {self.to}"
