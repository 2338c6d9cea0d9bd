"""Reads by id whose SQL is made once per process (kernel.prepared) give what their QuerySets
give, on either database, and refuse a read whose SQL would depend on the ids."""

import datetime

import pytest

from cases.models import Award, Case
from cases.selectors import _CARD_PARTS, CASES, cards_by_id, case_cards
from directory.selectors import ORGANIZATIONS
from kernel import prepared
from seeds.selectors import SEEDS
from seeds.selectors import cards_by_id as seed_cards_by_id
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    partner = factories.organization("株式会社ちば", kind="company")
    made = [
        factories.case(f"事例{n}", number=n, partners=(partner,), photos=n % 2, budget=n * 1000)
        for n in range(1, 5)
    ]
    Award.objects.create(case=made[1], name="ちば県民協働大賞", category="大賞", year=2024)
    Award.objects.create(case=made[1], name="地域づくり賞", year=2023, awarding_body="千葉県")
    return made


def test_card_reads_give_what_their_querysets_give(cases):
    ids = [case.pk for case in cases]
    for part, build in _CARD_PARTS.items():
        for keys in (ids, ids[:1], [ids[2], ids[0]]):
            rows = prepared.rows(f"test:{part}", build, keys)
            assert rows == list(build(keys)), part
    assert prepared.rows("test:none", _CARD_PARTS["awards"], []) == []


def test_a_page_of_cards_is_the_same_as_from_the_cases_queryset(cases):
    ids = [cases[2].pk, cases[0].pk, cases[1].pk]
    cards = cards_by_id(ids)
    assert [card.number for card in cards] == [3, 1, 2]
    assert cards[0].photo is not None and cards[2].photo is None
    assert [a.title for a in cards[2].awards] == ["ちば県民協働大賞 大賞", "地域づくり賞"]
    assert cards[2].partner_types == ("企業",)
    assert case_cards(Case.objects.filter(pk__in=ids).order_by("number")) == sorted(
        cards, key=lambda card: card.number
    )
    assert cards_by_id([cases[0].pk, -1]) == cards_by_id([cases[0].pk])  # a gone row: no card


def test_seed_cards_convert_their_values_as_the_orm_does():
    seed = factories.seed(deadline=datetime.date(2027, 3, 31), resources_wanted=["people"])
    (card,) = seed_cards_by_id([seed.pk])
    assert card.deadline == datetime.date(2027, 3, 31)
    assert card.resources_wanted == ("people",)
    assert card.domains == ("まちづくり",)


@pytest.mark.parametrize("listing", [CASES, SEEDS, ORGANIZATIONS], ids=lambda x: x.name)
def test_an_index_refresh_reads_what_a_build_reads_of_those_rows(listing, cases):
    factories.seed()
    factories.seed("種の二つめ", domains=("福祉", "まちづくり"))
    choices = listing.choices()
    everything = listing.index_rows(choices)
    ids = sorted(everything.ids)[:3]
    some = listing.index_rows(choices, [*ids, -1])
    assert sorted(some.ids) == ids
    for name, pairs in everything.facets.items():
        assert sorted(some.facets[name]) == sorted(p for p in pairs if p[0] in ids), name
    for name, values in everything.columns.items():
        assert some.columns[name] == {pk: v for pk, v in values.items() if pk in ids}, name


def test_a_read_whose_sql_depends_on_the_ids_is_refused(cases):
    with pytest.raises(ValueError, match="pk__any_of"):
        prepared.rows(
            "test:by-in", lambda keys: Case.objects.filter(pk__in=keys).values_list("pk"), [1]
        )
    with pytest.raises(ValueError, match="pk__any_of"):
        prepared.rows("test:no-ids", lambda keys: Case.objects.values_list("pk"), [1])


def test_a_fixed_read_sees_each_change():
    from cases.filters import fiscal_year, year_choices

    factories.case(start_year=2015)
    assert year_choices()[-1] == ("2015", "2015年度")
    factories.case(start_year=2009)
    assert year_choices()[-1] == ("2009", "2009年度")
    factories.case(start_year=fiscal_year() + 2)
    assert year_choices()[0][0] == str(fiscal_year() + 2)


def test_several_reads_at_once_give_each_reads_rows_and_each_query_is_counted(
    cases, django_assert_num_queries
):
    ids = [case.pk for case in cases]
    reads = [(f"test:{part}", build, ids) for part, build in _CARD_PARTS.items()]
    alone = [prepared.rows(*read) for read in reads]  # PostgreSQL: one round trip for all
    with django_assert_num_queries(len(reads)):
        together = prepared.rows_each([*reads, ("test:empty", _CARD_PARTS["awards"], [])])
    assert together == [*alone, []]
