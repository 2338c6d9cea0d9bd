"""The Atom feed of newly listed seeds, for any search of /seeds/ (a saved search)."""

import datetime

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from kernel.listing import ListingFeed
from seeds.models import Seed
from seeds.selectors import SEEDS

FEED_SIZE = 30


class SeedFeed(ListingFeed):
    listing = SEEDS
    heading = "新着の協働の種"
    page_name, feed_name = "seeds:list", "seeds:feed"

    def subtitle(self, params: QueryDict) -> str:
        return f"{settings.PREFECTURE_NAME}で協働の相手を探している「協働の種」の新着"

    def items(self, params: QueryDict) -> list[Seed]:
        seeds = SEEDS.matching(params, "new").select_related("organization")
        seeds = seeds.prefetch_related("domains")
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
