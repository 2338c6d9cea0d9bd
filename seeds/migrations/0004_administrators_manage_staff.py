"""管理者 add staff accounts, make them 事例編集者 and disable them (kernel/users.py holds
what they may not do: superusers, other 管理者, permissions)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMINISTRATOR = "管理者"
CODENAMES = ["add_user", "change_user", "view_user"]


def forward(apps, schema_editor):
    # Permissions are normally made after migrations; the group needs them now.
    app_config = apps.get_app_config("auth")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", codename__in=CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("seeds", "0003_staff_roles"),
        ("cases", "0015_revision_staff_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
