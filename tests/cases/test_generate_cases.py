import pytest
from django.core.management import call_command

from cases.models import Case
from cases.selectors import CASES

pytestmark = pytest.mark.django_db


def test_generated_cases_are_published_searchable_and_faceted():
    call_command("generate_cases", 40, verbosity=0)
    assert Case.objects.published().count() == 40
    case = Case.objects.first()
    assert case.domains.exists() and case.methods.exists() and case.schedule.count() == 3
    assert len(case.summary) > 60 and case.search_text == Case.search_texts([case.pk])[case.pk]
    result = CASES.search({"q": case.title.split("（")[0][:2]})
    assert result.total >= 1
    assert sum(v.count for v in result.facets[0].values) >= result.total


def test_generated_words_are_spread_like_a_real_catalogue():
    call_command("generate_cases", 300, verbosity=0)
    total = Case.objects.count()

    def share(word: str) -> float:
        return CASES.search({"q": word}).total / total

    assert share("地域") > 0.4  # a word of most cases
    assert 0.01 < share("子ども食堂") < 0.25  # a theme's topic
    titles = Case.objects.values_list("title", flat=True)
    places = {title.split("の")[0] for title in titles}
    assert len(places) > total / 3  # districts are many, most of them rare
