"""Seeds kept whole by the project's data tools: backup and restore, reindex, merging
organizations, and an organization's rename."""

import pytest
from django.core.management import call_command

from directory.services import merge_organizations
from seeds.models import Seed
from seeds.selectors import SEEDS
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_bring_seeds_back_searchable(tmp_path, reference_data):
    seed = factories.seed(
        title="花壇の種", partner_types_wanted=["npo", "company"], resources_offered=["place"]
    )
    seed.changes.create(to_status="open", note="内部メモ")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    Seed.objects.all().delete()
    call_command("restore", str(archive), "--yes", verbosity=0)
    restored = Seed.objects.get()
    assert restored.title == "花壇の種" and restored.partner_types_wanted == ["npo", "company"]
    assert restored.changes.get().note == "内部メモ"
    assert SEEDS.search({"q": "花壇"}).total == 1


@pytest.mark.django_db
def test_reindex_rebuilds_seed_texts():
    seed = factories.seed(title="花壇の種")
    Seed.objects.filter(pk=seed.pk).update(search_text="")
    call_command("reindex", verbosity=0)
    seed.refresh_from_db()
    assert seed.search_text == seed.build_search_text()


@pytest.mark.django_db
def test_merging_organizations_keeps_their_seeds(admin_user):
    keep = factories.organization("NPO法人みどりの手", kana="ミドリノテ")
    dup = factories.organization("みどりの手", kana="ミドリノテ")
    seed = factories.seed(organization=dup, poster_name="")
    merge_organizations(keep=keep, duplicates=[dup], user=admin_user)
    seed.refresh_from_db()
    assert seed.organization == keep and "npo法人みどりの手" in seed.search_text  # normalised


@pytest.mark.django_db
def test_an_organizations_new_name_finds_its_seeds():
    organization = factories.organization("いずみ野花の会")
    factories.seed(organization=organization, poster_name="")
    organization.name = "いずみ野グリーンの会"
    organization.save()
    assert SEEDS.search({"q": "グリーン"}).total == 1
