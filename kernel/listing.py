"""One faceted listing, declared per app and run here: cases, organizations and seeds.

A `Listing` declares its public rows, facets (`FacetSpec`s), sorts, page size, the index's sort
columns and what a card shows. The kernel does the rest, once for all: the canonical query a
page is cached under, the keyword rule and its notice, the facet counts and the page from the
bitmap index (`kernel.bitmaps`), cached per catalogue version, the index's build and its refresh
from the change feed (the rows `feed.affected` names, through the model's tracked `follows`),
the rows a search matches (exports, feeds) and the Atom feed of a search. See docs/listings.md.
"""

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from kernel import bitmaps, catalogue, facets, feed, prepared
from kernel.facets import Chip, Facet, FacetFilterSet, FacetSpec, as_query_dict, chips
from kernel.pagecache import last_page, shared_page
from lib.text import MAX_QUERY_LENGTH

Params = QueryDict | dict


@dataclass(frozen=True)
class Sort:
    label: str
    key: bitmaps.Order  # the order over the index's columns
    order_by: tuple = ()  # the same order in SQL, for the rows a search matches


class Column:
    """A sort column of the index: the fields it reads of a row, and the value it keeps
    (an integer, `bitmaps.NULL` for none, or a text for ascending orders only)."""

    def __init__(self, *fields: str, value: Callable[..., int | str] = lambda v: v):
        self.fields = fields
        self.value = value


def day(value: datetime.date | None) -> int:
    """A date as a column keeps it: none is lowest (last when newest first)."""
    return value.toordinal() if value else bitmaps.NULL


def amount(value: int | None) -> int:
    return bitmaps.NULL if value is None else value


@dataclass
class ListingResult:
    page: Page
    total: int
    facets: list[Facet]
    chips: list[Chip]
    query: str
    sort: str
    sorts: list[tuple[str, str]]  # (key, label) of each sort, for the sort menu
    notices: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Listing:
    """A faceted listing (see the module's docstring); the first sort is the default."""

    name: str  # names its index, its caches and its facets' options
    rows: Callable[[], QuerySet]  # what the public sees
    facets: list[FacetSpec]
    sorts: dict[str, Sort]
    columns: dict[str, Column]  # what the sorts' keys read
    # What a result card shows of the rows with these ids, in a fixed number of queries.
    cards: Callable[[list[int]], Iterable]
    page_size: int = 20
    # What else the facets' options depend on (the case search's: the fiscal year).
    options_key: Callable[[], Any] = lambda: None
    # What else the index depends on, from the options: an index with another stamp is rebuilt.
    stamp: Callable[[dict[str, list]], Any] = lambda choices: None
    # The kinds the model's rows follow (feed.track's `follows`) whose fields the index reads:
    # a change of such a row re-reads the rows that follow it.
    reads: tuple[str, ...] = ()
    # Rows a change may move that the model's follows do not reach (the directory: the
    # organizations that gained or lost a case).
    also_affected: Callable[[set[str]], Iterable[int]] = lambda changes: ()

    def __post_init__(self):
        self.filterset_class = FacetFilterSet.declaring(self.facets)

    @property
    def model(self):
        return self.rows().model

    @property
    def default_sort(self) -> str:
        return next(iter(self.sorts))

    def choices(self) -> dict[str, list]:
        """Each facet's options, read once per catalogue version."""
        return facets.options(self.name, self.facets, self.options_key())

    def filterset(self, params: Params) -> FacetFilterSet:
        """The search's filters over the public rows, with each facet's possible values."""
        params = as_query_dict(params)
        memo = feed.request_memo()  # the page's key and the page itself ask the same
        key = self._memo_key(params.lists())
        if memo is not None and key in memo:
            return memo[key]
        choices = self.choices()
        found = self.filterset_class(params, queryset=self.rows(), choices=choices)
        if memo is not None:
            memo[key] = found
        return found

    def _memo_key(self, lists: Iterable[tuple[str, list[str]]]) -> tuple:
        return ("filterset", self.name, tuple(sorted((k, tuple(v)) for k, v in lists)))

    def canonical_query(self, params: QueryDict) -> list[tuple[str, str]]:
        """The parameters of a search that change its page (one cached page each)."""
        others = {"sort": lambda v: v in self.sorts} if len(self.sorts) > 1 else {}
        filterset = self.filterset(params)
        pairs = facets.canonical(filterset, params, **others, page=facets.page_number)
        if (memo := feed.request_memo()) is not None:
            # The page is then made from these parameters alone: they mean the same filters.
            lists: dict[str, list[str]] = {}
            for name, value in pairs:
                lists.setdefault(name, []).append(value)
            memo[self._memo_key(lists.items())] = filterset
        return pairs

    def conditions(self, params: QueryDict) -> list[tuple[str, str]]:
        """The parameters that choose the rows: the canonical ones but the sort and the page."""
        return [(k, v) for k, v in self.canonical_query(params) if k not in ("sort", "page")]

    def matching(self, params: Params, sort: str) -> QuerySet:
        """The public rows matching the search parameters, in this sort's SQL order."""
        filterset = self.filterset(params)
        found = filterset.filter_except(filterset.queryset, exclude=None)
        return found.order_by(*self.sorts[sort].order_by)

    def page_view(self, template: str) -> Callable[[HttpRequest], HttpResponse]:
        """The listing's public page: shared by every visitor under its canonical query; a page
        past the end redirects to the last one."""

        @require_safe
        @shared_page(query=self.canonical_query)
        def view(request: HttpRequest) -> HttpResponse:
            result = self.search(request.GET)
            if redirect := last_page(request, result.page.number):
                return redirect
            return render(request, template, {"result": result})

        return view

    def search(self, params: Params) -> ListingResult:
        """One page of the rows matching the GET parameters, with the facet counts.

        The counts and the page's ids are cached until the catalogue changes.
        """
        params = as_query_dict(params)
        filterset = self.filterset(params)
        query, notices = keyword(filterset)
        sort = params.get("sort", self.default_sort)
        sort = sort if sort in self.sorts else self.default_sort
        found = self._found(filterset, sort, params.get("page"))
        page = Paginator(range(found["total"]), self.page_size).get_page(found["page"])
        page.object_list = self.in_order(found["ids"])
        return ListingResult(
            page=page,
            total=found["total"],
            facets=found["facets"],
            chips=chips(params, query, found["facets"]),
            query=query,
            sort=sort,
            sorts=[(key, s.label) for key, s in self.sorts.items()],
            notices=notices,
        )

    def totals(self) -> tuple[int, list[Facet]]:
        """The number of public rows and every facet's counts, as the unfiltered page shows
        them (the same cached search)."""
        found = self._found(self.filterset({}), self.default_sort, None)
        return found["total"], found["facets"]

    def _found(self, filterset: FacetFilterSet, sort: str, page: str | None) -> dict:
        choices = filterset.choices

        def compute() -> dict:
            return facets.faceted_search(
                self.index(choices),
                self.facets,
                filterset,
                choices,
                order=sort,
                page=page,
                per_page=self.page_size,
            )

        # Kept by the process, not shared: another process asking the same search finds its
        # page in the shared cache, so a shared copy would only cost two round trips.
        # The options' own key too: the fiscal year's turn changes the year facet's options.
        key = (sorted(filterset.form.cleaned_data.items()), sort, page, self.options_key())
        return catalogue.kept(f"{self.name}-search:{catalogue.key_for(key)}", compute)

    def in_order(self, ids: list[int]) -> list:
        """Cards for these rows, in this order: those this process made since no change
        concerned them (`HeldCards`), the others read in a fixed number of queries."""
        if self.name not in _held_cards:
            _held_cards[self.name] = HeldCards(self.model)
        by_pk = _held_cards[self.name].get(ids, lambda missing: self.cards(missing))
        return [by_pk[pk] for pk in ids if pk in by_pk]

    # --- the bitmap index -------------------------------------------------------------------

    def index(self, choices: dict[str, list] | None = None) -> bitmaps.FacetIndex:
        """The bitmaps of the public rows for the current catalogue version."""
        choices = choices or self.choices()
        stamp = self.stamp(choices)
        orders = {name: sort.key for name, sort in self.sorts.items()}

        def build() -> bitmaps.FacetIndex:
            return bitmaps.FacetIndex.build(self.index_rows(choices), orders, stamp)

        def refresh(index: bitmaps.FacetIndex, changes: set[str]) -> bitmaps.FacetIndex:
            # ids first: an OR with a subquery would make PostgreSQL scan every row
            changed = sorted(self.affected(changes))
            return index.refreshed(changed, self.index_rows(choices, changed))

        return bitmaps.current(self.name, stamp, build, refresh)

    def affected(self, changes: set[str]) -> set[int]:
        """The rows whose place in the index these changes may move: those named, those
        following a changed row of a kind the index reads, and `also_affected`."""
        kinds = {feed.kind_of(self.model), *self.reads}
        read = {c for c in changes if c.partition(":")[0] in kinds}
        return feed.affected(self.model, read) | set(self.also_affected(changes))

    def index_rows(self, choices: dict[str, list], ids: list[int] | None = None) -> bitmaps.Rows:
        """What the index holds of the public rows (or of those among `ids`): their facet values
        and sort columns, the row's own fields in one query, each facet of related rows in one
        more. A few rows' reads (a refresh) run SQL made once per process (kernel.prepared)."""
        own = [spec for spec in self.facets if spec.members is None]
        wanted = [f for c in self.columns.values() for f in c.fields]
        wanted += [f for spec in own for f in spec.fields]
        fields = [f for f in dict.fromkeys(wanted) if f != "pk"]
        at = {"pk": 0, **{f: i + 1 for i, f in enumerate(fields)}}
        reads = [
            (name, c.value, itemgetter(*[at[f] for f in c.fields]), len(c.fields) > 1)
            for name, c in self.columns.items()
        ]
        facet_reads = [(spec, [at[f] for f in spec.fields]) for spec in own]
        ids_read, columns = [], {name: {} for name in self.columns}
        members = {spec.name: [] for spec in own}
        related = [spec for spec in self.facets if spec.members is not None]
        # the index sorts for itself: no sort in the database
        found, *pairs = self._read_each(
            [("rows", lambda rows: rows.values_list("pk", *fields))]
            + [(spec.name, spec.members) for spec in related],
            ids,
        )
        for row in found:
            pk = row[0]
            ids_read.append(pk)
            for name, value, get, several in reads:
                columns[name][pk] = value(*get(row)) if several else value(get(row))
            for spec, positions in facet_reads:
                values = spec.values(choices, *[row[i] for i in positions])
                members[spec.name].extend((pk, v) for v in values)
        for spec, spec_pairs in zip(related, pairs, strict=True):
            members[spec.name] = [
                (pk, v) for pk, value in spec_pairs for v in spec.values(choices, value)
            ]
        return bitmaps.Rows(ids_read, members, columns)

    def _read_each(
        self, reads: list[tuple[str, Callable[[QuerySet], QuerySet]]], ids: list[int] | None
    ) -> list:
        """Each read of the public rows, or of those among `ids` by prepared reads (one round
        trip for them all)."""
        if ids is None:
            return [read(self.rows().order_by()) for _, read in reads]
        return prepared.rows_each(
            [
                (
                    f"{self.name}:{name}",
                    lambda keys, read=read: read(self.rows().filter(pk__any_of=keys).order_by()),
                    ids,
                )
                for name, read in reads
            ]
        )


class HeldCards:
    """A process's cards of one listing's rows (plain values: a case's card), kept across
    catalogue versions like the bitmap index: a new version drops only the cards of the rows
    its changes concern (`feed.affected`, through the model's tracked `follows`: a renamed
    organization drops the cards of its cases), or every card when the feed cannot say."""

    MAX_CARDS = 5000  # per listing and process: a few megabytes

    def __init__(self, model):
        self.model = model
        self.version = ""
        self.cards: OrderedDict[int, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, ids: list[int], read: Callable[[list[int]], Iterable]) -> dict[int, Any]:
        now = catalogue.version()
        with self.lock:
            if self.version != now:
                self._follow(now)
            found = {pk: self.cards[pk] for pk in ids if pk in self.cards}
        missing = [pk for pk in ids if pk not in found]
        if not missing:
            return found
        fresh = {card.pk: card for card in read(missing)}
        with self.lock:
            if self.version == now:  # not a version moved on meanwhile (another thread)
                self.cards.update(fresh)
                while len(self.cards) > self.MAX_CARDS:
                    self.cards.popitem(last=False)
        return found | fresh

    def _follow(self, now: str) -> None:
        changes = catalogue.changes_between(self.version, now) if self.version else None
        if changes is None:
            self.cards.clear()
        else:
            for pk in feed.affected(self.model, changes):
                self.cards.pop(pk, None)
        self.version = now


_held_cards: dict[str, HeldCards] = {}


def forget() -> None:
    """Drop the cards this process holds (a test's database starts its feed again)."""
    _held_cards.clear()


def keyword(filterset: FacetFilterSet) -> tuple[str, list[str]]:
    """The search's keyword as typed, cut to MAX_QUERY_LENGTH, and the notice saying so."""
    query = (filterset.form.cleaned_data.get("q") or "").strip()
    if len(query) <= MAX_QUERY_LENGTH:
        return query, []
    notice = f"キーワードが長すぎるため、先頭の{MAX_QUERY_LENGTH}文字で検索しました。"
    return query[:MAX_QUERY_LENGTH], [notice]


# --- feeds and exports ----------------------------------------------------------------------


def on_site(path: str, params: QueryDict) -> str:
    """The address on the public site (SITE_URL), as canonical links give it."""
    query = params.urlencode()
    return f"{settings.SITE_URL}{path}" + (f"?{query}" if query else "")


class ListingFeed(Feed):
    """The Atom feed of any search of a listing (a saved search): its title names the filters."""

    feed_type = Atom1Feed
    listing: Listing
    heading: str  # what the feed lists, after the site's name
    page_name: str  # URL names of the listing's page and of this feed
    feed_name: str

    def get_object(self, request: HttpRequest) -> QueryDict:
        return request.GET

    def title(self, params: QueryDict) -> str:
        labels = [chip.label for chip in self.listing.search(params).chips]
        conditions = f"（{'、'.join(labels)}）" if labels else ""
        return f"{settings.SITE_NAME}：{self.heading}{conditions}"

    def link(self, params: QueryDict) -> str:
        return on_site(reverse(self.page_name), params)

    def feed_url(self, params: QueryDict) -> str:
        return on_site(reverse(self.feed_name), params)

    def item_link(self, item) -> str:
        return settings.SITE_URL + item.get_absolute_url()


def licensed(response: HttpResponse) -> HttpResponse:
    """An open-data export: its license, and readable by any site."""
    response["Link"] = f'<{settings.OPEN_DATA_LICENSE_URL}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
