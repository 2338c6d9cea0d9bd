"""Cache invalidation only: any change to catalogue content draws a new catalogue version,
recording which case or organization changed so that the search bitmaps can be refreshed."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from collanavi import catalogue


def _case_changed(sender, instance, **_) -> None:
    catalogue.bump({f"case:{instance.pk}"})


def _case_part_changed(sender, instance, **_) -> None:
    catalogue.bump({f"case:{instance.case_id}"})


def _organization_changed(sender, instance, **_) -> None:
    catalogue.bump({f"organization:{instance.pk}"})


def _record_changed(sender, instance, **_) -> None:
    catalogue.bump({f"organization:{instance.organization_id}"})


def _names_changed(sender, instance, **_) -> None:
    catalogue.bump(set())  # a taxonomy or an area: only names, read again per version


def _anything_changed(sender, **_) -> None:
    catalogue.bump()  # e.g. a deleted taxonomy takes its case links along without signals


def _links_changed(sender, instance, action, reverse, pk_set, **_) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        catalogue.bump({f"case:{instance.pk}"})
    elif pk_set is not None:
        catalogue.bump({f"case:{pk}" for pk in pk_set})
    else:
        catalogue.bump()


def connect() -> None:
    from cases.models import Case, CasePartner, Domain, Method, Photo, ScheduleItem
    from partners.models import Area, Organization, OrganizationRecord

    receivers = [
        (Case, _case_changed, _case_changed),
        (CasePartner, _case_part_changed, _case_part_changed),
        (Photo, _case_part_changed, _case_part_changed),
        (ScheduleItem, _case_part_changed, _case_part_changed),
        (Organization, _organization_changed, _organization_changed),
        (OrganizationRecord, _record_changed, _record_changed),
        (Domain, _names_changed, _anything_changed),
        (Method, _names_changed, _anything_changed),
        (Area, _names_changed, _anything_changed),
    ]
    for model, saved, deleted in receivers:
        post_save.connect(saved, sender=model, dispatch_uid=f"catalogue-{model.__name__}")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"catalogue-del-{model.__name__}")
    for through in (Case.domains.through, Case.methods.through):
        m2m_changed.connect(
            _links_changed, sender=through, dispatch_uid=f"catalogue-{through.__name__}"
        )
