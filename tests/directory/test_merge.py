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
    assert CasePartner.objects.get(case=both).role == "役割1"  # the kept one's, not joined
    assert not CasePartner.objects.filter(case=keep_leads).exists()
    keep.refresh_from_db()
    assert keep.website == "https://example.org/"  # a blank field takes the duplicate's value
    assert keep.records.get().title == "表彰"
    log = LogEntry.objects.filter(object_id=str(keep.pk)).latest("action_time")
    assert "みどりの手" in log.change_message and log.user == admin_user


def test_each_field_is_taken_from_the_organization_chosen(admin_user):
    keep = factories.organization("みどりの手", kind="government", mission="古い目的")
    dup = factories.organization(
        "NPO法人みどりの手", kind="npo", mission="新しい目的", activities="清掃", founded_year=2008
    )
    merge_organizations(
        keep=keep,
        duplicates=[dup],
        user=admin_user,
        sources={"name": dup, "kind": dup, "mission": dup, "activities": keep},
    )
    keep.refresh_from_db()
    assert (keep.name, keep.kind, keep.mission) == ("NPO法人みどりの手", "npo", "新しい目的")
    assert keep.activities == ""  # chosen explicitly, although the duplicate had one
    assert keep.founded_year == 2008  # not chosen: the non-empty value by default


def test_a_value_from_outside_the_merge_is_refused(admin_user):
    keep = factories.organization("E会")
    dup = factories.organization("E会（重複）")
    stranger = factories.organization("関係のない会")
    with pytest.raises(ValueError):
        merge_organizations(
            keep=keep, duplicates=[dup], user=admin_user, sources={"name": stranger}
        )
    assert Organization.objects.filter(pk=dup.pk).exists()


def test_shared_cases_keep_the_role_chosen_never_both_joined(admin_user):
    keep = factories.organization("F会")
    dup = factories.organization("F会（重複）")
    other = factories.organization("G会")
    by_default = factories.case(partners=(keep, dup))
    chosen = factories.case(partners=(keep, dup))
    edited = factories.case(partners=(dup, other, keep))
    merge_organizations(
        keep=keep,
        duplicates=[dup],
        user=admin_user,
        roles={chosen.pk: "役割2", edited.pk: "広報と会場の手配"},
    )
    assert CasePartner.objects.get(case=by_default).role == "役割1"
    assert CasePartner.objects.get(case=chosen).role == "役割2"
    roles = dict(CasePartner.objects.filter(case=edited).values_list("organization", "role"))
    assert roles == {keep.pk: "広報と会場の手配", other.pk: "役割2"}
    reason = keep.history.latest().history_change_reason
    assert f"事例No.{chosen.number}の役割は「F会（重複）」（ID {dup.pk}）のもの" in reason
    assert f"事例No.{edited.number}の役割は編集した文章（広報と会場の手配）" in reason


def test_two_duplicates_sharing_a_case_leave_one_partnership(admin_user):
    keep = factories.organization("H会")
    dup1 = factories.organization("H会（重複1）")
    dup2 = factories.organization("H会（重複2）")
    case = factories.case(partners=(dup1, dup2))
    merge_organizations(
        keep=keep, duplicates=[dup1, dup2], user=admin_user, roles={case.pk: "役割2"}
    )
    assert list(CasePartner.objects.filter(case=case).values_list("organization", "role")) == [
        (keep.pk, "役割2")
    ]


def test_a_role_for_a_case_not_shared_is_refused(admin_user):
    keep = factories.organization("I会")
    dup = factories.organization("I会（重複）")
    case = factories.case(partners=(dup,))
    with pytest.raises(ValueError):
        merge_organizations(keep=keep, duplicates=[dup], user=admin_user, roles={case.pk: "x"})


def test_a_lead_partnering_its_own_case_loses_that_role_and_says_so(admin_user):
    keep = factories.organization("J会")
    dup = factories.organization("J会（重複）")
    case = factories.case(lead=dup, partners=(keep,))
    merge_organizations(keep=keep, duplicates=[dup], user=admin_user)
    case.refresh_from_db()
    assert case.lead_organization == keep and not case.partners.exists()
    assert f"事例No.{case.number}で運営団体と重なる" in keep.history.latest().history_change_reason


def test_the_merged_page_moves_permanently_to_the_kept_one(client, admin_user):
    keep = factories.organization("K会", is_public=True)
    dup = factories.organization("K会（重複）", is_public=True)
    old_url = dup.get_absolute_url()
    merge_organizations(keep=keep, duplicates=[dup], user=admin_user)
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == keep.get_absolute_url()

    later = factories.organization("K会（新）", is_public=True)
    merge_organizations(keep=later, duplicates=[keep], user=admin_user)
    for url in (old_url, f"/organizations/{keep.pk}/"):
        assert client.get(url)["Location"] == later.get_absolute_url()  # no chain of hops


def test_history_says_what_was_merged_and_chosen_on_both_sides(admin_user):
    keep = factories.organization("L会")
    dup = factories.organization("L会（重複）", website="https://l.example.org/")
    merge_organizations(keep=keep, duplicates=[dup], user=admin_user, sources={"name": dup})
    kept = keep.history.latest()
    assert kept.history_user == admin_user
    assert f"重複する団体「L会（重複）」（ID {dup.pk}）を統合しました" in kept.history_change_reason
    assert f"団体名は「L会（重複）」（ID {dup.pk}）の値" in kept.history_change_reason
    assert "ウェブサイトは「L会（重複）」" in kept.history_change_reason
    removed = Organization.history.filter(id=dup.pk).latest()
    assert removed.history_type == "-" and removed.history_user == admin_user
    assert removed.history_change_reason == f"「L会（重複）」（ID {keep.pk}）に統合"


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


URL = "/admin/partners/organization/"


def _merge_page(client, *organizations, **data):
    """What the merge action answers for these organizations (the page, or the merge)."""
    selected = {"action": "merge", "_selected_action": [o.pk for o in organizations]}
    return client.post(URL, {**selected, **data}, follow=True)


def test_the_merge_page_shows_every_field_side_by_side_with_defaults(client, admin_user):
    client.force_login(admin_user)
    keep = factories.organization("B会", kana="ビーカイ", mission="里山を守る")
    dup = factories.organization("B会 ", kana="ビーカイ", website="https://b.example.org/")
    factories.case(lead=dup)
    factories.case(partners=(dup,))
    OrganizationRecord.objects.create(organization=dup, year=2020, kind="award", title="表彰")

    response = _merge_page(client, keep, dup)

    html = response.content.decode()
    for text in ["B会", "里山を守る", "https://b.example.org/", "（空欄）", "違いあり", "1件"]:
        assert text in html, text
    form = response.context["form"]
    rows = {row.field: row for row in form.rows()}
    assert not rows["value_kana"].differs and rows["value_website"].differs
    checked = {
        row.field: next(c.organization for c in row.cells if c.checked) for row in rows.values()
    }
    assert checked["value_mission"] == keep and checked["value_website"] == dup
    assert f'name="keep" value="{keep.pk}" id="keep-{keep.pk}" checked' in html


def test_the_merge_takes_the_values_chosen_on_the_page(client, admin_user):
    client.force_login(admin_user)
    keep = factories.organization("B会", kana="ビーカイ", mission="古い目的")
    dup = factories.organization("NPO法人B会", kana="ビーカイ", mission="新しい目的")
    case = factories.case(lead=dup)
    refused = _merge_page(client, keep, dup, confirm="1")
    assert "残す団体を選んでください。" in refused.content.decode()

    done = _merge_page(
        client, keep, dup, confirm="1", keep=keep.pk, value_name=dup.pk, value_mission=dup.pk
    )

    assert "「NPO法人B会」に統合しました" in done.content.decode()
    keep.refresh_from_db()
    case.refresh_from_db()
    assert (keep.name, keep.mission, case.lead_organization) == ("NPO法人B会", "新しい目的", keep)


def test_a_different_kind_is_merged_only_once_confirmed(client, admin_user):
    client.force_login(admin_user)
    city = factories.organization("みどり市", kind="government")
    company = factories.organization("みどり株式会社", kind="company")
    page = _merge_page(client, city, company).content.decode()
    assert "注意：種別が異なります。" in page

    refused = _merge_page(client, city, company, confirm="1", keep=city.pk).content.decode()

    assert "種別が異なる団体を統合するには、確かめたことをチェックで示してください。" in refused
    assert Organization.objects.filter(pk=company.pk).exists()
    _merge_page(client, city, company, confirm="1", keep=city.pk, confirm_kind="on")
    assert not Organization.objects.filter(pk=company.pk).exists()


def test_the_page_shows_both_roles_of_a_shared_case_and_keeps_the_one_chosen(client, admin_user):
    client.force_login(admin_user)
    keep = factories.organization("M会")
    dup = factories.organization("M会（重複）")
    case = factories.case(partners=(keep, dup))
    own = factories.case(lead=dup, partners=(keep,))
    page = _merge_page(client, keep, dup).content.decode()
    assert "同じ事例の協働パートナーの役割" in page and "役割1" in page and "役割2" in page
    assert "役割1\n役割2</textarea>" in page  # a joined text only as a draft to edit, shown
    assert f"事例No.{own.number}" in page and "協働パートナーとしての役割は削除されます" in page

    empty = _merge_page(client, keep, dup, confirm="1", keep=keep.pk, **{f"role_{case.pk}": "edit"})
    assert "役割の文章を入力してください。" in empty.content.decode()
    _merge_page(
        client,
        keep,
        dup,
        confirm="1",
        keep=keep.pk,
        **{f"role_{case.pk}": "edit", f"role_text_{case.pk}": "会場の手配と広報"},
    )
    assert CasePartner.objects.get(case=case).role == "会場の手配と広報"


def _staff_in(client, group: str) -> User:
    user = User.objects.create_user(f"{group}-merge", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def test_editors_cannot_merge_because_merging_deletes(client):
    _staff_in(client, "事例編集者")
    keep = factories.organization("C会", kana="シーカイ")
    dup = factories.organization("C会（重複）", kana="シーカイ")
    action_form = client.get(URL).context["action_form"]  # None when no action is left
    assert action_form is None or "merge" not in dict(action_form.fields["action"].choices)
    data = {"action": "merge", "_selected_action": [keep.pk, dup.pk], "confirm": "1"}
    client.post(URL, {**data, "keep": keep.pk})
    assert Organization.objects.filter(pk=dup.pk).exists()


def test_administrators_merge(client):
    _staff_in(client, "管理者")
    keep = factories.organization("D会", kana="ディーカイ")
    dup = factories.organization("D会（重複）", kana="ディーカイ")
    assert "merge" in dict(client.get(URL).context["action_form"].fields["action"].choices)
    data = {"action": "merge", "_selected_action": [keep.pk, dup.pk], "confirm": "1"}
    client.post(URL, {**data, "keep": keep.pk})
    assert not Organization.objects.filter(pk=dup.pk).exists()


def test_both_histories_are_shown_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    keep = factories.organization("N会")
    dup = factories.organization("N会（重複）", mission="川を守る")
    merge_organizations(keep=keep, duplicates=[dup], user=admin_user)
    kept = client.get(f"{URL}{keep.pk}/history/").content.decode()
    assert f"重複する団体「N会（重複）」（ID {dup.pk}）を統合しました" in kept
    assert "目的・ミッションは「N会（重複）」" in kept
    removed = client.get(f"{URL}{dup.pk}/history/").content.decode()
    assert f"「N会」（ID {keep.pk}）に統合" in removed
