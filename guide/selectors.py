"""Reads of guide pages: one page, and the menus every public page shows."""

from django.http import Http404

from guide.models import GuidePage
from kernel import catalogue


def page_for_viewer(path: str, *, preview: bool) -> GuidePage:
    """A published page at this address; staff may preview an unpublished one."""
    pages = GuidePage.objects.all() if preview else GuidePage.objects.published()
    page = pages.filter(path=path).first()
    if page is None:
        raise Http404("ページが見つかりません")
    return page


def menu(name: str) -> list[tuple[str, str]]:
    """(label, address) of the published pages of the header or footer menu, cached."""

    def read() -> list[tuple[str, str]]:
        pages = GuidePage.objects.published().in_menu(name)
        return [(page.label, page.path) for page in pages.only("title", "menu_label", "path")]

    return catalogue.cached("guide-menu", name, read, reads=["guidepage"])
