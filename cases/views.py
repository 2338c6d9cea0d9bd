from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cases.selectors import case_for_viewer, related_cases, search_cases


@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/list.html", {"result": search_cases(request.GET)})


@require_safe
def case_detail(request: HttpRequest, number: int) -> HttpResponse:
    case = case_for_viewer(number, preview=request.user.is_staff)
    return render(
        request,
        "cases/detail.html",
        {"case": case, "related": related_cases(case) if case.is_published else []},
    )
