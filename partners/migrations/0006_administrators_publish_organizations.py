"""管理者 may list organizations in the public directory (一覧に掲載する); 事例編集者 may not."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The group cases/migrations/0005_staff_roles.py makes; whichever runs first creates it.
ADMINISTRATOR = "管理者"


def forward(apps, schema_editor):
    # Permissions are normally made after migrations; the group needs this one now.
    app_config = apps.get_app_config("partners")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module  # as found: the real registry needs its models
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.add(
        Permission.objects.get(content_type__app_label="partners", codename="publish_organization")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0005_organization_publish_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
