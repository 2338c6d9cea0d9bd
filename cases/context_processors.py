from django.http import HttpRequest
from django.utils.safestring import mark_safe

from cases.casebook import COUNT_HOLE, Casebook
from kernel import pagecache


def casebook(request: HttpRequest) -> dict:
    """The header's casebook counter; a hole on a shared page (filled by casebook.fill)."""
    if pagecache.is_shared(request):
        return {"casebook_count": mark_safe(COUNT_HOLE)}
    session = getattr(request, "session", None)
    return {"casebook_count": len(Casebook(session)) if session is not None else 0}
