"""The roof's entry pages in the sitemap."""

from django.urls import reverse

from kernel.sitemaps import SiteSitemap


class TopSitemap(SiteSitemap):
    """The entry pages."""

    changefreq = "daily"

    def items(self) -> list[str]:
        return ["index", "cases:list", "partners:list", "stats:page", "seeds:list"]

    def location(self, item: str) -> str:
        return reverse(item)
