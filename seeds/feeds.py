"""The Atom feed of newly listed seeds, for any search of /seeds/ (a saved search)."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from cases.feeds import _on_site
from seeds.models import Seed
from seeds.selectors import matching_seeds, search_seeds

FEED_SIZE = 30


class SeedFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest) -> QueryDict:
        return request.GET

    def title(self, params: QueryDict) -> str:
        labels = [chip.label for chip in search_seeds(params).chips]
        conditions = f"（{'、'.join(labels)}）" if labels else ""
        return f"{settings.SITE_NAME}：新着の協働の種{conditions}"

    def subtitle(self, params: QueryDict) -> str:
        return f"{settings.PREFECTURE_NAME}で協働の相手を探している「協働の種」の新着"

    def link(self, params: QueryDict) -> str:
        return _on_site(reverse("seeds:list"), params)

    def feed_url(self, params: QueryDict) -> str:
        return _on_site(reverse("seeds:feed"), params)

    def item_link(self, seed: Seed) -> str:
        return settings.SITE_URL + seed.get_absolute_url()

    def items(self, params: QueryDict) -> list[Seed]:
        seeds = matching_seeds(params).select_related("organization").prefetch_related("domains")
        return list(seeds.defer("search_text", "staff_notes")[:FEED_SIZE])

    def item_title(self, seed: Seed) -> str:
        return f"【{seed.get_status_display()}】{seed.title}"

    def item_description(self, seed: Seed) -> str:
        return seed.wish

    def item_author_name(self, seed: Seed) -> str:
        return seed.poster

    def item_pubdate(self, seed: Seed) -> datetime.datetime:
        if seed.approved_on is None:
            return seed.updated_at
        return datetime.datetime.combine(
            seed.approved_on, datetime.time(), tzinfo=timezone.get_current_timezone()
        )

    def item_updateddate(self, seed: Seed) -> datetime.datetime:
        return seed.updated_at

    def item_categories(self, seed: Seed) -> list[str]:
        return [seed.get_kind_display(), *(d.name for d in seed.domains.all())]
