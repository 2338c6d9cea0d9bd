from guide.models import GuidePage, GuidePageQuerySet
from kernel.sitemaps import SiteSitemap


class GuidePageSitemap(SiteSitemap):
    def items(self) -> GuidePageQuerySet:
        return GuidePage.objects.published()

    def lastmod(self, page: GuidePage):
        return page.updated_at
