"""Awards in the two staff roles: 事例編集者 add and correct them, as the other parts of a case
(removing one is left to 管理者); 管理者 may do everything."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The groups 0005_staff_roles makes.
EDITOR = "事例編集者"
ADMINISTRATOR = "管理者"
EDITOR_CODENAMES = ["add_award", "change_award", "view_award"]


def forward(apps, schema_editor):
    # Permissions are normally made after migrations; the groups need them now.
    app_config = apps.get_app_config("cases")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module  # as found: the real registry needs its models
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    award = Permission.objects.filter(content_type__app_label="cases", content_type__model="award")
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.add(*award.filter(codename__in=EDITOR_CODENAMES))
    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.add(*award)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_award"),
        ("cases", "0005_staff_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
