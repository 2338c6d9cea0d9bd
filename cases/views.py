from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
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


@require_safe
def case_export_csv(request: HttpRequest) -> HttpResponse:
    """The published cases matching the current search, for Excel and other tools."""
    cases = with_pdf_data(matching_cases(request.GET)).iterator(chunk_size=200)
    response = StreamingHttpResponse(opendata.csv_lines(cases), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="collanavi-cases.csv"'
    return _licensed(response)


@require_safe
def case_export_json(request: HttpRequest) -> HttpResponse:
    cases = with_pdf_data(matching_cases(request.GET)).iterator(chunk_size=200)
    response = JsonResponse(opendata.document(cases), json_dumps_params={"ensure_ascii": False})
    return _licensed(response)
