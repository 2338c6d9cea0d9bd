import datetime

import pytest

from cases.models import Case
from inquiries.models import Inquiry
from seeds import services
from seeds.models import Consultation, Seed
from tests import factories
from tests.staff import admin_form_data, assert_japanese

pytestmark = pytest.mark.django_db


def _actions(client) -> dict:
    listing = client.get("/admin/seeds/seed/")
    return dict(listing.context["action_form"].fields["action"].choices)


def test_administrators_approve_from_the_queue(client):
    pending = factories.seed(title="審査待ち", review="pending", approved_on=None)
    factories.staff_login(client, "管理者")
    index = client.get("/admin/").content.decode()
    assert "審査待ちの協働の種：1件" in index
    response = client.post(
        "/admin/seeds/seed/", {"action": "approve", "_selected_action": [pending.pk]}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.review == Seed.Review.APPROVED and pending.approved_on is not None
    assert [c.to_status for c in pending.changes.all()] == ["open"]
    assert "審査待ち" in client.get("/seeds/").content.decode()


def test_editors_cannot_approve_and_their_new_seeds_wait(client):
    pending = factories.seed(title="審査待ち", review="pending", approved_on=None)
    factories.staff_login(client, "事例編集者")
    assert "approve" not in _actions(client) and "reject" not in _actions(client)
    client.post("/admin/seeds/seed/", {"action": "approve", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.review == Seed.Review.PENDING
    page = client.get(f"/admin/seeds/seed/{pending.pk}/change/")
    assert "review" not in page.context["adminform"].form.fields
    assert "保存して承認・公開する" not in page.content.decode()
    data = admin_form_data(page)
    data.update(title="直した", review="approved", _approve="1")
    assert client.post(f"/admin/seeds/seed/{pending.pk}/change/", data).status_code == 302
    pending.refresh_from_db()
    assert pending.title == "直した" and pending.review == Seed.Review.PENDING
    assert client.get(f"/admin/seeds/seed/{pending.pk}/delete/").status_code == 403
    assert client.get("/admin/seeds/consultation/").status_code == 403  # personal data


def test_a_status_change_is_recorded_with_its_note(client):
    seed = factories.seed()
    factories.staff_login(client, "事例編集者")
    data = admin_form_data(client.get(f"/admin/seeds/seed/{seed.pk}/change/"))
    data.update(status="discussing", status_note="関係課と初回の協議")
    assert client.post(f"/admin/seeds/seed/{seed.pk}/change/", data).status_code == 302
    change = seed.changes.get()
    assert (change.from_status, change.to_status) == ("open", "discussing")
    assert change.note == "関係課と初回の協議" and change.date == datetime.date.today()
    html = client.get(seed.get_absolute_url()).content.decode()
    assert "関係課と初回の協議" not in html


def test_case_status_needs_the_case(client):
    seed = factories.seed()
    factories.staff_login(client, "管理者")
    data = admin_form_data(client.get(f"/admin/seeds/seed/{seed.pk}/change/"))
    data.update(status="case")
    html = client.post(f"/admin/seeds/seed/{seed.pk}/change/", data).content.decode()
    assert "生まれた事例を選んでください" in html


def test_past_deadlines_are_flagged(client):
    factories.seed(title="期限切れの種", deadline=datetime.date(2020, 1, 1))
    factories.seed(title="終わった種", deadline=datetime.date(2020, 1, 1), status="closed")
    factories.seed(title="まだの種", deadline=datetime.date(2099, 1, 1))
    factories.staff_login(client, "管理者")
    html = client.get("/admin/seeds/seed/?deadline=past").content.decode()
    assert "期限切れの種" in html and "まだの種" not in html and "終わった種" not in html
    assert "期限切れ</strong>" in html


def test_make_case_opens_a_draft_case_linked_both_ways(client):
    organization = factories.organization("いずみ野花の会")
    seed = factories.seed(title="花壇の種", organization=organization, domains=("環境",))
    factories.staff_login(client, "管理者")
    page = client.get(f"/admin/seeds/seed/{seed.pk}/change/")
    data = admin_form_data(page)
    data["_make_case"] = "1"
    response = client.post(f"/admin/seeds/seed/{seed.pk}/change/", data)
    seed.refresh_from_db()
    case = seed.case
    assert response["Location"] == f"/admin/cases/case/{case.pk}/change/"
    assert case.status == Case.Status.DRAFT and case.title == "花壇の種"
    assert case.lead_organization == organization and case.area == seed.area
    assert [d.name for d in case.domains.all()] == ["環境"]
    assert case.summary == seed.wish and case.background == seed.issue
    assert list(case.seeds.all()) == [seed]
    case_page = client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert "元になった協働の種" in case_page
    assert f'href="/admin/seeds/seed/{seed.pk}/change/">花壇の種</a>' in case_page
    assert "事例にする" not in client.get(f"/admin/seeds/seed/{seed.pk}/change/").content.decode()


def test_make_case_needs_an_organization(client):
    seed = factories.seed(poster_name="〇〇市 〇〇課")
    factories.staff_login(client, "管理者")
    response = client.post(
        "/admin/seeds/seed/", {"action": "make_case", "_selected_action": [seed.pk]}, follow=True
    )
    assert "投稿団体" in response.content.decode()
    seed.refresh_from_db()
    assert seed.case is None


def test_accepting_a_consultation_moves_an_open_seed_to_consulting(client):
    seed = factories.seed()
    consultation = services.submit_consultation(
        seed=seed, data={"name": "相談 太郎", "email": "taro@example.jp", "message": "手伝えます"}
    )
    user = factories.staff_login(client, "管理者")
    assert "未対応の種への相談：1件" in client.get("/admin/").content.decode()
    client.post(
        "/admin/seeds/consultation/",
        {"action": "accept", "_selected_action": [consultation.pk]},
    )
    seed.refresh_from_db()
    consultation.refresh_from_db()
    assert seed.status == Seed.Status.CONSULTING and consultation.accepted_at is not None
    assert consultation.inquiry.status == Inquiry.Status.IN_PROGRESS
    assert consultation.inquiry.assignee == user
    assert seed.changes.get().to_status == "consulting"
    # A seed further on does not move back.
    seed.status = Seed.Status.PRACTICING
    seed.save()
    other = services.submit_consultation(
        seed=seed, data={"name": "花子", "email": "h@example.jp", "message": "見学したい"}
    )
    assert services.accept_consultation(other, user=user) is False
    seed.refresh_from_db()
    assert seed.status == Seed.Status.PRACTICING
    assert Consultation.objects.count() == 2


def test_the_seed_screens_are_in_japanese(client):
    seed = factories.seed(deadline=datetime.date(2020, 1, 1))
    services.change_status(seed, to="consulting", note="メモ")
    consultation = services.submit_consultation(
        seed=seed, data={"name": "太郎", "email": "t@example.jp", "message": "相談"}
    )
    seed.title = "題を直しました"
    seed.save()
    factories.staff_login(client, "管理者")
    for url in (
        "/admin/seeds/",
        "/admin/seeds/seed/",
        "/admin/seeds/seed/?deadline=past",
        "/admin/seeds/seed/add/",
        f"/admin/seeds/seed/{seed.pk}/change/",
        f"/admin/seeds/seed/{seed.pk}/history/",
        "/admin/seeds/consultation/",
        f"/admin/seeds/consultation/{consultation.pk}/change/",
    ):
        assert_japanese(client.get(url))
