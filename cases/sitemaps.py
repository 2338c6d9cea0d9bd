from django.db.models import Max

from cases.models import Case, CaseQuerySet
from kernel.sitemaps import SiteSitemap


class CaseSitemap(SiteSitemap):
    """Every published case; drafts and archived cases are not listed."""

    def items(self) -> CaseQuerySet:
        return Case.objects.published().only("number", "updated_at").order_by("number")

    def lastmod(self, case: Case):
        return case.updated_at

    def get_latest_lastmod(self):
        """For the index, without reading every case."""
        return Case.objects.published().aggregate(latest=Max("updated_at"))["latest"]
