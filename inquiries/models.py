from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from cases.models import Case
from inquiries.proposals import items_for
from kernel.storage import private_storage

# Longest free texts the public (and staff, in notes) may send; the form and admin take them
# from here, and full_clean() enforces them for a TextField, which Django itself does not.
MESSAGE_LENGTH = 4000
COMMENT_LENGTH = 1000
NOTES_LENGTH = 10_000
REASON_LENGTH = 2000


def _limited(length: int) -> dict:
    return {"max_length": length, "validators": [MaxLengthValidator(length)]}


def _numbered(model: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["receipt_number"], condition=~Q(receipt_number=""), name=f"{model}_receipt_unique"
    )


class ReceiptCounter(models.Model):
    """The last 受付番号 given per prefix and fiscal year (see inquiries.receipts)."""

    prefix = models.CharField("種類の記号", max_length=4)
    year = models.PositiveIntegerField("年度")
    last = models.PositiveIntegerField("最後の番号", default=0)

    class Meta:
        verbose_name = "受付番号の連番"
        verbose_name_plural = "受付番号の連番"
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="receipt_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}：{self.last}"


class Inquiry(models.Model):
    """お問い合わせ・協働の相談・事例の情報提供・掲載の希望, as the public sent it."""

    class Kind(models.TextChoices):
        QUESTION = "question", "お問い合わせ"
        CONSULTATION = "consultation", "協働の相談"
        CASE_INFO = "case_info", "事例の情報提供"
        LISTING = "listing", "掲載の希望"

    class Status(models.TextChoices):
        NEW = "new", "新規"
        IN_PROGRESS = "in_progress", "対応中"
        DONE = "done", "完了"

    RECEIPT_PREFIX = "Q"

    receipt_number = models.CharField("受付番号", max_length=20, blank=True, editable=False)
    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    name = models.CharField("お名前", max_length=100)
    organization = models.CharField("団体名・所属", max_length=200, blank=True)
    email = models.EmailField("メールアドレス")
    phone = models.CharField("電話番号", max_length=30, blank=True)
    message = models.TextField("内容", **_limited(MESSAGE_LENGTH))
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name="関連する事例",
    )
    status = models.CharField(
        "対応状況", max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="担当者",
    )
    notes = models.TextField(
        "内部メモ", blank=True, help_text="職員だけが見られます。", **_limited(NOTES_LENGTH)
    )
    created_at = models.DateTimeField("受付日時", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "お問い合わせ"
        verbose_name_plural = "お問い合わせ"
        constraints = [_numbered("inquiry")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}（{self.created_at:%Y-%m-%d}）"


class UpdateProposal(models.Model):
    """Changes to a case proposed by its organization; nothing is public until approved."""

    class Relation(models.TextChoices):
        LEAD = "lead", "運営団体の担当者"
        PARTNER = "partner", "協働パートナーの担当者"
        OTHER = "other", "その他"

    class Status(models.TextChoices):
        PENDING = "pending", "審査待ち"
        APPROVED = "approved", "承認済み"
        REJECTED = "rejected", "却下"

    RECEIPT_PREFIX = "U"

    receipt_number = models.CharField("受付番号", max_length=20, blank=True, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="proposals", verbose_name="事例"
    )
    name = models.CharField("お名前", max_length=100)
    organization = models.CharField("団体名", max_length=200)
    email = models.EmailField("メールアドレス")
    relation = models.CharField("事例との関係", max_length=20, choices=Relation.choices)
    message = models.TextField("補足", blank=True, **_limited(MESSAGE_LENGTH))
    # Item key → value (inquiries.proposals); a proposal of photos only has none.
    proposed = models.JSONField("変更案", default=dict, blank=True)
    base = models.JSONField("提案時の掲載内容", default=dict, blank=True)
    taken = models.JSONField(
        "反映した内容", default=dict, blank=True, help_text="承認時に事例へ反映した項目と値"
    )
    status = models.CharField(
        "状態", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="審査した職員",
    )
    reviewed_at = models.DateTimeField("審査日時", null=True, blank=True)
    rejection_reason = models.TextField("却下の理由", blank=True, **_limited(REASON_LENGTH))
    created_at = models.DateTimeField("受付日時", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "掲載情報の更新提案"
        verbose_name_plural = "掲載情報の更新提案"
        constraints = [_numbered("proposal")]

    def __str__(self) -> str:
        return f"No.{self.case.number}への更新提案（{self.organization}）"

    def changed_since(self) -> list[str]:
        """Labels of the items the case has changed in since the proposal was made."""
        items = items_for(self.case)
        return [
            items[key].label if key in items else key
            for key, value in self.base.items()
            if key not in items or items[key].current(self.case) != value
        ]


class ProposalPhoto(models.Model):
    proposal = models.ForeignKey(
        UpdateProposal, on_delete=models.CASCADE, related_name="photos", verbose_name="提案"
    )
    # Not public until approved: a curator sees it through a staff-only view.
    image = models.ImageField("画像", upload_to="proposals/", storage=private_storage)
    alt_text = models.CharField("代替テキスト", max_length=300)
    caption = models.CharField("キャプション", max_length=200, blank=True)
    taken = models.BooleanField("事例に反映した", default=False)

    class Meta:
        verbose_name = "提案された写真"
        verbose_name_plural = "提案された写真"

    def __str__(self) -> str:
        return self.caption or self.alt_text


class PageFeedback(models.Model):
    """「このページの情報は役に立ちましたか?」: anonymous, no address or cookie kept."""

    path = models.CharField("ページ", max_length=300, db_index=True)
    useful = models.BooleanField("役に立った", null=True)
    findable = models.BooleanField("見つけやすかった", null=True)
    comment = models.TextField("ご意見", blank=True, **_limited(COMMENT_LENGTH))
    created_at = models.DateTimeField("日時", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "ページの評価"
        verbose_name_plural = "ページの評価"

    def __str__(self) -> str:
        return self.path
