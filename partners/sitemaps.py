from django.db.models import Max

from kernel.sitemaps import SiteSitemap
from partners.models import Organization, OrganizationQuerySet


class OrganizationSitemap(SiteSitemap):
    """The organizations the public directory lists."""

    def items(self) -> OrganizationQuerySet:
        return Organization.objects.listed().only("pk", "updated_at").order_by("pk")

    def lastmod(self, organization: Organization):
        return organization.updated_at

    def get_latest_lastmod(self):
        """For the index, without reading every organization."""
        return Organization.objects.listed().aggregate(latest=Max("updated_at"))["latest"]
