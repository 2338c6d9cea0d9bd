import logging

from django.conf import settings
from django.contrib import admin
from django.core.cache import caches
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cases.selectors import (  # the top page shows cases
    CASES,
    award_cases,
    featured_cases,
    newest_cases,
)
from kernel.cache import ping
from kernel.pagecache import shared_page

logger = logging.getLogger(__name__)


@require_safe
@shared_page
def index(request: HttpRequest) -> HttpResponse:
    from seeds.selectors import newest_open_seeds  # a higher app: the board's newest seeds

    featured = featured_cases()
    context = {
        "facets": CASES.search({}).facets,
        "featured": featured,
        "awarded": award_cases(),
        "newest": newest_cases(exclude=[case.pk for case in featured]),
        "seeds": newest_open_seeds(),
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
    "/seeds/new/",
    "/seeds/*/consult/",
    "/seeds/export.",
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
    """Liveness: the process answers (a load balancer restarts it otherwise)."""
    return JsonResponse({"status": "ok"})


def _database() -> dict:
    """Readable, and writable: a write that is rolled back."""
    recorder = MigrationRecorder(connection)
    if not recorder.migration_qs.exists():
        raise DatabaseError("no migrations applied")
    table = connection.ops.quote_name(recorder.migration_qs.model._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET app = app WHERE id = (SELECT MIN(id) FROM {table})")
        transaction.set_rollback(True)
    return {"read": "ok", "write": "ok"}


def _caches() -> dict:
    for alias in settings.CACHES:
        ping(alias)
    return {alias: caches[alias].__class__.__name__ for alias in settings.CACHES}


def _tasks() -> dict:
    from django_tasks_db.models import DBTaskResult  # the PDF workers' queue

    waiting = DBTaskResult.objects.ready()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0
    return {"waiting": waiting.count(), "oldest_waiting_seconds": round(age)}


READINESS = {"database": _database, "cache": _caches, "tasks": _tasks}


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: each part the site needs, with 503 when any fails (the site still serves
    pages without Redis, from the database, but slower: a load balancer should know)."""
    parts, ready = {}, True
    for name, check in READINESS.items():
        try:
            parts[name] = {"status": "ok", **check()}
        except Exception as error:  # any failure is the answer, never a 500
            logger.error("Readiness check %s failed: %r", name, error)
            parts[name] = {"status": "error", "error": error.__class__.__name__}
            ready = False
    body = {"status": "ok" if ready else "error", **parts}
    return JsonResponse(body, status=200 if ready else 503)
