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
        _register_panels()
        _register_mentions()


def _register_panels() -> None:
    """The seeds that lower apps' pages show: on a case's theme, and an organization's own."""
    from kernel import panels
    from seeds.matching import seeds_on_theme
    from seeds.selectors import organization_seeds

    def on_theme(case) -> dict | None:
        seeds = seeds_on_theme(case) if case.is_published else []
        return {"seeds": seeds} if seeds else None

    def of_organization(organization) -> dict | None:
        seeds = organization_seeds(organization)
        return {"seeds": seeds} if seeds else None

    panels.register("cases.case", "seeds/panels/case.html", on_theme)
    panels.register("partners.organization", "seeds/panels/organization.html", of_organization)


def _register_mentions() -> None:
    """An approved seed prints its poster organization's name: a change to it waits for a
    管理者 (kernel.review)."""
    from kernel import review
    from partners.models import Organization
    from seeds.models import Seed

    review.register_mention(
        Organization, lambda org: Seed.objects.public().filter(organization=org.pk).exists()
    )
