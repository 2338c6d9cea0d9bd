"""Cache invalidation only: every public page shows the guide menus, so a guide page's change
draws a new catalogue version (it names no case or organization: the indexes stay)."""

from django.db.models.signals import post_delete, post_save

from kernel import catalogue


def _page_changed(sender, **_) -> None:
    catalogue.bump(set())


def connect() -> None:
    from guide.models import GuidePage

    post_save.connect(_page_changed, sender=GuidePage, dispatch_uid="catalogue-GuidePage")
    post_delete.connect(_page_changed, sender=GuidePage, dispatch_uid="catalogue-del-GuidePage")
