from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from cases import urls as case_urls
from cases.sitemaps import CaseSitemap
from collanavi import views
from collanavi.sitemaps import TopSitemap
from directory.sitemaps import OrganizationSitemap
from guide import views as guide_views
from guide.sitemaps import GuidePageSitemap
from inquiries import urls as inquiry_urls
from inquiries import views as inquiry_views
from kernel.facets import page_number
from kernel.pagecache import shared_document
from seeds.sitemaps import SeedSitemap

handler403 = "collanavi.views.permission_denied"


def sitemap_page(params) -> list[tuple[str, str]]:
    return [("p", v) for v in params.getlist("p")[:1] if page_number(v)]


SITEMAPS = {
    "top": TopSitemap,
    "guide": GuidePageSitemap,
    "cases": CaseSitemap,
    "organizations": OrganizationSitemap,
    "seeds": SeedSitemap,
}

urlpatterns = [
    path("", views.index, name="index"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        require_safe(shared_document(sitemap_views.index)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        require_safe(shared_document(sitemap_views.sitemap, query=sitemap_page)),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    # A case's update proposal (inquiries) lives under the case's address, in its namespace.
    path("cases/", include(([*case_urls.urlpatterns, *inquiry_urls.case_urlpatterns], "cases"))),
    path("organizations/", include("directory.urls")),
    path("casebook/", include("cases.casebook_urls")),
    path("stats/", include("stats.urls")),
    path("seeds/", include("seeds.urls")),
    path("inquiries/", include("inquiries.urls")),
    path("feedback/", inquiry_views.feedback, name="feedback"),
    path("privacy/", guide_views.guide_page, {"path": "privacy/"}, name="privacy"),
    path("admin/", admin.site.urls),
    path("", include("guide.urls")),  # last: any other address of words ending in "/"
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
