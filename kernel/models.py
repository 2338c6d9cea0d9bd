from django.conf import settings
from django.db import models
from django.utils import timezone


class Change(models.Model):
    """One write to something the public sees, recorded in the writing transaction (kernel.feed).

    `kind` is what changed ("case", "organization", "seed", "domain", "guidepage"...), `key` the
    row (none: the whole kind); "cases-of" names an organization that gained or lost a case.
    """

    kind = models.CharField("種類", max_length=40)
    key = models.BigIntegerField("キー", null=True, blank=True)
    at = models.DateTimeField("記録日時", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["pk"]
        # the newest change of a kind (feed.versions_of)
        indexes = [models.Index(fields=["kind", "id"], name="kernel_change_kind_id")]
        verbose_name = "変更"
        verbose_name_plural = "変更"

    def __str__(self) -> str:
        return self.subject

    @property
    def subject(self) -> str:
        return self.kind if self.key is None else f"{self.kind}:{self.key}"


class Cursor(models.Model):
    """How far a derived artifact that follows the feed on the worker has read it."""

    name = models.CharField("名前", max_length=60, primary_key=True)
    position = models.BigIntegerField("位置", default=0)

    class Meta:
        verbose_name = "追従位置"
        verbose_name_plural = "追従位置"

    def __str__(self) -> str:
        return f"{self.name}: {self.position}"


class HeldChange(models.Model):
    """A public row whose change by a clerk without the right to publish waits for a 管理者
    (kernel.review): the changed fields' new values, who and when; the public keeps the stored
    ones. And the last change a 管理者 sent back: its values, why, and to whom."""

    pending = models.JSONField("承認待ちの変更", null=True, blank=True, editable=False)
    pending_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        editable=False, related_name="+", verbose_name="変更した職員",
    )  # fmt: skip
    pending_at = models.DateTimeField("変更日時", null=True, blank=True, editable=False)
    returned = models.JSONField("差し戻された変更", null=True, blank=True, editable=False)
    returned_note = models.TextField("差し戻しの理由", blank=True, editable=False)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        editable=False, related_name="+", verbose_name="差し戻された職員",
    )  # fmt: skip
    returned_at = models.DateTimeField("差し戻し日時", null=True, blank=True, editable=False)

    # Not kept in a history library's versions: they are the review's own bookkeeping.
    REVIEW_FIELDS = [
        "pending", "pending_by", "pending_at", "returned", "returned_note", "returned_to",
        "returned_at",
    ]  # fmt: skip

    class Meta:
        abstract = True
