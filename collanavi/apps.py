from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """Django's admin, served by the project's StaffSite."""

    default_site = "collanavi.admin.StaffSite"

    def ready(self) -> None:
        super().ready()
        from django.db.models.signals import post_migrate

        from collanavi.cache import create_table  # the project's caches, set up by migrate

        post_migrate.connect(create_table, sender=self)


class StaffAxesConfig(AxesAppConfig):
    """django-axes under a Japanese name (breadcrumbs and the index use it)."""

    verbose_name = "ログイン試行の記録"
