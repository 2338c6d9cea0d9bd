from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from guide.selectors import menu, page_for_viewer
from kernel.pagecache import shared_page


@require_safe
@shared_page
def guide_page(request: HttpRequest, path: str) -> HttpResponse:
    page = page_for_viewer(f"/{path}", preview=request.user.is_staff)
    return render(request, "guide/page.html", {"page": page, "others": menu("footer")})
