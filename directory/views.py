from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from directory.selectors import ORGANIZATIONS, organization_cases, organization_for_viewer
from kernel.pagecache import shared_page

organization_list = ORGANIZATIONS.page_view("partners/list.html")


@require_safe
@shared_page
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = organization_for_viewer(pk)
    context = {"organization": organization, **organization_cases(organization)}
    return render(request, "partners/detail.html", context)
