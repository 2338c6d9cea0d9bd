"""Cache invalidation only: any change to catalogue content draws a new catalogue version,
recording which case or organization changed so that the search bitmaps can be refreshed, and
notes it for the case PDFs laid out in the background (cases/tasks.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from cases import tasks
from kernel import catalogue


def _remember_organization(sender, instance, **_) -> None:
    """Before a case or a partner row is saved, note the organization it held until now: the
    directory's bitmaps must re-read an organization a case lets go of."""
    field = (
        "lead_organization_id" if hasattr(instance, "lead_organization_id") else "organization_id"
    )
    if instance.pk is not None:
        old = sender._base_manager.filter(pk=instance.pk).values_list(field, flat=True).first()
        instance._catalogue_held = old


def _organizations(instance, field: str) -> set[str]:
    """ "cases-of:3": organization 3 gained or lost a case (its own fields did not change, so
    the case bitmaps need not re-read every case it partners in; the directory does re-read it)."""
    held = {getattr(instance, field), getattr(instance, "_catalogue_held", None)}
    return {f"cases-of:{pk}" for pk in held if pk is not None}


def _case_changed(sender, instance, **_) -> None:
    catalogue.bump({f"case:{instance.pk}", *_organizations(instance, "lead_organization_id")})
    tasks.note_changed(f"case:{instance.pk}")


def _partner_changed(sender, instance, **_) -> None:
    catalogue.bump({f"case:{instance.case_id}", *_organizations(instance, "organization_id")})
    tasks.note_changed(f"case:{instance.case_id}")


def _case_part_changed(sender, instance, **_) -> None:
    catalogue.bump({f"case:{instance.case_id}"})
    tasks.note_changed(f"case:{instance.case_id}")


def _organization_changed(sender, instance, **_) -> None:
    catalogue.bump({f"organization:{instance.pk}"})
    tasks.note_changed(f"organization:{instance.pk}")


def _record_changed(sender, instance, **_) -> None:
    catalogue.bump({f"organization:{instance.organization_id}"})
    tasks.note_changed(f"organization:{instance.organization_id}")


def _names_changed(sender, instance, **_) -> None:
    catalogue.bump(set())  # a taxonomy or an area: only names, read again per version
    tasks.note_changed(f"{sender._meta.model_name}:{instance.pk}")  # printed in PDFs


def _anything_changed(sender, **_) -> None:
    catalogue.bump()  # e.g. a deleted taxonomy takes its case links along without signals
    tasks.note_changed(tasks.EVERYTHING)


def _links_changed(sender, instance, action, reverse, pk_set, **_) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        catalogue.bump({f"case:{instance.pk}"})
        tasks.note_changed(f"case:{instance.pk}")
    elif pk_set is not None:
        catalogue.bump({f"case:{pk}" for pk in pk_set})
        for pk in pk_set:
            tasks.note_changed(f"case:{pk}")
    else:
        catalogue.bump()
        tasks.note_changed(tasks.EVERYTHING)


def connect() -> None:
    from cases.models import Award, Case, CasePartner, Domain, Method, Photo, ScheduleItem
    from partners.models import Area, Organization, OrganizationRecord

    receivers = [
        (Case, _case_changed, _case_changed),
        (CasePartner, _partner_changed, _partner_changed),
        (Photo, _case_part_changed, _case_part_changed),
        (ScheduleItem, _case_part_changed, _case_part_changed),
        (Award, _case_part_changed, _case_part_changed),
        (Organization, _organization_changed, _organization_changed),
        (OrganizationRecord, _record_changed, _record_changed),
        (Domain, _names_changed, _anything_changed),
        (Method, _names_changed, _anything_changed),
        (Area, _names_changed, _anything_changed),
    ]
    for model, saved, deleted in receivers:
        post_save.connect(saved, sender=model, dispatch_uid=f"catalogue-{model.__name__}")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"catalogue-del-{model.__name__}")
    for model in (Case, CasePartner):
        pre_save.connect(
            _remember_organization, sender=model, dispatch_uid=f"catalogue-pre-{model.__name__}"
        )
    for through in (Case.domains.through, Case.methods.through):
        m2m_changed.connect(
            _links_changed, sender=through, dispatch_uid=f"catalogue-{through.__name__}"
        )
