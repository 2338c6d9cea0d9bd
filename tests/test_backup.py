import io
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cases.models import Case, Domain, Photo, Revision
from collanavi.backups import EXCLUDED
from guide.models import GuidePage
from inquiries.models import Inquiry, ProposalPhoto, UpdateProposal
from kernel.models import Change
from partners.models import Area
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _backed_up_models() -> list:
    """Every model a backup holds (what migrate or flush rebuilds is left out)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in EXCLUDED and model._meta.label_lower not in EXCLUDED
    ]


def _counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in _backed_up_models() if m is not Change}


def _history() -> dict[str, list[dict]]:
    """Every row of every history table (a case's revisions, the others' history), as stored."""
    return {
        m._meta.label: list(m._base_manager.order_by("pk").values())
        for m in _backed_up_models()
        if hasattr(m, "instance_type") or m is Revision
    }


def _files(settings) -> dict[str, bytes]:
    roots = {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}
    return {
        f"{name}/{path.relative_to(root)}": path.read_bytes()
        for name, root in roots.items()
        for path in root.rglob("*")
        if path.is_file()
    }


def _demo_with_a_private_photo() -> None:
    call_command("load_demo", verbosity=0)
    proposal = UpdateProposal.objects.create(
        case=Case.objects.order_by("number").first(),
        name="担当者",
        organization="NPO法人テスト",
        email="t@example.jp",
        relation=UpdateProposal.Relation.LEAD,
    )
    photo = ProposalPhoto(proposal=proposal, alt_text="提案された写真")
    photo.image.save("proposal.jpg", ContentFile(b"\xff\xd8 not shown to the public"))


def test_backup_and_restore_bring_back_every_record_and_photo(tmp_path, settings, reference_data):
    case = factories.case(
        title="里山の保全", photos=1, partners=(factories.organization("株式会社A"),)
    )
    photo_path = case.photos.get().image.path
    Inquiry.objects.create(kind="question", name="花子", email="h@example.jp", message="質問")
    user = User.objects.create_user("curator", password="x", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="事例編集者")[0])
    GuidePage.objects.filter(path="/faq/").update(body="職員が書き直した回答")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)

    Case.objects.all().delete()
    Inquiry.objects.all().delete()
    GuidePage.objects.all().delete()
    (tmp_path / "media").rename(tmp_path / "media-lost")

    call_command("restore", str(archive), "--yes", verbosity=0)
    restored = Case.objects.get(number=case.number)
    assert (
        restored.title == "里山の保全" and restored.partners.get().organization.name == "株式会社A"
    )
    assert restored.search_text == case.search_text
    assert Photo.objects.get().image.path == photo_path
    assert Path(photo_path).read_bytes()[:2] == b"\xff\xd8"
    assert Inquiry.objects.get().name == "花子"
    assert User.objects.get(username="curator").groups.filter(name="事例編集者").exists()
    assert Area.objects.filter(name="千葉市").exists()
    assert GuidePage.objects.get(path="/faq/").body == "職員が書き直した回答"
    assert GuidePage.objects.get(path="/faq/").history.exists()


def test_restore_refuses_without_confirmation(tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    with pytest.raises(Exception, match="--yes"):
        call_command("restore", str(archive))


def test_a_demo_backup_restores_every_count_history_row_and_file(
    tmp_path, settings, reference_data
):
    _demo_with_a_private_photo()
    counts, history, files = _counts(), _history(), _files(settings)
    changes = list(Change.objects.values())
    assert sum(len(rows) for rows in history.values()) > 200 and len(files) > 50
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)

    edited = Case.objects.order_by("number")[1]
    edited.domains.set(Domain.objects.all()[:1])  # writes history rows
    Case.objects.order_by("number").first().delete()
    photos = sorted(Path(settings.MEDIA_ROOT).rglob("*.jpg"))
    photos[0].unlink()
    photos[1].write_bytes(b"damaged")
    assert (_counts(), _history(), _files(settings)) != (counts, history, files)

    call_command("restore", str(archive), "--yes", verbosity=0)
    assert _counts() == counts
    assert _history() == history  # no history row invented or lost, none renumbered
    assert _files(settings) == files
    # The feed keeps its rows and records the restore (a change of everything) after them.
    assert list(Change.objects.values())[: len(changes)] == changes
    assert [c.kind for c in Change.objects.all()[len(changes) :]] == ["*"]

    # New history rows take new numbers (on PostgreSQL the sequences follow the restored rows).
    edited = Case.objects.get(pk=edited.pk)
    restored_rows = edited.revisions.count()
    edited.domains.set(Domain.objects.all()[:2])
    edited.save()
    assert edited.revisions.count() > restored_rows


def _scratch_databases() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        # this test process's (another worker may be checking a backup meanwhile)
        pattern = f"{connection.settings_dict['NAME'][:40]}_check_%".replace("_", "\\_")
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [pattern])
        return [name for (name,) in cursor.fetchall()]


@pytest.mark.process  # restore --check runs manage.py
def test_restore_check_restores_elsewhere_and_finds_no_difference(
    tmp_path, settings, reference_data
):
    case = factories.case(title="里山の保全", photos=2)
    case.domains.set(Domain.objects.all()[:2])
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    Case.objects.all().delete()
    (tmp_path / "media").rename(tmp_path / "media-lost")

    out = io.StringIO()
    call_command("restore", str(archive), "--check", stdout=out)
    assert out.getvalue().splitlines() == ["復元の確認：問題ありません"]
    # The live database and MEDIA_ROOT are as they were; the scratch database is gone.
    assert not Case.objects.exists() and not (tmp_path / "media").exists()
    assert _scratch_databases() == []


@pytest.mark.process  # restore --check runs manage.py
def test_restore_check_fails_on_a_backup_without_a_photo_its_records_name(tmp_path, reference_data):
    factories.case(title="里山の保全", photos=2)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    missing = Photo.objects.order_by("pk").first().image.name
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            if member.name != f"media/{missing}":
                target.addfile(member, source.extractfile(member) if member.isfile() else None)

    out = io.StringIO()
    with pytest.raises(CommandError, match="違いが 1 件あります"):
        call_command("restore", str(tampered), "--check", stdout=out)
    assert out.getvalue().splitlines() == [
        f"ファイル media/{missing}：記録にありますがバックアップにありません"
    ]
