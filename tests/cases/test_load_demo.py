import pytest
from django.core.management import call_command

from cases.models import Case, Domain, Method, Photo
from cases.selectors import search_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_demo_data_has_thirty_published_cases_and_some_hidden_ones(demo):
    assert Case.objects.published().count() >= 30
    assert Case.objects.filter(status=Case.Status.DRAFT).exists()
    assert Case.objects.filter(status=Case.Status.ARCHIVED).exists()
    assert Case.objects.published().filter(featured=True).exists()
    assert Case.objects.published().stale().exists()


def test_demo_data_covers_every_facet_value(demo):
    result = search_cases({})
    for facet in result.facets:
        if facet.name in ("area", "year"):
            continue
        empty = [value.label for value in facet.values if not value.count]
        assert empty == [], f"{facet.label}: {empty}"
    assert Domain.objects.count() == 12 and Method.objects.count() == 8


def test_demo_cases_have_photos_with_alt_text_and_searchable_text(demo):
    for case in Case.objects.published():
        assert case.photos.exists(), case
        assert case.search_text
    assert not Photo.objects.filter(alt_text="").exists()
    assert search_cases({"q": "猫"}).total >= 1
    assert search_cases({"q": "ＮＰＯ"}).total >= 1


def test_loading_twice_changes_nothing(demo):
    before = (
        Case.objects.count(),
        Photo.objects.count(),
        list(Case.objects.values_list("search_text", flat=True)),
    )
    call_command("load_demo", verbosity=0)
    after = (
        Case.objects.count(),
        Photo.objects.count(),
        list(Case.objects.values_list("search_text", flat=True)),
    )
    assert before == after
