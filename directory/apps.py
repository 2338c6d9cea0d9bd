from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The organization directory: organizations (partners) with their cases."""

    name = "directory"
    verbose_name = "団体一覧"
