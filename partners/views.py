from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from collanavi.pagecache import shared_page
from partners.selectors import organization_cases, organization_for_viewer, search_organizations


@require_safe
@shared_page
def organization_list(request: HttpRequest) -> HttpResponse:
    return render(request, "partners/list.html", {"result": search_organizations(request.GET)})


@require_safe
@shared_page
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = organization_for_viewer(pk)
    return render(
        request,
        "partners/detail.html",
        {"organization": organization, **organization_cases(organization)},
    )
