from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from directory.selectors import ORGANIZATIONS, organization_cases, organization_for_viewer
from kernel.pagecache import last_page, shared_page


@require_safe
@shared_page(query=ORGANIZATIONS.canonical_query)
def organization_list(request: HttpRequest) -> HttpResponse:
    result = ORGANIZATIONS.search(request.GET)
    if redirect := last_page(request, result.page.number):
        return redirect
    return render(request, "partners/list.html", {"result": result})


@require_safe
@shared_page
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = organization_for_viewer(pk)
    context = {"organization": organization, **organization_cases(organization)}
    return render(request, "partners/detail.html", context)
