from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "guide"
    verbose_name = "ガイドページ"

    def ready(self) -> None:
        from guide.models import GuidePage
        from kernel import feed, review

        feed.track(GuidePage)  # every public page shows the guide menus
        review.register(GuidePage)  # an editor's change to a public page waits for a 管理者
