from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "団体"

    def ready(self) -> None:
        from kernel import feed, search
        from partners.models import Area, Organization, OrganizationRecord

        feed.track(Area)
        feed.track(Organization, follows={"area": ("area",)})
        feed.track(
            OrganizationRecord, lambda row: {f"organization:{row.organization_id}"}, before=True
        )
        search.follow(Organization)
