from django.db.models import Max

from directory.selectors import listed
from kernel.sitemaps import SiteSitemap
from partners.models import Organization, OrganizationQuerySet


class OrganizationSitemap(SiteSitemap):
    """The organizations the public directory lists."""

    def items(self) -> OrganizationQuerySet:
        return listed().only("pk", "updated_at").order_by("pk")

    def lastmod(self, organization: Organization):
        return organization.updated_at

    def get_latest_lastmod(self):
        """For the index, without reading every organization."""
        return listed().aggregate(latest=Max("updated_at"))["latest"]
