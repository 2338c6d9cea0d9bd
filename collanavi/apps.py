from django.apps import AppConfig


class CollanaviConfig(AppConfig):
    """The roof: the project-wide management commands (demo data, reindex, backup, serve)."""

    name = "collanavi"
    verbose_name = "サイト全体"
