from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "guide"
    verbose_name = "ガイドページ"

    def ready(self) -> None:
        from guide import signals

        signals.connect()
