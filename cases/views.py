from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from cases import opendata, tasks
from cases.selectors import CASES, archived_case, case_for_viewer, related_cases
from kernel import catalogue
from kernel.listing import licensed
from kernel.pagecache import shared_page

case_list = CASES.page_view("cases/list.html")


@require_safe
@shared_page
def case_detail(request: HttpRequest, number: int) -> HttpResponse:
    try:
        case = case_for_viewer(number, preview=request.user.is_staff)
    except Http404:
        ended = archived_case(number)
        if ended is None:
            raise
        # 410: a casebook printed earlier still names this URL; say what became of it.
        context = {"case": ended, "related": related_cases(ended)}
        return render(request, "cases/ended.html", context, status=410)
    related = related_cases(case) if case.is_published else []
    return render(request, "cases/detail.html", {"case": case, "related": related})


def _export(request: HttpRequest, kind: str, content_type: str) -> HttpResponse:
    """The published cases matching the search, written once per catalogue version and
    parameters and streamed from the file after (constant memory either way). A long one is
    written by the worker: meanwhile the last one written is served, or a page asks to retry."""
    params = CASES.conditions(request.GET)
    path = catalogue.cached_file(f"export-{kind}", params)
    if path.exists():
        response = _file_response(path, content_type)
    elif opendata.matching(params).count() <= settings.EXPORT_IN_REQUEST_MAX:
        stream = catalogue.stream_file(path, lambda: opendata.lines(kind, params))
        response = StreamingHttpResponse(stream, content_type=content_type)
    else:
        tasks.export_soon(kind, params)
        earlier = catalogue.newest_file(path)
        if earlier is None:
            response = render(
                request, "cases/export_pending.html", {"retry": EXPORT_RETRY_SECONDS}, status=503
            )
            response["Retry-After"] = str(EXPORT_RETRY_SECONDS)
            add_never_cache_headers(response)
            response._has_been_logged = True  # expected, not a fault: not logged as an error
            return response
        response = _file_response(earlier, content_type)
    return licensed(response)


# A long export being written: when to ask again.
EXPORT_RETRY_SECONDS = 30


def _file_response(path, content_type: str) -> FileResponse:
    response = FileResponse(path.open("rb"), content_type=content_type)
    del response["Content-Disposition"]  # named by the view, not by the cache file
    response["Last-Modified"] = http_date(path.stat().st_mtime)  # when it was written
    return response


@require_safe
def case_export_csv(request: HttpRequest) -> HttpResponse:
    """The published cases matching the current search, for Excel and other tools."""
    response = _export(request, "csv", "text/csv")
    if response.status_code == 200:  # not the page asking to retry
        response["Content-Disposition"] = 'attachment; filename="collanavi-cases.csv"'
    return response


@require_safe
def case_export_json(request: HttpRequest) -> HttpResponse:
    return _export(request, "json", "application/json")
