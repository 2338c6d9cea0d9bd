"""Photos of update proposals sent before this release leave public media for private storage."""

from django.core.files.storage import default_storage, storages
from django.db import migrations


def forward(apps, schema_editor):
    ProposalPhoto = apps.get_model("inquiries", "ProposalPhoto")
    private = storages["private"]
    for photo in ProposalPhoto.objects.exclude(image=""):
        name = photo.image.name
        if default_storage.exists(name) and not private.exists(name):
            with default_storage.open(name, "rb") as source:
                private.save(name, source)
            default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0002_proposal_items_and_private_photos")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
