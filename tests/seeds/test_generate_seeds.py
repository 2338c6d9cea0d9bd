import pytest
from django.core.management import call_command

from seeds.models import Seed
from seeds.selectors import SEEDS

pytestmark = pytest.mark.django_db


def test_generated_seeds_are_approved_searchable_and_faceted():
    call_command("generate_seeds", 50, verbosity=0)
    assert Seed.objects.public().count() == 50
    seed = Seed.objects.first()
    assert seed.domains.exists() and seed.resources_offered
    assert seed.search_text == seed.build_search_text()
    result = SEEDS.search({"q": seed.title[:2]})
    assert result.total >= 1
    assert SEEDS.search({}).total == 50
    kinds = next(f for f in SEEDS.search({}).facets if f.name == "kind")
    assert sum(v.count for v in kinds.values) == 50
