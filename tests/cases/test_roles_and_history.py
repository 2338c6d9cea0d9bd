import datetime

import pytest
from django.contrib.auth.models import Group, User

from cases.models import Case
from tests import factories

pytestmark = pytest.mark.django_db


def _login(client, group: str) -> User:
    user = User.objects.create_user(f"{group}-user", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def _form_data(response) -> dict:
    """The change form as a browser would post it back, inlines left as they are."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "__iter__") and not isinstance(value, str):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = "" if value is None else getattr(value, "pk", value)
    for formset in response.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form.initial.get(name)
                key = f"{inline_form.prefix}-{name}"
                data[key] = "" if value is None else getattr(value, "pk", value)
    return data


def test_editors_create_and_edit_but_cannot_publish_or_delete(client):
    _login(client, "事例編集者")
    draft = factories.case(title="準備中", status=Case.Status.DRAFT, published_on=None)
    published = factories.case(title="公開中")
    listing = client.get("/admin/cases/case/")
    actions = dict(listing.context["action_form"].fields["action"].choices)
    assert "publish" not in actions and "archive" not in actions
    assert "mark_verified" in actions and "delete_selected" not in actions
    response = client.post(
        "/admin/cases/case/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Case.Status.DRAFT
    page = client.get(f"/admin/cases/case/{draft.pk}/change/")
    assert "status" not in page.context["adminform"].form.fields  # shown, not editable
    data = _form_data(page)
    data.update(title="準備中（編集済み）", status="published")
    response = client.post(f"/admin/cases/case/{draft.pk}/change/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "準備中（編集済み）" and draft.status == Case.Status.DRAFT
    assert client.get(f"/admin/cases/case/{draft.pk}/delete/").status_code == 403
    assert client.get(f"/admin/cases/case/{published.pk}/delete/").status_code == 403
    assert client.get("/admin/cases/case/add/").status_code == 200


def test_administrators_publish_and_archive_but_never_delete_a_published_case(client):
    _login(client, "管理者")
    draft = factories.case(status=Case.Status.DRAFT, published_on=None)
    published = factories.case()
    client.post("/admin/cases/case/", {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Case.Status.PUBLISHED
    assert client.get(f"/admin/cases/case/{published.pk}/delete/").status_code == 403
    client.post("/admin/cases/case/", {"action": "archive", "_selected_action": [published.pk]})
    published.refresh_from_db()
    assert published.status == Case.Status.ARCHIVED
    assert client.get(f"/admin/cases/case/{published.pk}/delete/").status_code == 200


def test_groups_come_from_a_migration():
    editor = Group.objects.get(name="事例編集者")
    codenames = set(editor.permissions.values_list("codename", flat=True))
    assert {"add_case", "change_case", "export_case"} <= codenames
    assert not {"delete_case", "publish_case", "import_case"} & codenames
    admin_codes = set(
        Group.objects.get(name="管理者").permissions.values_list("codename", flat=True)
    )
    assert {"delete_case", "publish_case", "import_case", "view_inquiry"} <= admin_codes


def test_history_records_who_changed_what_and_reverts(client):
    user = _login(client, "管理者")
    case = factories.case(title="最初の題名", summary="最初の概要")
    first = case.history.latest()
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    data = _form_data(page)
    data.update(title="変更後の題名", summary="変更後の概要")
    assert client.post(f"/admin/cases/case/{case.pk}/change/", data).status_code == 302
    latest = case.history.latest()
    assert latest.history_user == user
    assert {c.field for c in latest.diff_against(first).changes} >= {"title", "summary"}
    history = client.get(f"/admin/cases/case/{case.pk}/history/").content.decode()
    assert "変更後の題名" in history and "最初の題名" in history
    revert = client.get(f"/admin/cases/case/{case.pk}/history/{first.history_id}/")
    assert revert.status_code == 200
    response = client.post(
        f"/admin/cases/case/{case.pk}/history/{first.history_id}/", _form_data(revert)
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.summary) == ("最初の題名", "最初の概要")
    assert "最初の概要" in case.search_text


def test_photo_and_partner_changes_are_recorded(admin_user):
    partner = factories.organization("株式会社A", kind="company")
    case = factories.case(partners=(partner,), photos=1)
    role = case.partners.get()
    role.role = "新しい役割"
    role.save()
    assert role.history.count() == 2
    assert case.photos.get().history.exists()
    partner.name = "株式会社A（新）"
    partner.save()
    assert partner.history.count() == 2


def test_admin_index_counts_stale_cases(admin_client):
    factories.case(verified_on=datetime.date(2019, 1, 1))
    factories.case(verified_on=datetime.date(2019, 1, 1), status=Case.Status.ARCHIVED)
    factories.case()
    assert "情報確認が古い事例：1件" in admin_client.get("/admin/").content.decode()


def test_stale_age_is_configurable(admin_client, settings):
    factories.case(
        title="半年前に確認", verified_on=datetime.date.today() - datetime.timedelta(days=200)
    )
    assert "半年前に確認" not in admin_client.get("/admin/cases/case/?stale=yes").content.decode()
    settings.STALE_AFTER_DAYS = 180
    assert "半年前に確認" in admin_client.get("/admin/cases/case/?stale=yes").content.decode()
