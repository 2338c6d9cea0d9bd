import pytest
from django.core.management import call_command

from cases.models import Case
from cases.selectors import search_cases

pytestmark = pytest.mark.django_db


def test_generated_cases_are_published_searchable_and_faceted():
    call_command("generate_cases", 40, verbosity=0)
    assert Case.objects.published().count() == 40
    case = Case.objects.first()
    assert case.domains.exists() and case.methods.exists() and case.schedule.count() == 3
    assert len(case.summary) > 100 and case.search_text == case.build_search_text()
    result = search_cases({"q": case.title.split("（")[0][:2]})
    assert result.total >= 1
    assert sum(v.count for v in result.facets[0].values) >= result.total
