from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The organization directory: organizations (partners) with their cases."""

    name = "directory"
    verbose_name = "団体一覧"

    def ready(self) -> None:
        from kernel import review
        from partners.models import Organization

        # An editor's change to an organization the public sees waits for a 管理者.
        review.register(Organization)
