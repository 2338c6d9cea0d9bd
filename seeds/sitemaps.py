from django.db.models import Max

from kernel.sitemaps import SiteSitemap
from seeds.models import Seed, SeedQuerySet


class SeedSitemap(SiteSitemap):
    """Every approved seed; drafts, pending and rejected ones are not listed."""

    def items(self) -> SeedQuerySet:
        return Seed.objects.public().only("pk", "updated_at").order_by("pk")

    def lastmod(self, seed: Seed):
        return seed.updated_at

    def get_latest_lastmod(self):
        return Seed.objects.public().aggregate(latest=Max("updated_at"))["latest"]
