"""Store the width and height of photos saved without them (see Photo.save)."""

from django.core.files.images import get_image_dimensions
from django.core.files.storage import default_storage
from django.db import migrations


def fill_dimensions(apps, schema_editor):
    Photo = apps.get_model("cases", "Photo")
    # Names only: loading a Photo without dimensions would open its file.
    for pk, name in Photo.objects.filter(width__isnull=True).values_list("pk", "image"):
        if name and default_storage.exists(name):
            with default_storage.open(name) as image:
                width, height = get_image_dimensions(image)
            Photo.objects.filter(pk=pk).update(width=width, height=height)


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_staff_roles")]

    operations = [migrations.RunPython(fill_dimensions, migrations.RunPython.noop)]
