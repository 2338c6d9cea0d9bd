import pytest

from cases.models import Case
from partners.models import OrganizationRecord, OrganizationRedirect
from tests import factories

pytestmark = pytest.mark.django_db


def test_shows_profile_records_and_cases_with_roles(client):
    org = factories.organization(
        "NPO法人みどりの手",
        kana="ミドリノテ",
        address="千葉市中央区〇〇",
        website="https://example.org/midori",
        contact="info@example.org",
        founded_year=2008,
        members="正会員20名",
        mission="里山を守る",
        activities="保全活動",
        corporate_number="7000012050002",
    )
    OrganizationRecord.objects.create(
        organization=org, year=2022, kind="contract", title="市の委託事業"
    )
    led = factories.case(title="里山の保全", lead=org)
    factories.case(title="川の清掃", partners=(org,))
    factories.case(title="非公開の事例", lead=org, status=Case.Status.DRAFT)
    html = client.get(org.get_absolute_url()).content.decode()
    for text in [
        "NPO法人みどりの手",
        "千葉市中央区〇〇",
        "https://example.org/midori",
        "info@example.org",
        "2008年",
        "正会員20名",
        "7000012050002",
        "受託",
        "市の委託事業",
        "里山の保全",
        "川の清掃",
        "役割1",
    ]:
        assert text in html, text
    assert "非公開の事例" not in html
    assert f'href="{led.get_absolute_url()}"' in html


def test_unlisted_organization_is_not_found(client):
    org = factories.organization("どこにも出ない会")
    assert client.get(org.get_absolute_url()).status_code == 404
    assert client.get("/organizations/999999/").status_code == 404


def test_rejects_post(client):
    org = factories.organization("公開の会", is_public=True)
    assert client.post(org.get_absolute_url()).status_code == 405


def test_phone_numbers_and_email_addresses_are_links(client):
    lead = factories.organization(
        "NPO法人つながる会", contact="info@example.org / ０４３－２２３－４１３３（平日）<b>"
    )
    factories.case(lead=lead)
    html = client.get(lead.get_absolute_url()).content.decode()
    assert '<a href="mailto:info@example.org">info@example.org</a>' in html
    assert '<a href="tel:0432234133">０４３－２２３－４１３３</a>（平日）&lt;b&gt;' in html


def test_a_merged_organizations_page_moves_permanently_to_the_kept_one(client):
    kept = factories.organization("公開の会", is_public=True)
    OrganizationRedirect.objects.create(old_pk=999998, to=kept)
    response = client.get("/organizations/999998/")
    assert response.status_code == 301
    assert response["Location"] == kept.get_absolute_url()


def test_an_existing_organization_is_shown_whatever_a_redirect_says(client):
    shown = factories.organization("公開の会", is_public=True)
    OrganizationRedirect.objects.create(old_pk=shown.pk, to=factories.organization("別の会"))
    assert client.get(shown.get_absolute_url()).status_code == 200
