from django.conf import settings
from django.contrib import admin
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cases.selectors import (  # the top page shows cases
    award_cases,
    featured_cases,
    newest_cases,
    search_cases,
)
from collanavi.pagecache import shared_page


@require_safe
@shared_page
def index(request: HttpRequest) -> HttpResponse:
    featured = featured_cases()
    context = {
        "facets": search_cases({}).facets,
        "featured": featured,
        "awarded": award_cases(),
        "newest": newest_cases(exclude=[case.pk for case in featured]),
    }
    return render(request, "index.html", context)


# Staff pages, forms, per-visitor pages and the heavy or endless ones (PDFs, every export
# of every filter) are left out of search engines.
ROBOTS_DISALLOW = [
    "/admin/",
    "/inquiries/",
    "/feedback/",
    "/casebook/",
    "/cases/*/update/",
    "/cases/*/pdf/",
    "/cases/export.",
]


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {settings.SITE_URL}/sitemap.xml"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """403 in Japanese, in the staff layout under /admin/, saying what each role may do."""
    if request.path.startswith("/admin/"):
        context = admin.site.each_context(request)  # the staff header, user links and titles
        return render(request, "admin/403.html", context, status=403)
    return render(request, "403.html", status=403)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
