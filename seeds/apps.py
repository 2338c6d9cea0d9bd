from django.apps import AppConfig


class SeedsConfig(AppConfig):
    name = "seeds"
    verbose_name = "協働の種"

    def ready(self) -> None:
        from seeds import signals

        signals.connect()
