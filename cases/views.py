from urllib.parse import urlencode

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cases import opendata
from cases.pdf import with_pdf_data
from cases.selectors import (
    archived_case,
    canonical_query,
    case_for_viewer,
    matching_cases,
    related_cases,
    search_cases,
)
from collanavi import catalogue
from collanavi.pagecache import last_page, shared_page


@require_safe
@shared_page(query=canonical_query)
def case_list(request: HttpRequest) -> HttpResponse:
    result = search_cases(request.GET)
    if redirect := last_page(request, result.page.number):
        return redirect
    return render(request, "cases/list.html", {"result": result})


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
    return render(
        request,
        "cases/detail.html",
        {"case": case, "related": related_cases(case) if case.is_published else []},
    )


def _licensed(response: HttpResponse) -> HttpResponse:
    response["Link"] = f'<{settings.OPEN_DATA_LICENSE_URL}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


# Cases read from the database at a time while an export is written.
EXPORT_CHUNK = 100


def _export(request: HttpRequest, kind: str, content_type: str) -> HttpResponse:
    """The published cases matching the search, written once per catalogue version and
    parameters, streamed from the file after (constant memory either way)."""
    params = [(k, v) for k, v in canonical_query(request.GET) if k not in ("sort", "page")]
    path = catalogue.cached_file(f"export-{kind}", params)
    if path.exists():
        response = FileResponse(path.open("rb"), content_type=content_type)
        del response["Content-Disposition"]  # named by the view, not by the cache file
    else:
        matching = matching_cases(QueryDict(urlencode(params)))

        def produce():
            rows = with_pdf_data(matching).defer("search_text")
            cases = rows.iterator(chunk_size=EXPORT_CHUNK)
            if kind == "csv":
                return opendata.csv_lines(cases)
            return opendata.json_chunks(cases, matching.count())

        stream = catalogue.stream_file(path, produce)
        response = StreamingHttpResponse(stream, content_type=content_type)
    response["Link"] = f'<{settings.OPEN_DATA_LICENSE_URL}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


@require_safe
def case_export_csv(request: HttpRequest) -> HttpResponse:
    """The published cases matching the current search, for Excel and other tools."""
    response = _export(request, "csv", "text/csv")
    response["Content-Disposition"] = 'attachment; filename="collanavi-cases.csv"'
    return response


@require_safe
def case_export_json(request: HttpRequest) -> HttpResponse:
    return _export(request, "json", "application/json")
