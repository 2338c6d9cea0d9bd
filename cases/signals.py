"""Cache invalidation only: any change to catalogue content draws a new catalogue version."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from collanavi import catalogue


def connect() -> None:
    from cases.models import Case, CasePartner, Domain, Method, Photo, ScheduleItem
    from partners.models import Area, Organization, OrganizationRecord

    for model in (
        Case, CasePartner, Photo, ScheduleItem, Domain, Method, Organization,
        OrganizationRecord, Area,
    ):  # fmt: skip
        post_save.connect(catalogue.bump, sender=model, dispatch_uid=f"catalogue-{model.__name__}")
        post_delete.connect(
            catalogue.bump, sender=model, dispatch_uid=f"catalogue-del-{model.__name__}"
        )
    for through in (Case.domains.through, Case.methods.through):
        m2m_changed.connect(
            catalogue.bump, sender=through, dispatch_uid=f"catalogue-{through.__name__}"
        )
