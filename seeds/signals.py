"""Cache invalidation only: a seed's change draws a new catalogue version naming it, so the
board's bitmaps are refreshed and the cached pages that list seeds (the top page, case and
organization pages) are rendered again."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from kernel import catalogue


def _seed_changed(sender, instance, **_) -> None:
    catalogue.bump({f"seed:{instance.pk}"})


def _part_changed(sender, instance, **_) -> None:
    catalogue.bump({f"seed:{instance.seed_id}"})


def _links_changed(sender, instance, action, reverse, pk_set, **_) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        catalogue.bump({f"seed:{instance.pk}"})
    elif pk_set is not None:
        catalogue.bump({f"seed:{pk}" for pk in pk_set})
    else:
        catalogue.bump()


def connect() -> None:
    from seeds.models import Seed, StatusChange

    for model, receiver in ((Seed, _seed_changed), (StatusChange, _part_changed)):
        post_save.connect(receiver, sender=model, dispatch_uid=f"catalogue-{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"catalogue-del-{model.__name__}")
    m2m_changed.connect(
        _links_changed, sender=Seed.domains.through, dispatch_uid="catalogue-seed-domains"
    )
