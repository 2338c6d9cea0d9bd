from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from cases.models import Case, Photo
from guide.models import GuidePage
from inquiries.models import Inquiry
from partners.models import Area
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


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
