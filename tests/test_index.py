import pytest

from cases.models import Case, Domain
from tests import factories

pytestmark = pytest.mark.django_db


def test_top_page_has_search_entry_points_and_newest_cases(client):
    factories.case(title="注目の里山保全", featured=True, domains=("環境",))
    factories.case(title="下書きの事例", status=Case.Status.DRAFT, featured=True)
    html = client.get("/").content.decode()
    env = Domain.objects.get(name="環境").pk
    assert 'action="/cases/"' in html and 'name="q"' in html
    assert f'href="/cases/?domain={env}"' in html
    assert html.count(">注目の里山保全</a>") == 1  # featured, and not repeated under newest
    assert "下書きの事例" not in html
    assert "架空のサンプル" in html
