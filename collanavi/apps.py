from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """Django's admin, served by the project's StaffSite."""

    default_site = "collanavi.admin.StaffSite"


class StaffAxesConfig(AxesAppConfig):
    """django-axes under a Japanese name (breadcrumbs and the index use it)."""

    verbose_name = "ログイン試行の記録"
