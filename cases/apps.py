from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "協働事例"

    def ready(self) -> None:
        from cases import checks, signals  # noqa: F401 (checks register themselves)
        from cases.casebook import fill
        from kernel import pagecache

        signals.connect()
        pagecache.register_filler(fill)
