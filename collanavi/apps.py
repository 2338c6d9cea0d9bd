from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """Django's admin, served by the project's StaffSite."""

    default_site = "collanavi.admin.StaffSite"
