"""Facets for the listings (kernel.listing): lenient GET parsing, counts, chips."""

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import QueryDict

from kernel import bitmaps, catalogue, feed
from lib.text import keyword_terms

MAX_VALUES_PER_FACET = 50


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the known values of a list and drops the rest, so a stale or edited URL still works."""

    def clean(self, value):
        if not isinstance(value, list | tuple):
            value = [value] if value else []
        known = {str(k) for k, _ in self.choices}
        values = dict.fromkeys(str(v) for v in value if str(v) in known)
        return list(values)[:MAX_VALUES_PER_FACET]

    def __deepcopy__(self, memo):
        """Each search's form copies its fields: the options are shared, not copied (they are
        the same for every search of a catalogue version, and nothing changes them)."""
        return forms.Field.__deepcopy__(self, memo)


class FacetFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


@dataclass(frozen=True)
class FacetSpec:
    """A facet declared once: its GET parameter, label, options, SQL filter and bitmap members.

    What a row is counted under comes through `values` either from the row's own `fields` (read
    with the index's sort columns, in the one query that reads the rows) or, for related rows
    (a case's domains), from `members`: a query of its own of (row id, value) pairs."""

    name: str
    label: str
    options: Callable[[], list[tuple[str, str]]]  # read once per catalogue version
    filter: Callable[[QuerySet, list[str]], QuerySet]  # rows having any of these values
    # The row's fields, and given every facet's options (as the search shows them) and those
    # fields' values, the values the row is counted under.
    fields: tuple[str, ...] = ()
    values: Callable[..., Iterable[str]] = (
        lambda options, value: () if value is None else (str(value),)
    )
    # Or: given some rows, a `values_list` of (row id, value) of their related rows, each
    # value passed to `values` (a row is counted under each; duplicates count once).
    members: Callable[[QuerySet], QuerySet] | None = None
    # The kinds of the change feed its options read ("domain"): they are read again only when
    # one of those changed (none: fixed options)
    reads: tuple[str, ...] = ()


# Per FilterSet class and options: the options and the form class made for them.
_form_classes: dict[tuple, tuple[dict, type]] = {}
_form_classes_lock = threading.Lock()


class FacetFilterSet(django_filters.FilterSet):
    """A FilterSet whose facet choices come from the database at request time."""

    @classmethod
    def declaring(cls, facets: list[FacetSpec]) -> type["FacetFilterSet"]:
        """A FilterSet with the keyword `q` and one lenient filter per declared facet; values
        within a facet are OR-ed, facets are AND-ed."""
        filters = {
            spec.name: FacetFilter(
                method=lambda qs, name, value, spec=spec: spec.filter(qs, value), label=spec.label
            )
            for spec in facets
        }
        filters["q"] = django_filters.CharFilter(method="filter_keyword", label="キーワード")
        return type("FacetFilterSet", (cls,), filters)

    def filter_keyword(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.matching(keyword_terms(value))

    @property
    def keyword_terms(self) -> list:
        return keyword_terms(self.form.cleaned_data.get("q") or "")

    def __init__(self, data, *, queryset: QuerySet, choices: dict[str, list]):
        super().__init__(data, queryset=queryset)
        self.choices = choices
        for name, facet_choices in choices.items():
            self.filters[name].extra["choices"] = facet_choices
        self.is_valid()  # every field is lenient: cleaned_data always holds what is usable

    def get_form_class(self):
        """The form made once per listing and set of options (django-filter makes a class and
        its fields for every search): the options are kept per version, the same object until
        they change."""
        key = (type(self), id(self.choices))
        found = _form_classes.get(key)
        if found is not None and found[0] is self.choices:
            return found[1]
        form_class = super().get_form_class()
        with _form_classes_lock:
            _form_classes[key] = (self.choices, form_class)
            while len(_form_classes) > 32:
                del _form_classes[next(iter(_form_classes))]
        return form_class

    def selected(self, name: str) -> set[str]:
        return set(self.form.cleaned_data.get(name) or [])

    def filter_except(self, queryset: QuerySet, exclude: str | None) -> QuerySet:
        """Apply every active filter but one facet's: the base of that facet's counts."""
        for name, value in self.form.cleaned_data.items():
            if name != exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


def options(name: str, facets: list[FacetSpec], key=None) -> dict[str, list]:
    """Each facet's options (for this `key`), kept until a kind they read changes: an edit of
    a case reads again only the options that read cases, not the taxonomies'."""
    versions = feed.versions_of(k for spec in facets for k in spec.reads)
    stamps = {spec.name: [versions[k] for k in spec.reads] for spec in facets}
    cache_key = f"facet-options:{name}:{catalogue.digest(key)}"
    return catalogue.kept(
        f"{cache_key}:{catalogue.digest(stamps)}",
        lambda: _options(cache_key, facets, stamps),
    )


def _options(cache_key: str, facets: list[FacetSpec], stamps: dict) -> dict[str, list]:
    """The options from the shared cache, each facet's read again if a kind it reads moved."""
    kept_stamps, kept = cache.get(cache_key) or ({}, {})
    found = {
        spec.name: kept[spec.name]
        if spec.name in kept and kept_stamps.get(spec.name) == stamps[spec.name]
        else list(spec.options())
        for spec in facets
    }
    if found != kept or kept_stamps != stamps:
        cache.set(cache_key, (stamps, found), catalogue.TIMEOUT)
    return found


def each(options: dict, values: Iterable[str] | None) -> Iterable[str]:
    """A list field's values (a seed's wanted resources): counted under each."""
    return values or ()


def faceted_search(
    index: bitmaps.FacetIndex,
    facets: list[FacetSpec],
    filterset: FacetFilterSet,
    choices: dict[str, list],
    *,
    order: str,
    page: str | None,
    per_page: int,
) -> dict:
    """One page of ids of the rows matching the keyword and the facets, the total and each
    facet's counts: from the bitmaps and the cached keyword matches, cacheable as it is."""
    terms = filterset.keyword_terms
    model = filterset.queryset.model
    within = catalogue.matching_keys(model, terms) if terms else None
    selected = {spec.name: filterset.selected(spec.name) for spec in facets}
    result, counts = index.match(selected, within)
    number = Paginator(range(len(result)), per_page).get_page(page).number
    return {
        "total": len(result),
        "page": number,
        "ids": index.page(result, order, (number - 1) * per_page, per_page),
        "facets": [
            facet(spec.name, spec.label, choices[spec.name], counts[spec.name], selected[spec.name])
            for spec in facets
        ],
    }


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]

    @property
    def selected_count(self) -> int:
        return sum(v.selected for v in self.values)


@dataclass
class Chip:
    label: str
    remove_query: str


def facet(name: str, label: str, options, counts: dict, selected: set[str]) -> Facet:
    """A facet's values in the order of its options, each with its count."""
    values = [
        FacetValue(str(value), text, counts.get(str(value), 0), str(value) in selected)
        for value, text in options
    ]
    return Facet(name, label, values)


def page_number(value: str) -> bool:
    """A page number as a link writes it (the view shows the last page past the end)."""
    return value.isascii() and value.isdigit() and 1 <= int(value) <= 100_000


def canonical(filterset: FacetFilterSet, params: QueryDict, **others) -> list[tuple[str, str]]:
    """The parameters of a search that mean something, each value once: the facets' known
    values, the keyword, and `others` (name: a test of a value) that pass."""
    pairs = []
    for name, value in filterset.form.cleaned_data.items():
        values = value if isinstance(value, list) else [value]
        pairs += [(name, str(v)) for v in values if v not in ("", None)]
    for name, valid in others.items():
        pairs += [(name, v) for v in params.getlist(name)[:1] if valid(v)]
    return pairs


def as_query_dict(params: QueryDict | dict) -> QueryDict:
    if isinstance(params, QueryDict):
        return params
    query_dict = QueryDict(mutable=True)
    for key, value in params.items():
        query_dict.setlist(key, value if isinstance(value, list) else [value])
    return query_dict


def chips(params: QueryDict, query: str, facets: list[Facet]) -> list[Chip]:
    """One removable chip per active keyword and facet value."""

    def without(name: str, value: str | None = None) -> str:
        rest = params.copy()
        rest.pop("page", None)
        if value is None:
            rest.pop(name, None)
        else:
            rest.setlist(name, [v for v in rest.getlist(name) if v != value])
        return rest.urlencode()

    result = [Chip(f"キーワード：{query}", without("q"))] if query else []
    for f in facets:
        for value in f.values:
            if value.selected:
                result.append(Chip(f"{f.label}：{value.label}", without(f.name, value.value)))
    return result
