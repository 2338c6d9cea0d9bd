"""「事例にする」 as a service: the poster's organization found or made unlisted, partners from the
consultations taken on, the start year read from the seed, a draft linked to its seed."""

import datetime

import pytest
from django.contrib.auth.models import User

from cases.filters import fiscal_year
from cases.models import Case, Method
from partners.models import Organization
from seeds import services
from seeds.models import Seed
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return User.objects.create_user("clerk", is_staff=True)


def _consult(seed, clerk, *, name="相談 太郎", organization="", accept=True):
    consultation = services.submit_consultation(
        seed=seed,
        data={
            "name": name,
            "organization": organization,
            "email": "taro@example.jp",
            "message": "手伝えます",
        },
    )
    if accept:
        services.accept_consultation(consultation, user=clerk)
    return consultation


def _make(seed, clerk, **changes):
    fields = {"title": "花壇の協働事業", "methods": Method.objects.filter(name="共催")}
    return services.make_case(seed, user=clerk, **{**fields, **changes})


def test_the_poster_is_matched_by_name_whatever_its_width_and_spaces(clerk):
    listed = factories.organization("NPO法人みどりの会", is_public=True)
    seed = factories.seed(poster_name="ＮＰＯ法人　みどりの会")
    case = _make(seed, clerk)
    assert case.lead_organization == listed
    assert Organization.objects.count() == 1
    seed.refresh_from_db()
    assert seed.organization == listed


def test_an_unknown_poster_is_made_unlisted_in_the_seeds_area(clerk):
    seed = factories.seed(kind="offer", poster_name="いずみ野花の会", area_name="船橋市")
    case = _make(seed, clerk)
    lead = case.lead_organization
    assert (lead.name, lead.is_public, lead.area.name) == ("いずみ野花の会", False, "船橋市")
    assert lead.kind == Organization.Kind.VOLUNTARY
    assert lead.history.get().history_user == clerk


def test_a_departments_wish_makes_a_government_organization(clerk):
    seed = factories.seed(kind="wish", poster_name="千葉市 環境保全課")
    assert _make(seed, clerk).lead_organization.kind == Organization.Kind.GOVERNMENT
    offer = factories.seed(kind="offer", poster_name="株式会社みどり造園")
    assert _make(offer, clerk).lead_organization.kind == Organization.Kind.COMPANY


def test_partners_come_from_the_consultations_taken_on(clerk):
    known = factories.organization("みどり造園", kind="company")
    seed = factories.seed(poster_name="いずみ野の会")
    _consult(seed, clerk, organization="みどり 造園")  # found, spaces aside
    _consult(seed, clerk, name="花子", organization="千葉大学 園芸サークル")  # made unlisted
    _consult(seed, clerk, organization="まだ受け付けていない会", accept=False)
    _consult(seed, clerk, name="個人 次郎")  # a person is never made an organization
    _consult(seed, clerk, organization="いずみ野の会")  # the poster is not its own partner
    case = _make(seed, clerk)
    partners = list(case.partners.select_related("organization"))
    assert [p.organization.name for p in partners] == ["みどり造園", "千葉大学 園芸サークル"]
    assert partners[0].organization == known
    made = partners[1].organization
    assert not made.is_public and made.kind == Organization.Kind.EDUCATION
    assert all(p.role == services.PARTNER_ROLE for p in partners)
    assert not Organization.objects.filter(
        name__in=["まだ受け付けていない会", "個人 次郎"]
    ).exists()


def test_a_person_who_names_a_known_organization_becomes_its_partner(clerk):
    known = factories.organization("さくら自治会", kind="community")
    seed = factories.seed()
    _consult(seed, clerk, name="さくら自治会")
    assert [p.organization for p in _make(seed, clerk).partners.all()] == [known]


@pytest.mark.parametrize(
    ("period", "wish", "year"),
    [
        ("2027年4月から", "花壇を育てたい", 2027),
        ("令和10年度", "", 2028),
        ("", "２０２８年４月から一緒に", 2028),
    ],
)
def test_the_start_year_is_read_from_the_seed(clerk, period, wish, year):
    seed = factories.seed(period=period, wish=wish or "季節の花壇を一緒に育てたい。")
    assert services.plan_case(seed).start_year == year
    assert _make(seed, clerk).start_year == year


def test_without_a_year_the_case_starts_this_fiscal_year(clerk):
    seed = factories.seed(period="通年")
    plan = services.plan_case(seed)
    assert plan.start_year == fiscal_year() and not plan.start_year_found


def test_the_draft_is_linked_to_its_seed_with_the_clerks_title_and_methods(clerk):
    seed = factories.seed(
        title="一緒に花壇を育てませんか", domains=("環境",), period="2027年4月から"
    )
    _consult(seed, clerk, organization="みどり造園")
    case = _make(seed, clerk, title="いずみ野の会とみどり造園の花壇づくり")
    seed.refresh_from_db()
    assert seed.case == case and list(case.seeds.all()) == [seed]
    assert case.status == Case.Status.DRAFT
    assert case.title == "いずみ野の会とみどり造園の花壇づくり"
    assert [m.name for m in case.methods.all()] == ["共催"]
    assert [d.name for d in case.domains.all()] == ["環境"]
    assert case.summary != seed.wish and "みどり造園" in case.summary
    assert seed.issue in case.background and seed.wish in case.background
    case.full_clean()  # the admin's first save has nothing to complain of
    with pytest.raises(services.NotAllowed):
        _make(seed, clerk)


def test_the_suggested_title_names_who_and_what_not_the_call(clerk):
    seed = factories.seed(title="一緒に花壇を育てませんか", keywords="花壇 公園")
    _consult(seed, clerk, organization="みどり造園")
    assert services.plan_case(seed).title == "いずみ野の会とみどり造園による花壇の取り組み"


def test_planning_writes_nothing(clerk):
    seed = factories.seed(poster_name="まだない会")
    _consult(seed, clerk, organization="これもない会")
    plan = services.plan_case(seed)
    assert plan.lead is None and plan.partners == [(None, "これもない会")]
    assert not Organization.objects.exists()


def test_seed_reference_names_it_without_quoting_it():
    seed = factories.seed(receipt_number="S-2026-000007")
    Seed.objects.filter(pk=seed.pk).update(
        created_at=datetime.datetime(2026, 10, 1, 3, 0, tzinfo=datetime.UTC)
    )
    seed.refresh_from_db()
    assert services.seed_reference(seed) == "受付番号 S-2026-000007、2026年10月1日受付"
