"""A 管理者 adds 事例編集者 and disables them; superusers and other 管理者 are out of reach."""

import pytest
from django.contrib.auth.models import Group, User

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    client.force_login(factories.staff_user("管理者"))
    return client


def _add(client, **fields):
    editors = Group.objects.get(name="事例編集者")
    data = {
        "username": "sato",
        "usable_password": "true",
        "password1": "kaizen-sakura-2026",
        "password2": "kaizen-sakura-2026",
        "last_name": "佐藤",
        "first_name": "一郎",
        "email": "sato@example.jp",
        "groups": [editors.pk],
        **fields,
    }
    return client.post("/admin/auth/user/add/", data)


def test_an_administrator_adds_an_editor_and_disables_them(administrator):
    assert _add(administrator).status_code == 302
    sato = User.objects.get(username="sato")
    assert sato.is_staff and not sato.is_superuser
    assert [g.name for g in sato.groups.all()] == ["事例編集者"]

    page = administrator.get(f"/admin/auth/user/{sato.pk}/change/")
    data = {
        "username": "sato",
        "last_name": "佐藤",
        "first_name": "一郎",
        "email": "sato@example.jp",
        "groups": [g.pk for g in sato.groups.all()],
    }  # 有効 unticked
    assert page.status_code == 200
    assert administrator.post(f"/admin/auth/user/{sato.pk}/change/", data).status_code == 302
    assert not User.objects.get(pk=sato.pk).is_active


def test_an_administrator_cannot_make_a_superuser(administrator):
    _add(administrator, is_superuser="on", is_staff="on")
    assert not User.objects.get(username="sato").is_superuser
    form = administrator.get("/admin/auth/user/add/").content.decode()
    assert 'name="is_superuser"' not in form and 'name="user_permissions"' not in form


def test_an_administrator_cannot_promote_to_administrator(administrator):
    administrators = Group.objects.get(name="管理者")
    response = _add(administrator, groups=[administrators.pk])
    assert response.status_code == 200  # the form refuses the choice
    assert not User.objects.filter(username="sato").exists()

    editor = factories.staff_user("事例編集者", username="henshu")
    administrator.post(
        f"/admin/auth/user/{editor.pk}/change/",
        {"username": "henshu", "is_active": "on", "groups": [administrators.pk]},
    )
    assert not editor.groups.filter(name="管理者").exists()


def test_an_administrator_cannot_edit_a_superuser_or_another_administrator(administrator):
    root = User.objects.create_superuser("root", "root@example.jp", "x")
    other = factories.staff_user("管理者", username="kanri2")
    for user in (root, other):
        response = administrator.post(
            f"/admin/auth/user/{user.pk}/change/", {"username": user.username}
        )
        assert response.status_code == 403
        assert administrator.get(f"/admin/auth/user/{user.pk}/password/").status_code == 403
        assert User.objects.get(pk=user.pk).is_active
    assert User.objects.get(pk=root.pk).is_superuser


def test_an_administrator_deletes_no_one(administrator):
    editor = factories.staff_user("事例編集者", username="henshu")
    assert administrator.get(f"/admin/auth/user/{editor.pk}/delete/").status_code == 403


def test_an_editor_cannot_open_staff_accounts(client):
    client.force_login(factories.staff_user("事例編集者"))
    assert client.get("/admin/auth/user/").status_code == 403
