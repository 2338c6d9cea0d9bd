"""The Atom feed of new and updated cases, for any search of /cases/ (a saved search)."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from cases.models import Case
from cases.selectors import matching_cases, search_cases

FEED_SIZE = 30


def _on_site(path: str, params: QueryDict) -> str:
    """The address on the public site (SITE_URL), as canonical links give it."""
    query = params.urlencode()
    return f"{settings.SITE_URL}{path}" + (f"?{query}" if query else "")


class CaseFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest) -> QueryDict:
        return request.GET

    def title(self, params: QueryDict) -> str:
        labels = [chip.label for chip in search_cases(params).chips]
        conditions = f"（{'、'.join(labels)}）" if labels else ""
        return f"{settings.SITE_NAME}：新着・更新された協働事例{conditions}"

    def subtitle(self, params: QueryDict) -> str:
        return f"{settings.PREFECTURE_NAME}の協働事例のうち、新しく掲載・更新されたもの"

    def link(self, params: QueryDict) -> str:
        return _on_site(reverse("cases:list"), params)

    def feed_url(self, params: QueryDict) -> str:
        return _on_site(reverse("cases:feed"), params)

    def item_link(self, case: Case) -> str:
        return settings.SITE_URL + case.get_absolute_url()

    def items(self, params: QueryDict) -> list[Case]:
        cases = matching_cases(params).order_by("-updated_at", "-number")
        cases = cases.select_related("lead_organization").prefetch_related("domains", "methods")
        return list(cases.defer("search_text")[:FEED_SIZE])

    def item_title(self, case: Case) -> str:
        return f"{case.title}（事例No.{case.number}）"

    def item_description(self, case: Case) -> str:
        return case.summary

    def item_author_name(self, case: Case) -> str:
        return case.lead_organization.name

    def item_pubdate(self, case: Case) -> datetime.datetime:
        if case.published_on is None:
            return case.updated_at
        return datetime.datetime.combine(
            case.published_on, datetime.time(), tzinfo=timezone.get_current_timezone()
        )

    def item_updateddate(self, case: Case) -> datetime.datetime:
        return case.updated_at

    def item_categories(self, case: Case) -> list[str]:
        return [d.name for d in case.domains.all()] + [m.name for m in case.methods.all()]
