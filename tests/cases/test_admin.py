import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cases.models import Case, Domain, Method
from partners.models import Area
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return client


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _form(lead, **overrides) -> dict:
    data = {
        "number": "501",
        "title": "ＮＰＯと町内会の防災訓練",
        "status": "draft",
        "area": Area.objects.get(name="千葉市").pk,
        "start_year": "2022",
        "end_year": "",
        "domains": [Domain.objects.get(name="防災・防犯").pk],
        "methods": [Method.objects.get(name="共催").pk],
        "budget": "",
        "summary": "町内会と学校が合同で訓練を行います。",
        "lead_organization": lead.pk,
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-0-organization": factories.organization("若葉町内会", kind="community").pk,
        "partners-0-role": "会場と住民への周知",
        "partners-0-order": "0",
        "schedule-TOTAL_FORMS": "1",
        "schedule-INITIAL_FORMS": "0",
        "schedule-0-period": "9月",
        "schedule-0-activity": "合同訓練",
        "schedule-0-order": "0",
        "awards-TOTAL_FORMS": "0",
        "awards-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-0-image": _jpeg(),
        "photos-0-alt_text": "体育館に集まった住民のイラスト",
        "photos-0-order": "0",
    }
    data.update(overrides)
    return data


def test_admin_pages_are_for_staff_only(client):
    response = client.get("/admin/cases/case/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_create_a_case_with_partners_schedule_and_photo(staff):
    lead = factories.organization("NPO法人防災ネット")
    response = staff.post("/admin/cases/case/add/", _form(lead))
    assert response.status_code == 302, response.context["adminform"].form.errors
    case = Case.objects.get(number=501)
    assert case.partners.get().role == "会場と住民への周知"
    assert case.schedule.get().activity == "合同訓練"
    assert case.photos.get().alt_text == "体育館に集まった住民のイラスト"
    # The search text is built on save, from the fields and the organizations.
    assert "npoと町内会の防災訓練" in case.search_text
    assert "若葉町内会" in case.search_text


def test_photo_without_alt_text_is_refused(staff):
    lead = factories.organization("NPO法人防災ネット")
    response = staff.post("/admin/cases/case/add/", _form(lead, **{"photos-0-alt_text": ""}))
    assert response.status_code == 200
    assert "このフィールドは必須です" in response.content.decode()
    assert not Case.objects.filter(number=501).exists()


def test_change_form_and_changelist_render_in_japanese(staff):
    case = factories.case(photos=1, partners=(factories.organization("株式会社X", "company"),))
    change = staff.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    for heading in ["5 事業概要", "10 コラボのコツ", "協働パートナーと役割", "年間スケジュール"]:
        assert heading in change
    assert "<img" in change  # photo preview
    listing = staff.get("/admin/cases/case/?partner_type=company&stale=no").content.decode()
    assert case.title in listing
    assert "協働パートナーの種別" in listing


def test_admin_search_normalises_width(staff):
    factories.case(title="ＮＰＯ講座")
    factories.case(title="別の事例")
    html = staff.get("/admin/cases/case/?q=npo").content.decode()
    assert "ＮＰＯ講座" in html and "別の事例" not in html


def test_stale_filter_flags_old_verification(staff):
    factories.case(title="古い事例", verified_on=datetime.date(2020, 1, 1))
    factories.case(title="新しい事例", verified_on=timezone.localdate())
    html = staff.get("/admin/cases/case/?stale=yes").content.decode()
    assert "古い事例" in html and "新しい事例" not in html


def test_actions_publish_archive_and_verify(staff):
    partner = factories.organization("協働パートナーの会")
    draft = factories.case(status=Case.Status.DRAFT, published_on=None, partners=(partner,))
    old = factories.case(verified_on=datetime.date(2020, 1, 1))
    url = "/admin/cases/case/"
    asked = staff.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Case.Status.DRAFT  # asked first, naming the case
    assert f"事例No.{draft.number}" in asked.content.decode()
    staff.post(url, {"action": "publish", "_selected_action": [draft.pk], "confirmed": "yes"})
    draft.refresh_from_db()
    assert draft.status == Case.Status.PUBLISHED
    assert draft.published_on == timezone.localdate()
    staff.post(url, {"action": "mark_verified", "_selected_action": [old.pk]})
    old.refresh_from_db()
    assert old.verified_on == timezone.localdate()
    staff.post(url, {"action": "archive", "_selected_action": [old.pk]})
    old.refresh_from_db()
    assert old.status == Case.Status.PUBLISHED  # asked first
    staff.post(url, {"action": "archive", "_selected_action": [old.pk], "confirmed": "yes"})
    old.refresh_from_db()
    assert old.status == Case.Status.ARCHIVED


def test_organization_autocomplete(staff):
    factories.organization("株式会社房総フーズ", kind="company", kana="ボウソウフーズ")
    response = staff.get(
        "/admin/autocomplete/",
        {
            "term": "ボウソウ",
            "app_label": "cases",
            "model_name": "case",
            "field_name": "lead_organization",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["株式会社房総フーズ"]


def test_renaming_an_organization_updates_case_search(staff):
    partner = factories.organization("旧名の会社", kind="company", kana="キュウメイ")
    case = factories.case(partners=(partner,))
    response = staff.post(
        f"/admin/partners/organization/{partner.pk}/change/",
        {
            "name": "新名の会社",
            "kana": "シンメイ",
            "kind": "company",
            "area": partner.area_id,
            "records-TOTAL_FORMS": "0",
            "records-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert "新名の会社" in case.search_text


def test_taxonomies_are_editable(staff):
    response = staff.post("/admin/cases/domain/add/", {"name": "農業", "order": "200"})
    assert response.status_code == 302
    assert Domain.objects.filter(name="農業").exists()
