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
