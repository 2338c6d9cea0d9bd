import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from cases.models import Award, Case, Domain, Method, Photo
from cases.selectors import CASES
from partners.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo catalogue, loaded once for the module (it draws its pictures) inside a
    transaction that is rolled back afterwards; each test runs in a savepoint within it."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")),
        transaction.atomic(),
    ):
        call_command("load_demo", verbosity=0)
        try:
            yield
        finally:
            transaction.set_rollback(True)


def test_demo_data_is_a_full_catalogue(demo):
    published = Case.objects.published()
    assert published.count() >= 30
    assert Case.objects.filter(status=Case.Status.DRAFT).exists()
    assert Case.objects.filter(status=Case.Status.ARCHIVED).exists()
    assert published.filter(featured=True).exists()
    assert published.stale().exists()
    assert published.with_awards().count() >= 5
    assert Domain.objects.count() == 12 and Method.objects.count() == 8
    # Every facet value but areas and years has at least one published case.
    for facet in CASES.search({}).facets:
        if facet.name not in ("area", "year"):
            empty = [value.label for value in facet.values if not value.count]
            assert empty == [], f"{facet.label}: {empty}"
    for case in published:
        assert case.photos.exists(), case
        assert case.search_text
    assert not Photo.objects.filter(alt_text="").exists()
    assert CASES.search({"q": "猫"}).total >= 1
    assert CASES.search({"q": "ＮＰＯ"}).total >= 1
    for organization in Organization.objects.all():
        organization.full_clean()  # kana, website and 法人番号 pass the validators


def test_loading_twice_changes_nothing(demo):
    def snapshot():
        texts = list(Case.objects.order_by("number").values_list("search_text", flat=True))
        counts = [m.objects.count() for m in (Case, Organization, Photo, Award)]
        return counts, texts

    before = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == before


def test_demo_photo_credits_are_in_japanese(demo):
    credits = set(Photo.objects.exclude(credit="").values_list("credit", flat=True))
    assert credits and not any("CollaNavi" in credit for credit in credits)
    assert "イラスト：コラボナビ（自動生成）" in credits
