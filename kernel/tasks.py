"""The worker's side of the change feed: artifacts too long to refresh in a request (PDFs)
read the feed from their own cursor, once the writing transaction has committed."""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from kernel import feed
from kernel.models import Change, Cursor

# Changes are kept this long: an artifact whose cursor fell further behind is rebuilt.
KEPT = datetime.timedelta(days=30)
BATCH = 5000


@task()
def follow_feed() -> int:
    """Bring every worker artifact up to the feed's head; returns how many changes it read."""
    read = 0
    for made in feed.artifacts().values():
        if made.on_worker:
            read += _follow(made)
    _prune()
    return read


def _follow(made: feed.Artifact) -> int:
    with transaction.atomic():
        cursor, _ = Cursor.objects.select_for_update().get_or_create(name=made.name)
        head = Change.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if head <= cursor.position:
            return 0
        oldest = Change.objects.order_by("pk").values_list("pk", flat=True).first()
        changes = Change.objects.filter(pk__gt=cursor.position, pk__lte=head)
        read = changes.count()
        if oldest > cursor.position + 1 or read > BATCH:
            made.rebuild()  # fell behind what the feed keeps, or too much to name one by one
        else:
            wanted = changes.filter(kind__in=[*made.depends_on, feed.EVERYTHING])
            subjects = {c.subject for c in wanted}
            keys = feed.grouped(subjects)
            if feed.EVERYTHING in keys:
                made.rebuild()
            elif keys:
                made.refresh(keys)
        cursor.position = head
        cursor.save(update_fields=["position"])
        return read


def _prune() -> None:
    """Changes older than KEPT go (the newest stays: it is the catalogue's version)."""
    newest = Change.objects.order_by("-pk").values_list("pk", flat=True).first()
    if newest is not None:
        Change.objects.filter(at__lt=timezone.now() - KEPT).exclude(pk=newest).delete()
