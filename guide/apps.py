from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "guide"
    verbose_name = "ガイドページ"

    def ready(self) -> None:
        from guide.models import GuidePage
        from kernel import feed

        feed.track(GuidePage)  # every public page shows the guide menus
