from django.apps import AppConfig


class SeedsConfig(AppConfig):
    name = "seeds"
    verbose_name = "協働の種"

    def ready(self) -> None:
        from kernel import feed, search
        from seeds.models import Seed, StatusChange

        feed.track(
            Seed,
            follows={"organization": ("organization",), "area": ("area",), "domain": ("domains",)},
            m2m=("domains",),
        )
        feed.track(StatusChange, lambda row: {f"seed:{row.seed_id}"})
        search.follow(Seed)
