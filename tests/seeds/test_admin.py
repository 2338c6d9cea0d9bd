import datetime

import pytest

from cases.models import Case, Method
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


def test_make_case_asks_title_and_methods_then_opens_the_draft(client):
    seed = factories.seed(
        title="花壇の種",
        kind="offer",
        poster_name="いずみ野花の会",
        domains=("環境",),
        period="2027年4月から",
        keywords="花壇",
    )
    factories.staff_login(client, "管理者")
    page = client.get(f"/admin/seeds/seed/{seed.pk}/change/")
    data = admin_form_data(page)
    data["_make_case"] = "1"
    response = client.post(f"/admin/seeds/seed/{seed.pk}/change/", data)
    assert response["Location"] == f"/admin/seeds/seed/{seed.pk}/make-case/"
    form_page = client.get(response["Location"])
    assert_japanese(form_page)
    html = form_page.content.decode()
    assert 'value="いずみ野花の会による花壇の取り組み"' in html and 'value="2027"' in html
    assert "いずみ野花の会（新しく非掲載で登録）" in html
    # Refused without 手法 or title, each named beside its field and in the summary.
    refused = client.post(response["Location"], {"title": "", "start_year": "2027"})
    assert_japanese(refused)
    html = refused.content.decode()
    assert 'id="id_title_error"><li>事例名：事例名を入力してください。' in html
    assert 'id="id_methods_error"><li>事業の手法：事業の手法を1つ以上選んでください。' in html
    assert '<a href="#id_methods">事業の手法：' in html
    seed.refresh_from_db()
    assert seed.case is None
    method = Method.objects.get(name="共催")
    done = client.post(
        response["Location"],
        {"title": "いずみ野の花壇づくり", "methods": [method.pk], "start_year": "2027"},
    )
    seed.refresh_from_db()
    case = seed.case
    assert done["Location"] == f"/admin/cases/case/{case.pk}/change/"
    assert case.status == Case.Status.DRAFT and case.title == "いずみ野の花壇づくり"
    assert case.lead_organization.name == "いずみ野花の会" and case.start_year == 2027
    assert case.area == seed.area and [d.name for d in case.domains.all()] == ["環境"]
    case_page = client.get(done["Location"])
    assert "下書きで作りました" in case_page.content.decode()
    assert f'href="/admin/seeds/seed/{seed.pk}/change/">花壇の種</a>' in case_page.content.decode()
    # The case's admin form saves as it stands: nothing for the clerk to fix first.
    data = admin_form_data(case_page)
    data["_continue"] = "1"
    saved = client.post(done["Location"], data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assert "事例にする" not in client.get(f"/admin/seeds/seed/{seed.pk}/change/").content.decode()
    assert client.get(f"/admin/seeds/seed/{seed.pk}/make-case/")["Location"].endswith("/change/")


def test_the_list_action_opens_the_same_form_for_one_seed(client):
    seeds = [factories.seed(), factories.seed(title="もう一つ")]
    factories.staff_login(client, "管理者")
    one = client.post(
        "/admin/seeds/seed/", {"action": "make_case", "_selected_action": [seeds[0].pk]}
    )
    assert one["Location"] == f"/admin/seeds/seed/{seeds[0].pk}/make-case/"
    both = client.post(
        "/admin/seeds/seed/",
        {"action": "make_case", "_selected_action": [s.pk for s in seeds]},
        follow=True,
    )
    assert "1件だけ選んでください" in both.content.decode()


def test_make_case_is_refused_without_the_right_to_add_cases(client):
    seed = factories.seed()
    user = factories.staff_login(client, "事例編集者")
    user.user_permissions.clear()
    for group in user.groups.all():
        group.permissions.remove(*group.permissions.filter(codename="add_case"))
    assert client.get(f"/admin/seeds/seed/{seed.pk}/make-case/").status_code == 403
    assert client.get("/admin/seeds/seed/999999/make-case/").status_code == 404


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
