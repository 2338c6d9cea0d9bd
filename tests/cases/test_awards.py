"""Awards (表彰) of cases: badges, the 表彰事例 facet, the top page, the PDF and the staff form."""

import pytest

from cases.models import Award, Case
from cases.selectors import CASES
from partners.models import OrganizationRecord
from tests import factories
from tests.staff import admin_form_data

pytestmark = pytest.mark.django_db


def award(case: Case, **fields) -> Award:
    fields.setdefault("name", "ちば県民協働大賞")
    fields.setdefault("category", "大賞")
    fields.setdefault("year", 2024)
    fields.setdefault("awarding_body", "千葉県")
    return Award.objects.create(case=case, **fields)


def awarded_count(result) -> int:
    return next(f for f in result.facets if f.name == "award").values[0].count


def test_a_case_card_and_page_show_the_award_badge(client):
    case = factories.case("里山の再生")
    award(case)
    factories.case("まだ表彰のない事例")
    html = client.get("/cases/").content.decode()
    badge = (
        '<span class="award-badge__label">表彰</span><span>ちば県民協働大賞 大賞（2024年度）</span>'
    )
    assert html.count(badge) == 1
    page = client.get(case.get_absolute_url()).content.decode()
    assert "ちば県民協働大賞 大賞（2024年度・千葉県）" in page


def test_an_organization_page_shows_its_own_awards_and_its_cases(client):
    lead = factories.organization("NPO法人うみべ")
    OrganizationRecord.objects.create(
        organization=lead, year=2021, kind="award", title="千葉県 環境功労表彰"
    )
    OrganizationRecord.objects.create(
        organization=lead, year=2022, kind="grant", title="みどり基金の助成"
    )
    led = factories.case("海辺の清掃", lead=lead)
    award(led, name="海岸愛護賞", category="", year=2023)
    partnered = factories.case("干潟の観察会", partners=(lead,))
    award(partnered, name="環境教育賞", category="奨励賞", year=2022)
    html = client.get(lead.get_absolute_url()).content.decode()
    assert "<span>千葉県 環境功労表彰（2021年度）</span>" in html
    assert "みどり基金の助成（2022年度）" not in html  # a grant is no award
    assert "<span>海岸愛護賞（2023年度）</span>" in html
    assert "<span>環境教育賞 奨励賞（2022年度）</span>" in html


def test_the_award_facet_counts_equal_its_results(client):
    for i in range(3):
        award(factories.case(f"表彰事例{i}", domains=("環境",)), year=2020 + i)
    award(factories.case("表彰された下書き", status=Case.Status.DRAFT))
    factories.case("表彰のない事例", domains=("環境",))
    result = CASES.search({})
    assert awarded_count(result) == 3
    found = CASES.search({"award": "yes"})
    assert found.total == 3
    assert {c.title for c in found.page} == {"表彰事例0", "表彰事例1", "表彰事例2"}
    html = client.get("/cases/?award=yes").content.decode()
    assert "3件中 1–3件" in html
    assert "表彰事例：表彰を受けた事例" in html  # the chip
    assert 'name="award" value="yes" checked' in html


def test_an_award_added_by_staff_shows_at_once_in_the_facet(client):
    case = factories.case("防災訓練")
    assert awarded_count(CASES.search({})) == 0
    assert '表彰を受けた事例<span class="count">（0件）' in client.get("/cases/").content.decode()
    factories.staff_login(client, "管理者")  # an editor's addition waits for review
    url = f"/admin/cases/case/{case.pk}/change/"
    data = admin_form_data(client.get(url))
    data.update({
        "awards-TOTAL_FORMS": 1,
        "awards-0-name": "防災まちづくり協働賞",
        "awards-0-category": "優秀賞",
        "awards-0-year": "2025",
        "awards-0-awarding_body": "ちば防災まちづくり推進協議会",
    })  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    assert awarded_count(CASES.search({})) == 1
    html = client.get("/cases/").content.decode()
    assert '表彰を受けた事例<span class="count">（1件）' in html
    assert "防災まちづくり協働賞 優秀賞（2025年度）" in html
    assert (
        case.revisions.first().data["awards"][0]["name"] == "防災まちづくり協働賞"
    )  # in its history

    case.awards.get().delete()
    assert awarded_count(CASES.search({})) == 0


def test_the_top_page_shows_award_cases_newest_award_first(client):
    award(factories.case("古い表彰の事例"), year=2018)
    award(factories.case("新しい表彰の事例"), year=2025)
    factories.case("表彰のない事例")
    html = client.get("/").content.decode()
    section = html.split('id="h-awarded"')[1].split("</section>")[0]
    assert section.index("新しい表彰の事例") < section.index("古い表彰の事例")
    assert "表彰のない事例" not in section
    assert 'href="/cases/?award=yes"' in section


def test_no_award_section_on_the_top_page_without_award_cases(client):
    factories.case("表彰のない事例")
    assert 'id="h-awarded"' not in client.get("/").content.decode()


def test_the_case_pdf_prints_its_award_and_its_key_follows_it():
    case = factories.case("里山の再生")

    def html_and_key():
        from cases import pdf  # WeasyPrint loads only in the tests that print

        loaded = pdf.with_pdf_data(Case.objects.filter(pk=case.pk)).get()
        html = pdf.body_html(loaded)
        return html, pdf.body_key(html)

    before, key_before = html_and_key()
    assert "表彰" not in before
    award(case)
    after, key_after = html_and_key()
    assert "ちば県民協働大賞 大賞（2024年度・千葉県）" in after
    assert key_after != key_before


def test_the_admin_list_filters_award_cases(client):
    award(factories.case("表彰あり"))
    factories.case("表彰なし")
    factories.staff_login(client, "管理者")
    response = client.get("/admin/cases/case/?awarded=yes")
    assert [c.title for c in response.context["cl"].result_list] == ["表彰あり"]
    response = client.get("/admin/cases/case/?awarded=no")
    assert [c.title for c in response.context["cl"].result_list] == ["表彰なし"]
