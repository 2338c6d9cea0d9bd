"""The Atom feed of new and updated cases, for any search of /cases/ (a saved search)."""

import datetime

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from cases.models import Case
from cases.selectors import CASES
from kernel.listing import ListingFeed

FEED_SIZE = 30


class CaseFeed(ListingFeed):
    listing = CASES
    heading = "新着・更新された協働事例"
    page_name, feed_name = "cases:list", "cases:feed"

    def subtitle(self, params: QueryDict) -> str:
        return f"{settings.PREFECTURE_NAME}の協働事例のうち、新しく掲載・更新されたもの"

    def items(self, params: QueryDict) -> list[Case]:
        cases = CASES.matching(params, "number").order_by("-updated_at", "-number")
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
