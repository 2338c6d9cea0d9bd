from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class KernelConfig(AppConfig):
    """The kernel: what every app builds on (catalogue, change feed, caches, indexes)."""

    name = "kernel"
    verbose_name = "基盤"

    def ready(self) -> None:
        from kernel import feed, tasks, users

        users.register()  # after the admin's autodiscovery, which registered Django's own
        feed.wake = tasks.follow_feed.enqueue  # the worker follows the feed after each commit


class StaffAdminConfig(AdminConfig):
    """Django's admin, served by the project's StaffSite."""

    default_site = "kernel.admin.StaffSite"

    def ready(self) -> None:
        super().ready()
        from django.db.models.signals import post_migrate

        from kernel.cache import create_table  # the project's caches, set up by migrate

        post_migrate.connect(create_table, sender=self)


class StaffAxesConfig(AxesAppConfig):
    """django-axes under a Japanese name (breadcrumbs and the index use it)."""

    verbose_name = "ログイン試行の記録"
