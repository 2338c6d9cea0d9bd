from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from directory.selectors import (
    ORGANIZATIONS,
    merged_into,
    organization_cases,
    organization_for_viewer,
)
from kernel.pagecache import shared_page

organization_list = ORGANIZATIONS.page_view("partners/list.html")


@require_safe
@shared_page
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        organization = organization_for_viewer(pk)
    except Http404:
        kept = merged_into(pk)  # a merged duplicate's page leads to the one kept, for good
        if kept is None:
            raise
        return HttpResponsePermanentRedirect(kept.get_absolute_url())
    context = {"organization": organization, **organization_cases(organization)}
    return render(request, "partners/detail.html", context)
