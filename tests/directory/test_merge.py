import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User

from cases.models import CasePartner
from directory.services import merge_organizations
from partners.models import Organization, OrganizationRecord
from tests import factories

pytestmark = pytest.mark.django_db


def test_merge_moves_every_case_link_and_record(admin_user):
    keep = factories.organization("NPO法人みどりの手", kana="ミドリノテ")
    dup = factories.organization("みどりの手", kana="ミドリノテ", website="https://example.org/")
    OrganizationRecord.objects.create(organization=dup, year=2020, kind="award", title="表彰")
    led = factories.case(lead=dup)
    partnered = factories.case(partners=(dup,))
    both = factories.case(partners=(keep, dup))
    keep_leads = factories.case(lead=keep, partners=(dup,))

    moved = merge_organizations(keep=keep, duplicates=[dup], user=admin_user)

    assert moved == 4
    assert not Organization.objects.filter(pk=dup.pk).exists()
    led.refresh_from_db()
    assert led.lead_organization == keep
    assert CasePartner.objects.get(case=partnered).organization == keep
    assert CasePartner.objects.get(case=both).role == "役割1\n役割2"
    assert not CasePartner.objects.filter(case=keep_leads).exists()
    keep.refresh_from_db()
    assert keep.website == "https://example.org/"  # blank fields filled from the duplicate
    assert keep.records.get().title == "表彰"
    log = LogEntry.objects.filter(object_id=str(keep.pk)).latest("action_time")
    assert "みどりの手" in log.change_message and log.user == admin_user


def test_merge_is_one_transaction(admin_user, monkeypatch):
    keep = factories.organization("A会", kana="エーカイ")
    dup = factories.organization("A会（重複）", kana="エーカイ")
    case = factories.case(lead=dup)
    monkeypatch.setattr(
        Organization, "full_clean", lambda self: (_ for _ in ()).throw(RuntimeError)
    )
    with pytest.raises(RuntimeError):
        merge_organizations(keep=keep, duplicates=[dup], user=admin_user)
    case.refresh_from_db()
    assert case.lead_organization == dup
    assert Organization.objects.filter(pk=dup.pk).exists()


def test_admin_merge_action_asks_which_to_keep(client, admin_user):
    client.force_login(admin_user)
    keep = factories.organization("B会", kana="ビーカイ")
    dup = factories.organization("B会 ", kana="ビーカイ")
    case = factories.case(lead=dup)
    url = "/admin/partners/organization/"
    data = {"action": "merge", "_selected_action": [keep.pk, dup.pk]}
    confirm = client.post(url, data)
    assert "残す団体を選んでください" in confirm.content.decode()
    refused = client.post(url, {**data, "confirm": "1"})
    assert "残す団体を選んでください。" in refused.content.decode()
    done = client.post(url, {**data, "confirm": "1", "keep": keep.pk}, follow=True)
    assert "「B会」に統合しました" in done.content.decode()
    case.refresh_from_db()
    assert case.lead_organization == keep


def _staff_in(client, group: str) -> User:
    user = User.objects.create_user(f"{group}-merge", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def test_editors_cannot_merge_because_merging_deletes(client):
    _staff_in(client, "事例編集者")
    keep = factories.organization("C会", kana="シーカイ")
    dup = factories.organization("C会（重複）", kana="シーカイ")
    url = "/admin/partners/organization/"
    action_form = client.get(url).context["action_form"]  # None when no action is left
    assert action_form is None or "merge" not in dict(action_form.fields["action"].choices)
    data = {"action": "merge", "_selected_action": [keep.pk, dup.pk], "confirm": "1"}
    client.post(url, {**data, "keep": keep.pk})
    assert Organization.objects.filter(pk=dup.pk).exists()


def test_administrators_merge(client):
    _staff_in(client, "管理者")
    keep = factories.organization("D会", kana="ディーカイ")
    dup = factories.organization("D会（重複）", kana="ディーカイ")
    url = "/admin/partners/organization/"
    assert "merge" in dict(client.get(url).context["action_form"].fields["action"].choices)
    data = {"action": "merge", "_selected_action": [keep.pk, dup.pk], "confirm": "1"}
    client.post(url, {**data, "keep": keep.pk})
    assert not Organization.objects.filter(pk=dup.pk).exists()
